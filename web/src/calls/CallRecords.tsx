// Call records (V13): "my call records" for agents, every call of the tenant with search and
// export for holders of `recordings.access`; the satisfaction survey (V12) in the list; a
// call's hand-overs (V5, V6), its legs with their media quality and its recording in an <audio>
// player (the browser asks for ranges as it plays and seeks).
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, App as AntApp, Button, Card, DatePicker, Descriptions, Drawer, Empty, Input, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, FieldTimeOutlined, ReloadOutlined, SmileOutlined, SoundOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { callsApi, queuesApi, usersApi } from '../api/endpoints';
import { getToken } from '../api/client';
import { errorText } from '../api/errors';
import type { CallDetail, CallLeg, CallRecord, Colleague, Queue } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { useT, type MessageKey } from '../i18n';
import { downloadWithToken } from '../util/download';
import { CallBackButton } from '../workbench/Dialer';
import { callRecordCustomer, cleanNumber, isDialable } from '../workbench/dial';
import { CreateTicketButton } from '../tickets/CreateTicketButton';
import ContactLifeDrawer from '../timeline/ContactLifeDrawer';
import { callQuery, clockTime, formatDuration, handoffKind, handoffText, localTime, MOS_COLOR, mosLevel, recordingUrl, surveyText, type CallFilters } from './model';

const PAGE = 50;

