// The wallboard's queue table (P1): per queue and for the tenant, now (waiting, the longest
// wait ticking), today and the sliding window (offered, answered, abandoned with the short ones
// apart, service level against the goal, abandon rate, ASA, AHT) and agents per state, each
// thresholded cell coloured by the queue's own levels.
import { Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Channel, QueueFigures, StateCounts, Wallboard, WallboardQueue } from '../api/types';
import { useT, type TFunc } from '../i18n';
import { Elapsed } from '../components/Timers';
import { STATE_COLORS } from '../workbench/model';
import { CHANNEL_COLORS } from '../workbench/QueuePicker';
import { useNow } from '../util/useNow';
import { elapsedSeconds, formatDuration } from '../util/time';
import { formatMs, formatPercent, queueLevels, secondsBetween, targetLabel, tenantWaiting, type Level, type QueueLevels } from './figures';
import LevelCell from './LevelCell';

const STATES: (keyof StateCounts)[] = ['idle', 'talking', 'wrap_up', 'busy', 'rest'];
const TOTAL = 'total';

interface Row {
  key: string;
  name: string;
  channel: Channel | null;
  waiting: number;
  oldest: string | null;
  agents: StateCounts;
  today: QueueFigures;
  window: QueueFigures;
  /** The queue's row (a tenant total has none). */
  queue: WallboardQueue | null;
}

export interface QueueInfo {
  name: string;
  channel: Channel;
}

interface Props {
  board: Wallboard | null;
  queues: ReadonlyMap<string, QueueInfo>;
  offset: number;
  /** A past board does not tick: its waits are counted to its own moment. */
  live: boolean;
  loading: boolean;
}

export default function QueueBoard({ board, queues, offset, live, loading }: Props) {
  const t = useT();
  const now = useNow();
  const waitOf = (oldest: string | null) => (live ? elapsedSeconds(oldest, offset, now) : board ? secondsBetween(oldest, board.at) : null);
  const rows: Row[] = (board?.queues ?? []).map((q) => ({
    key: q.queue_id,
    name: queues.get(q.queue_id)?.name ?? q.queue_id.slice(0, 8),
    channel: queues.get(q.queue_id)?.channel ?? null,
    waiting: q.waiting,
    oldest: q.oldest_since,
    agents: q.agents,
    today: q.today,
    window: q.window,
    queue: q,
  }));
  rows.sort((a, b) => a.name.localeCompare(b.name));
  const sum = tenantWaiting(board);
  const total: Row | null = board
    ? { key: TOTAL, name: t('board.allQueues'), channel: null, waiting: sum.waiting, oldest: sum.oldest, agents: board.agents, today: board.today, window: board.window, queue: null }
    : null;
  const levels = (r: Row): QueueLevels | null => (r.queue ? queueLevels(r.queue, waitOf(r.oldest)) : null);
  const minutes = board?.window_minutes ?? 30;

  const columns: ColumnsType<Row> = [
    {
      title: t('queues.name'),
      key: 'name',
      fixed: 'left',
      render: (_, r) => (
        <span>
          <Typography.Text strong={r.key === TOTAL}>{r.name}</Typography.Text>{' '}
          {r.channel && <Tag color={CHANNEL_COLORS[r.channel]}>{t(`channel.${r.channel}`)}</Tag>}
        </span>
      ),
    },
    { title: t('board.target'), key: 'target', render: (_, r) => (r.queue ? <Tag data-testid="queue-target">{targetLabel(r.queue.targets)}</Tag> : '—') },
    {
      title: t('sv.waiting'),
      key: 'waiting',
      align: 'right',
      render: (_, r) => (
        <LevelCell level={levels(r)?.waiting ?? 'ok'} testId="queue-waiting">
          <span data-value={r.waiting}>{r.waiting}</span>
        </LevelCell>
      ),
    },
    {
      title: t('sv.longestWait'),
      key: 'longest',
      align: 'right',
      render: (_, r) =>
        r.waiting > 0 && r.oldest ? (
          <LevelCell level={levels(r)?.longestWait ?? 'ok'} testId="queue-longest-wait">
            {live ? <Elapsed since={r.oldest} offset={offset} /> : formatDuration(waitOf(r.oldest))}
          </LevelCell>
        ) : (
          '—'
        ),
    },
    { title: t('board.today'), children: figureColumns(t, 'today', (r) => levels(r)) },
    { title: t('board.window', { n: minutes }), children: figureColumns(t, 'window', (r) => levels(r)) },
    {
      title: t('board.agents'),
      children: STATES.map((s) => ({
        title: (
          <span className="state-col-title">
            <span className="state-dot" style={{ background: STATE_COLORS[s] }} />
            {t(`state.${s}`)}
          </span>
        ),
        key: `agents-${s}`,
        align: 'right' as const,
        render: (_: unknown, r: Row) => <span data-testid={`queue-agents-${s}`}>{r.agents[s]}</span>,
      })),
    },
  ];

  return (
    <Table<Row>
      rowKey="key"
      size="small"
      bordered
      loading={loading && !board}
      dataSource={total ? [...rows, total] : rows}
      pagination={false}
      scroll={{ x: 'max-content' }}
      data-testid="wallboard-queues"
      rowClassName={(r) => (r.key === TOTAL ? 'board-total-row' : '')}
      onRow={(r) => ({ 'data-testid': r.key === TOTAL ? 'wallboard-queue-total' : `wallboard-queue-${r.name}` }) as React.HTMLAttributes<HTMLElement>}
      columns={columns}
    />
  );
}

