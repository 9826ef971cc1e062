// The supervisor's real-time wallboard (P1) with "force state" (P3): `GET /supervisor/live`,
// re-fetched on live events at most every 500 ms and after every reconnection. A row's chats
// may be watched read-only (ChatWatchDrawer), its call monitored (MonitorCell).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Dropdown, Row, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { DownOutlined, EyeOutlined, ReloadOutlined } from '@ant-design/icons';
import { supervisorApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import { type AgentState, type ForcibleState, type LiveAgent, type LiveQueue, type SupervisorLive } from '../api/types';
import { useT } from '../i18n';
import { Elapsed, StateBadge } from '../components/Timers';
import { responseOffset } from '../util/time';
import { throttle } from '../util/throttle';
import { useLive } from '../util/useLive';
import { useAuth } from '../auth/AuthContext';
import { STATE_COLORS } from '../workbench/model';
import { reasonLabel } from '../workbench/labels';
import { CHANNEL_COLORS } from '../workbench/QueuePicker';
import { replaceAgent, sortAgents, totals, wallboardEvent } from './model';
import ForceStateDialog, { type ForceRequest } from './ForceStateDialog';
import MonitorCell from './MonitorCell';
import ChatWatchDrawer, { type WatchedChat } from './ChatWatchDrawer';
import { watchableChats } from './chatWatch';
import { onCall } from './monitor';
import { useMonitoring } from './useMonitoring';

const FORCIBLE: ForcibleState[] = ['idle', 'busy', 'rest', 'signed_out'];
/** Order of the per-state totals. */
const STATE_COLUMNS: AgentState[] = ['idle', 'talking', 'wrap_up', 'busy', 'rest', 'signed_out'];
/** A queue counts its signed-in agents, so it has no "signed out" column. */
const QUEUE_STATE_COLUMNS: AgentState[] = ['idle', 'talking', 'wrap_up', 'busy', 'rest'];

export default function Wallboard() {
  const t = useT();
  const { message } = AntApp.useApp();
  const [live, setLive] = useState<SupervisorLive | null>(null);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [forcing, setForcing] = useState<string | null>(null);
  const [asking, setAsking] = useState<ForceRequest | null>(null);
  const [watching, setWatching] = useState<WatchedChat | null>(null);
  const alive = useRef(true);
  const started = useRef(0);
  const shown = useRef(0);
  const { me } = useAuth();
  const monitoring = useMonitoring(me?.id ?? '');

  const load = useCallback(async () => {
    const n = ++started.current;
    const sent = Date.now();
    try {
      const data = await supervisorApi.live();
      if (!alive.current || n <= shown.current) return;
      shown.current = n;
      setLive(data);
      setOffset(responseOffset(data.server_time, sent, Date.now()));
      setError(null);
    } catch (e) {
      if (alive.current) setError(e);
    }
  }, []);
  const reload = useMemo(() => throttle(load, 500), [load]);

  useEffect(() => {
    alive.current = true;
    reload();
    return () => {
      alive.current = false;
      reload.cancel();
    };
  }, [reload]);

  const connected = useLive({
    onConnected: () => reload(),
    onEvent: (e) => {
      monitoring.onEvent(e);
      if (wallboardEvent(e.type)) reload();
    },
  });

  const force = async ({ agent: a, state }: ForceRequest, reason: string | undefined) => {
    setForcing(a.id);
    try {
      const row = await supervisorApi.forceState(a.id, state, reason);
      setLive((l) => (l ? replaceAgent(l, row) : l));
      setAsking(null);
      message.success(t('sv.forced', { name: a.display_name || a.login, state: t(`state.${state}`) }));
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setForcing(null);
      reload();
    }
  };

  const sum = totals(live);
  const queueNames = useMemo(() => new Map((live?.queues ?? []).map((q) => [q.id, q.name])), [live]);
  const agents = useMemo(() => sortAgents(live?.agents ?? []), [live]);

  return (
    <div data-testid="wallboard">
      <div className="wallboard-head">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('sv.title')}
        </Typography.Title>
        <Space>
          <Tooltip title={t(connected ? 'wb.bar.liveOn' : 'wb.bar.liveOff')}>
            <Tag color={connected ? 'green' : 'default'} data-testid="wallboard-live" data-live={String(connected)}>
              <span className={`live-dot ${connected ? 'on' : 'off'}`} /> {t(connected ? 'sv.live' : 'sv.reconnecting')}
            </Tag>
          </Tooltip>
          <Button icon={<ReloadOutlined />} onClick={() => reload()} data-testid="wallboard-refresh">
            {t('common.refresh')}
          </Button>
        </Space>
      </div>

      {error != null && <Alert type="error" showIcon message={errorText(error, t)} style={{ marginBottom: 16 }} data-testid="wallboard-error" />}

      <Row gutter={[12, 12]} className="wallboard-totals" data-testid="wallboard-totals">
        <Col xs={12} sm={8} lg={6} xl={3}>
          <Card size="small">
            <Statistic title={t('sv.waiting')} value={sum.waiting} valueStyle={{ color: sum.waiting > 0 ? '#fa541c' : undefined }} />
            <span data-testid="total-waiting" data-value={sum.waiting} hidden />
          </Card>
        </Col>
        <Col xs={12} sm={8} lg={6} xl={3}>
          <Card size="small">
            <Statistic
              title={t('sv.longestWait')}
              valueRender={() => (sum.oldest ? <Elapsed since={sum.oldest} offset={offset} testId="total-longest-wait" /> : <span>—</span>)}
            />
          </Card>
        </Col>
        {STATE_COLUMNS.map((s) => (
          <Col key={s} xs={12} sm={8} lg={4} xl={3}>
            <Card size="small" className="state-total" style={{ borderTop: `3px solid ${STATE_COLORS[s]}` }}>
              <Statistic title={t(`state.${s}`)} value={sum.agents[s]} />
              <span data-testid={`total-${s}`} data-value={sum.agents[s]} hidden />
            </Card>
          </Col>
        ))}
      </Row>

      <Card title={t('sv.queues')} size="small" className="wallboard-card">
        <Table<LiveQueue>
          rowKey="id"
          size="small"
          loading={!live && error == null}
          dataSource={live?.queues ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="wallboard-queues"
          onRow={(q) => ({ 'data-testid': `wallboard-queue-${q.name}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('queues.name'), dataIndex: 'name' },
            { title: t('queues.channel'), dataIndex: 'channel', render: (c: LiveQueue['channel']) => <Tag color={CHANNEL_COLORS[c]}>{t(`channel.${c}`)}</Tag> },
            {
              title: t('sv.waiting'),
              dataIndex: 'waiting',
              align: 'right',
              render: (n: number) => (
                <Typography.Text strong={n > 0} type={n > 0 ? 'danger' : undefined} data-testid="queue-waiting" data-value={n}>
                  {n}
                </Typography.Text>
              ),
            },
            {
              title: t('sv.longestWait'),
              dataIndex: 'oldest_enqueued_at',
              align: 'right',
              render: (o: string | null, q) => (o && q.waiting > 0 ? <Elapsed since={o} offset={offset} /> : '—'),
            },
            ...QUEUE_STATE_COLUMNS.map((s) => ({
              title: <span className="state-col-title"><span className="state-dot" style={{ background: STATE_COLORS[s] }} />{t(`state.${s}`)}</span>,
              key: s,
              align: 'right' as const,
              render: (_: unknown, q: LiveQueue) => <span data-testid={`queue-agents-${s}`}>{q.agents?.[s] ?? 0}</span>,
            })),
          ]}
        />
      </Card>

      <Card title={t('sv.agents')} size="small" className="wallboard-card">
        <Table<LiveAgent>
          rowKey="id"
          size="small"
          loading={!live && error == null}
          dataSource={agents}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          data-testid="wallboard-agents"
          onRow={(a) => ({ 'data-testid': `wallboard-agent-${a.login}`, 'data-state': a.state }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: t('sv.agent'),
              key: 'name',
              render: (_, a) => (
                <Space direction="vertical" size={0}>
                  <Typography.Text strong>{a.display_name || a.login}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {a.login}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('wb.bar.state'),
              key: 'state',
              render: (_, a) => (
                <Space size={8}>
                  <StateBadge state={a.state} contacts={a.activity} testId="agent-state" />
                  {a.state !== 'signed_out' && <Elapsed since={a.state_since} offset={offset} testId="agent-timer" />}
                </Space>
              ),
            },
            { title: t('sv.reason'), dataIndex: 'reason', render: (r: string | null) => (r ? <Tag data-testid="agent-reason">{reasonLabel(r, t)}</Tag> : '—') },
            {
              title: t('wb.bar.queues'),
              dataIndex: 'signed_in_queues',
              render: (ids: string[]) =>
                ids?.length ? ids.map((id) => <Tag key={id}>{queueNames.get(id) ?? id}</Tag>) : <Typography.Text type="secondary">—</Typography.Text>,
            },
            { title: t('sv.contacts'), key: 'contacts', align: 'right', render: (_, a) => <span data-testid="agent-contacts">{a.contacts}</span> },
            {
              title: t('sv.monitor'),
              key: 'monitor',
              render: (_, a) => {
                const chats = watchableChats(a);
                if (!onCall(a) && chats.length === 0) return <span>—</span>;
                return (
                  <Space size={4} wrap>
                    {onCall(a) && <MonitorCell agent={a} monitoring={monitoring} />}
                    {chats.map((id, i) => (
                      <Tooltip key={id} title={t('sv.watch.hint')}>
                        <Button
                          size="small"
                          icon={<EyeOutlined />}
                          onClick={() => setWatching({ contactId: id, agentName: a.display_name || a.login })}
                          data-testid={`watch-chat-${a.login}`}
                          data-contact-id={id}
                        >
                          {chats.length > 1 ? t('sv.watch.buttonN', { n: i + 1 }) : t('sv.watch.button')}
                        </Button>
                      </Tooltip>
                    ))}
                  </Space>
                );
              },
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, a) => (
                <Dropdown
                  trigger={['click']}
                  menu={{
                    items: FORCIBLE.map((s) => ({
                      key: s,
                      disabled: a.state === s,
                      label: <span data-testid={`force-${s}`}>{t(`state.${s}`)}</span>,
                    })),
                    onClick: ({ key }) => setAsking({ agent: a, state: key as ForcibleState }),
                  }}
                >
                  <Button size="small" loading={forcing === a.id} data-testid={`force-state-${a.login}`}>
                    {t('sv.forceState')} <DownOutlined />
                  </Button>
                </Dropdown>
              ),
            },
          ]}
        />
      </Card>
      <ChatWatchDrawer watched={watching} onClose={() => setWatching(null)} />
      <ForceStateDialog
        request={asking}
        busy={forcing !== null}
        onConfirm={(reason) => asking && void force(asking, reason)}
        onCancel={() => setAsking(null)}
      />
    </div>
  );
}
