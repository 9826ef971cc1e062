// The supervisor's real-time wallboard (P1) with "force state" (P3): the agents from
// `GET /supervisor/live`, re-fetched on live events at most every 500 ms and after every
// reconnection; the queues' figures pushed by the server (useBoard), coloured by each queue's
// thresholds, in a full-screen mode for a wall display, or as of a past moment. A row's chats
// may be watched read-only (ChatWatchDrawer), its call monitored (MonitorCell), its day shown
// as a strip (AgentDayDrawer).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Dropdown, Row, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { DownOutlined, EyeOutlined, FieldTimeOutlined, FullscreenExitOutlined, FullscreenOutlined, ReloadOutlined } from '@ant-design/icons';
import { supervisorApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import { type AgentState, type ForcibleState, type LiveAgent, type SupervisorLive } from '../api/types';
import { useT } from '../i18n';
import { Elapsed, StateBadge } from '../components/Timers';
import { responseOffset } from '../util/time';
import { throttle } from '../util/throttle';
import { useLive } from '../util/useLive';
import { useAuth } from '../auth/AuthContext';
import { STATE_COLORS } from '../workbench/model';
import { reasonLabel } from '../workbench/labels';
import { replaceAgent, sortAgents, totals, wallboardEvent } from './model';
import ForceStateDialog, { type ForceRequest } from './ForceStateDialog';
import MonitorCell from './MonitorCell';
import ChatWatchDrawer, { type WatchedChat } from './ChatWatchDrawer';
import { watchableChats } from './chatWatch';
import { onCall } from './monitor';
import { useMonitoring } from './useMonitoring';
import { useBoard } from './useBoard';
import { useFullscreen } from './useFullscreen';
import { secondsBetween, tenantWaiting } from './figures';
import QueueBoard, { type QueueInfo } from './QueueBoard';
import AsOfPicker from './AsOfPicker';
import AgentDayDrawer, { type DayOf } from '../timeline/AgentDayDrawer';
import { formatDuration } from '../util/time';

const FORCIBLE: ForcibleState[] = ['idle', 'busy', 'rest', 'signed_out'];
/** Order of the per-state totals. */
const STATE_COLUMNS: AgentState[] = ['idle', 'talking', 'wrap_up', 'busy', 'rest', 'signed_out'];

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
  const [asOf, setAsOf] = useState<Dayjs | null>(null);
  const [dayOf, setDayOf] = useState<DayOf | null>(null);
  const { me, hasPermission } = useAuth();
  const monitoring = useMonitoring(me?.id ?? '');
  const figures = useBoard(asOf ? asOf.toISOString() : null);
  const { full, toggle: toggleFull } = useFullscreen();
  const reports = hasPermission('reports.view');

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
  const queueInfo = useMemo(() => new Map<string, QueueInfo>((live?.queues ?? []).map((q) => [q.id, { name: q.name, channel: q.channel }])), [live]);
  const past = asOf !== null;
  // The queue table's own count (ringing contacts included) once the figures are in.
  const wait = figures.board ? tenantWaiting(figures.board) : { waiting: sum.waiting, oldest: sum.oldest };
  const waitOffset = figures.board ? figures.offset : offset;
  const board = figures.board;
  const agents = useMemo(() => sortAgents(live?.agents ?? []), [live]);

  return (
    <div data-testid="wallboard" className={full ? 'wallboard wallboard-full' : 'wallboard'} data-full={String(full)}>
      <div className="wallboard-head">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('sv.title')}
        </Typography.Title>
        <Space wrap>
          {reports && <AsOfPicker value={asOf} onChange={setAsOf} />}
          <Button icon={full ? <FullscreenExitOutlined /> : <FullscreenOutlined />} onClick={toggleFull} data-testid="wallboard-fullscreen">
            {t(full ? 'board.exitFull' : 'board.full')}
          </Button>
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
      {figures.error != null && <Alert type="error" showIcon message={errorText(figures.error, t)} style={{ marginBottom: 16 }} data-testid="board-error" />}
      {past && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="board-as-of"
          message={t('board.asOfBanner', { at: asOf.format('YYYY-MM-DD HH:mm') })}
          action={
            <Button size="small" type="primary" onClick={() => setAsOf(null)} data-testid="board-back-live">
              {t('board.backLive')}
            </Button>
          }
        />
      )}

      <Row gutter={[12, 12]} className="wallboard-totals" data-testid="wallboard-totals">
        <Col xs={12} sm={8} lg={6} xl={3}>
          <Card size="small">
            <Statistic title={t('sv.waiting')} value={wait.waiting} valueStyle={{ color: wait.waiting > 0 ? '#fa541c' : undefined }} />
            <span data-testid="total-waiting" data-value={wait.waiting} hidden />
          </Card>
        </Col>
        <Col xs={12} sm={8} lg={6} xl={3}>
          <Card size="small">
            <Statistic
              title={t('sv.longestWait')}
              valueRender={() =>
                past ? (
                  <span>{wait.oldest && board ? formatDuration(secondsBetween(wait.oldest, board.at)) : '—'}</span>
                ) : wait.oldest ? (
                  <Elapsed since={wait.oldest} offset={waitOffset} testId="total-longest-wait" />
                ) : (
                  <span>—</span>
                )
              }
            />
          </Card>
        </Col>
        {(past ? STATE_COLUMNS.filter((s) => s !== 'signed_out') : STATE_COLUMNS).map((s) => {
          const n = past ? (board?.agents[s as Exclude<AgentState, 'signed_out'>] ?? 0) : sum.agents[s];
          return (
            <Col key={s} xs={12} sm={8} lg={4} xl={3}>
              <Card size="small" className="state-total" style={{ borderTop: `3px solid ${STATE_COLORS[s]}` }}>
                <Statistic title={t(`state.${s}`)} value={n} />
                <span data-testid={`total-${s}`} data-value={n} hidden />
              </Card>
            </Col>
          );
        })}
      </Row>
      {board && board.reasons.length > 0 && (
        <div className="board-reasons" data-testid="board-reasons">
          {board.reasons.map((r) => (
            <Tag key={`${r.state}-${r.reason ?? ''}`} color={STATE_COLORS[r.state]} data-testid={`board-reason-${r.state}`}>
              {t(`state.${r.state}`)}
              {r.reason ? ` · ${reasonLabel(r.reason, t)}` : ''}: {r.agents}
            </Tag>
          ))}
        </div>
      )}

      <Card title={t('sv.queues')} size="small" className="wallboard-card">
        <QueueBoard board={board} queues={queueInfo} offset={figures.offset} live={!past} loading={figures.loading} />
      </Card>

      {past ? (
        <Alert type="info" message={t('board.pastNoAgents')} className="wallboard-card" />
      ) : (
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
                <Space size={4}>
                {reports && (
                  <Tooltip title={t('timeline.dayOf')}>
                    <Button
                      size="small"
                      icon={<FieldTimeOutlined />}
                      onClick={() => setDayOf({ agentId: a.id, name: a.display_name || a.login })}
                      data-testid={`agent-day-${a.login}`}
                      aria-label={t('timeline.dayOf')}
                    />
                  </Tooltip>
                )}
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
                </Space>
              ),
            },
          ]}
        />
      </Card>
      )}
      <ChatWatchDrawer watched={watching} onClose={() => setWatching(null)} />
      <AgentDayDrawer of={dayOf} onClose={() => setDayOf(null)} />
      <ForceStateDialog
        request={asking}
        busy={forcing !== null}
        onConfirm={(reason) => asking && void force(asking, reason)}
        onCancel={() => setAsking(null)}
      />
    </div>
  );
}