export default function CallRecordsPage() {
  const t = useT();
  const { hasPermission } = useAuth();
  const { message } = AntApp.useApp();
  const all = hasPermission('recordings.access');
  const [draft, setDraft] = useState<CallFilters>({});
  const [filters, setFilters] = useState<CallFilters>({});
  const [items, setItems] = useState<CallRecord[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // `?open=<id>` opens a record at once (the screen pop links earlier calls here).
  const [params] = useSearchParams();
  const [openId, setOpenId] = useState<string | null>(() => params.get('open'));
  const [agents, setAgents] = useState<Colleague[]>([]);
  const [queues, setQueues] = useState<Queue[]>([]);

  const load = useCallback(
    async (from: string | null) => {
      setLoading(true);
      try {
        const page = await callsApi.list(callQuery(filters, { cursor: from ?? undefined, limit: String(PAGE) }));
        setItems((prev) => (from ? [...prev, ...page.items] : page.items));
        setCursor(page.next_cursor);
        setError(null);
      } catch (e) {
        setError(e);
      } finally {
        setLoading(false);
      }
    },
    [filters],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  useEffect(() => {
    if (!all) return;
    // Names for the filters; a user who may not list them still searches by number and time.
    usersApi.directory().then(setAgents, () => setAgents([]));
    queuesApi.list().then((qs) => setQueues(qs.filter((q) => q.channel === 'voice')), () => setQueues([]));
  }, [all]);

  const setRange = (v: [Dayjs | null, Dayjs | null] | null) =>
    setDraft((d) => ({
      ...d,
      from: v?.[0] ? v[0].startOf('day').format() : undefined,
      to: v?.[1] ? v[1].add(1, 'day').startOf('day').format() : undefined,
    }));

  const exportFile = async (format: 'xlsx' | 'csv') => {
    try {
      const lang = t.lang === 'en' ? 'en' : 'zh-CN';
      await downloadWithToken(callsApi.exportPath(callQuery(filters, { format, lang })), `calls.${format}`);
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  const released = (r: string | null) => (r ? t(`calls.rel.${r}` as MessageKey) : '—');

  return (
    <Card
      title={all ? t('calls.title') : t('calls.mine')}
      data-testid="calls-page"
      extra={
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={() => void load(null)} aria-label={t('common.refresh')} />
          {all && (
            <>
              <Button icon={<DownloadOutlined />} onClick={() => void exportFile('xlsx')} data-testid="calls-export">
                {t('calls.export')} .xlsx
              </Button>
              <Button onClick={() => void exportFile('csv')}>.csv</Button>
            </>
          )}
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input
          allowClear
          placeholder={t('calls.numberSearch')}
          style={{ width: 220 }}
          value={draft.number}
          onChange={(e) => setDraft((d) => ({ ...d, number: e.target.value }))}
          onPressEnter={() => setFilters(draft)}
          data-testid="calls-number"
        />
        <DatePicker.RangePicker onChange={(v) => setRange(v)} data-testid="calls-range" />
        {all && (
          <>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              style={{ minWidth: 180 }}
              placeholder={t('calls.allAgents')}
              value={draft.agentId}
              onChange={(v?: string) => setDraft((d) => ({ ...d, agentId: v }))}
              options={agents.map((a) => ({ value: a.id, label: a.display_name }))}
              data-testid="calls-agent"
            />
            <Select
              allowClear
              style={{ minWidth: 180 }}
              placeholder={t('calls.allQueues')}
              value={draft.queueId}
              onChange={(v?: string) => setDraft((d) => ({ ...d, queueId: v }))}
              options={queues.map((q) => ({ value: q.id, label: q.name }))}
              data-testid="calls-queue"
            />
          </>
        )}
        <Button type="primary" onClick={() => setFilters(draft)} data-testid="calls-search">
          {t('calls.search')}
        </Button>
      </Space>
      {error != null && <Alert type="error" showIcon message={errorText(error, t)} style={{ marginBottom: 16 }} />}
      <Table<CallRecord>
        rowKey="id"
        loading={loading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="calls-table"
        locale={{ emptyText: t('calls.empty') }}
        onRow={(c) =>
          ({ onClick: () => setOpenId(c.id), style: { cursor: 'pointer' }, 'data-testid': `call-row-${c.caller}` }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: t('calls.started'), dataIndex: 'started_at', render: (v: string) => localTime(v) },
          { title: t('calls.caller'), dataIndex: 'caller' },
          { title: t('calls.dialled'), dataIndex: 'dialled' },
          { title: t('calls.queue'), dataIndex: 'queue_name', render: (v: string | null) => v ?? '—' },
          { title: t('calls.agent'), dataIndex: 'agent_name', render: (v: string | null, c) => v ?? (c.answered_at ? '—' : <Tag>{t('calls.unanswered')}</Tag>) },
          { title: t('calls.wait'), dataIndex: 'wait_ms', align: 'right', render: (v: number | null) => formatDuration(v) },
          { title: t('calls.talk'), dataIndex: 'talk_ms', align: 'right', render: (v: number | null) => formatDuration(v) },
          { title: t('calls.releasedBy'), dataIndex: 'released_by', render: released },
          { title: t('calls.survey'), key: 'survey', render: (_, c) => <Survey call={c} /> },
          {
            title: t('calls.recording'),
            dataIndex: 'recording',
            render: (v: boolean) => (v ? <SoundOutlined aria-label={t('calls.recording')} /> : '—'),
          },
        ]}
      />
      {cursor && (
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button onClick={() => void load(cursor)} loading={loading} data-testid="calls-more">
            {t('calls.more')}
          </Button>
        </div>
      )}
      <CallDrawer id={openId} onClose={() => setOpenId(null)} />
    </Card>
  );
}

function CallDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const t = useT();
  const [call, setCall] = useState<CallDetail | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setCall(null);
    setError(null);
    if (!id) return;
    let live = true;
    callsApi.get(id).then(
      (c) => live && setCall(c),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [id]);

  const released = (r: string | null) => (r ? t(`calls.rel.${r}` as MessageKey) : '—');
  const [life, setLife] = useState<string | null>(null);

  return (
    <Drawer
      open={id != null}
      onClose={onClose}
      width={920}
      title={t('calls.detail')}
      destroyOnClose
      // A ticket about this call, filled in and linked as from the live contact.
      extra={
        call?.contact_id ? (
          <Space>
            <Button icon={<FieldTimeOutlined />} onClick={() => setLife(call.contact_id)} data-testid="call-life">
              {t('life.open')}
            </Button>
            <CreateTicketButton contactId={call.contact_id} label={t('calls.createTicket')} testId="call-create-ticket" />
          </Space>
        ) : null
      }
      data-testid="call-drawer"
    >
      <ContactLifeDrawer contactId={life} onClose={() => setLife(null)} />
      {error != null && <Alert type="error" showIcon message={errorText(error, t)} />}
      {!call && error == null && <Spin />}
      {call && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <CallBack call={call} />
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('calls.caller')}>{call.caller}</Descriptions.Item>
            <Descriptions.Item label={t('calls.dialled')}>{call.dialled}</Descriptions.Item>
            <Descriptions.Item label={t('calls.direction')}>{t(`calls.dir.${call.direction}` as MessageKey)}</Descriptions.Item>
            <Descriptions.Item label={t('calls.queue')}>{call.queue_name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('calls.started')}>{localTime(call.started_at)}</Descriptions.Item>
            <Descriptions.Item label={t('calls.answered')}>{localTime(call.answered_at)}</Descriptions.Item>
            <Descriptions.Item label={t('calls.ended')}>{localTime(call.ended_at)}</Descriptions.Item>
            <Descriptions.Item label={t('calls.agent')}>{call.agent_name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('calls.wait')}>{formatDuration(call.wait_ms)}</Descriptions.Item>
            <Descriptions.Item label={t('calls.talk')}>{formatDuration(call.talk_ms)}</Descriptions.Item>
            <Descriptions.Item label={t('calls.releasedBy')}>
              <span data-testid="call-released-by">{released(call.released_by)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('calls.status')}>{call.end_status ?? '—'}</Descriptions.Item>
            {call.survey && (
              <Descriptions.Item label={t('calls.survey')} span={2}>
                <Survey call={call} />
              </Descriptions.Item>
            )}
            {call.handoffs.length > 0 && (
              <Descriptions.Item label={t('calls.handoffs')} span={2}>
                <ol className="call-handoffs" data-testid="call-handoffs">
                  {call.handoffs.map((h, i) => (
                    <li key={`${h.at}-${i}`} data-testid={`call-handoff-${i + 1}`} data-kind={handoffKind(h)} data-target={h.to_target ?? undefined}>
                      <Typography.Text type="secondary">{clockTime(h.at)}</Typography.Text> {handoffText(h, t)}
                    </li>
                  ))}
                </ol>
              </Descriptions.Item>
            )}
            {call.ivr_path && (
              <Descriptions.Item label={t('calls.ivrPath')} span={2}>
                <span data-testid="call-ivr-path">{call.ivr_path}</span>
              </Descriptions.Item>
            )}
            {call.summary && (
              <Descriptions.Item label={t('calls.summary')} span={2}>
                <Space direction="vertical" size={2} data-testid="call-summary">
                  <span>
                    {t('calls.problem')}: {call.summary.problem}
                  </span>
                  {call.summary.solution && (
                    <span>
                      {t('calls.solution')}: {call.summary.solution}
                    </span>
                  )}
                  {call.summary.disposition && (
                    <span>
                      {t('calls.disposition')}: <Tag color="blue" data-testid="call-disposition">{call.summary.disposition_label ?? call.summary.disposition}</Tag>
                    </span>
                  )}
                </Space>
              </Descriptions.Item>
            )}
            {Object.keys(call.variables).length > 0 && (
              <Descriptions.Item label={t('calls.variables')} span={2}>
                <Space wrap size={4}>
                  {Object.entries(call.variables).map(([k, v]) => (
                    <Tag key={k}>
                      {k} = {v}
                    </Tag>
                  ))}
                </Space>
              </Descriptions.Item>
            )}
          </Descriptions>
          <div>
            <Typography.Title level={5}>{t('calls.recording')}</Typography.Title>
            {call.recording ? (
              // The browser fetches ranges itself as it plays and seeks (206 from the server).
              <audio controls preload="metadata" src={recordingUrl(call.id, getToken())} style={{ width: '100%' }} data-testid="call-audio" />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calls.noRecording')} />
            )}
          </div>
          <div>
            <Typography.Title level={5}>{t('calls.legs')}</Typography.Title>
            <Typography.Paragraph type="secondary">{t('calls.qualityNote')}</Typography.Paragraph>
            <Table<CallLeg>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={call.legs}
              scroll={{ x: 'max-content' }}
              data-testid="call-legs"
              columns={[
                {
                  title: t('calls.party'),
                  dataIndex: 'party',
                  render: (p: string, l) => `${t(`calls.party.${p}` as MessageKey)}${l.agent_name ? ` · ${l.agent_name}` : ''}`,
                },
                { title: t('calls.ring'), dataIndex: 'ring_at', render: (v: string) => clockTime(v) },
                { title: t('calls.answered'), dataIndex: 'answered_at', render: (v: string | null) => clockTime(v) },
                { title: t('calls.ended'), dataIndex: 'ended_at', render: (v: string | null) => clockTime(v) },
                { title: t('calls.codec'), dataIndex: 'codec' },
                { title: t('calls.packets'), align: 'right', render: (_, l) => l.quality?.packets ?? '—' },
                { title: t('calls.loss'), align: 'right', render: (_, l) => (l.quality ? `${l.quality.loss_percent}%` : '—') },
                { title: t('calls.jitter'), align: 'right', render: (_, l) => (l.quality ? `${l.quality.jitter_ms} ms` : '—') },
                {
                  title: 'MOS',
                  align: 'right',
                  render: (_, l) =>
                    l.quality?.mos != null ? (
                      <Tag color={MOS_COLOR[mosLevel(l.quality.mos)]} data-testid="leg-mos">
                        {l.quality.mos.toFixed(2)}
                      </Tag>
                    ) : (
                      <Typography.Text type="secondary">{t('calls.qualityPending')}</Typography.Text>
                    ),
                },
              ]}
            />
          </div>
        </Space>
      )}
    </Drawer>
  );
}

/** Call the record's customer back (for users who may call out): the caller, or whom an outbound call dialled. */
function CallBack({ call }: { call: CallRecord }) {
  const number = cleanNumber(callRecordCustomer(call));
  return <CallBackButton number={isDialable(number) ? number : null} testId="call-call-back" />;
}

/** The survey's outcome: the score out of 5, "not rated", or nothing when the number has no survey. */
function Survey({ call }: { call: CallRecord }) {
  const t = useT();
  const text = surveyText(call, t);
  return (
    <span data-testid="call-survey" data-survey={call.survey ?? 'none'} data-score={call.survey_score ?? ''}>
      {call.survey === 'rated' && text ? (
        <Tag color="gold" icon={<SmileOutlined />}>
          {text}
        </Tag>
      ) : (
        text && <Typography.Text type="secondary">{text}</Typography.Text>
      )}
    </span>
  );
}