type Span = 'today' | 'window';

/** Today's or the window's figures; the service level and abandon rate carry the queue's colours. */
function figureColumns(t: TFunc, span: Span, levelsOf: (r: Row) => QueueLevels | null): ColumnsType<Row> {
  const sl = (r: Row): Level => levelsOf(r)?.[span === 'today' ? 'serviceLevel' : 'windowServiceLevel'] ?? 'ok';
  const ar = (r: Row): Level => levelsOf(r)?.[span === 'today' ? 'abandonRate' : 'windowAbandonRate'] ?? 'ok';
  const n = (get: (f: QueueFigures) => number, id: string) => (_: unknown, r: Row) => <span data-testid={`${span}-${id}`}>{get(r[span])}</span>;
  return [
    { title: t('board.offered'), key: `${span}-offered`, align: 'right', render: n((f) => f.offered, 'offered') },
    { title: t('board.answered'), key: `${span}-answered`, align: 'right', render: n((f) => f.answered, 'answered') },
    {
      title: t('board.abandoned'),
      key: `${span}-abandoned`,
      align: 'right',
      render: (_, r) => (
        <span data-testid={`${span}-abandoned`} data-value={r[span].abandoned}>
          {r[span].abandoned}
          {r[span].abandoned_short > 0 && <Typography.Text type="secondary">{` (${t('board.short', { n: r[span].abandoned_short })})`}</Typography.Text>}
        </span>
      ),
    },
    {
      title: t('board.serviceLevel'),
      key: `${span}-sl`,
      align: 'right',
      render: (_, r) => (
        <LevelCell level={sl(r)} testId={`${span}-sl`}>
          {formatPercent(r[span].service_level)}
          {r.queue && <Typography.Text type="secondary" className="board-goal">{` / ${r.queue.targets.service_level_goal}%`}</Typography.Text>}
        </LevelCell>
      ),
    },
    {
      title: t('board.abandonRate'),
      key: `${span}-ar`,
      align: 'right',
      render: (_, r) => (
        <LevelCell level={ar(r)} testId={`${span}-abandon-rate`}>
          {formatPercent(r[span].abandon_rate)}
        </LevelCell>
      ),
    },
    { title: t('board.asa'), key: `${span}-asa`, align: 'right', render: (_, r) => formatMs(r[span].asa_ms) },
    { title: t('board.aht'), key: `${span}-aht`, align: 'right', render: (_, r) => formatMs(r[span].aht_ms) },
  ];
}
