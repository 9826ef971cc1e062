// Report queries, handle-time splits and the charts' series.
import { describe, expect, it } from 'vitest';
import type { AgentReportRow, QueueFigures, QueueReport, QueueReportRow } from '../api/types';
import { agentChart, handleSplit, queueChart, queueSeries, reportQuery, serviceLevel } from './model';

const figures = (over: Partial<QueueFigures> = {}): QueueFigures => ({
  offered: 0, transferred_in: 0, overflowed_in: 0, answered: 0, answered_in_target: 0, answer_wait_ms: 0, abandoned: 0,
  abandoned_short: 0, abandon_wait_ms: 0, timed_out: 0, overflowed_out: 0, cancelled: 0, outbound: 0, handled: 0, talk_ms: 0,
  hold_ms: 0, wrap_ms: 0, transferred_out: 0, no_answers: 0, max_wait_ms: 0, service_level: null, asa_ms: null, aht_ms: null,
  abandon_rate: null, ...over,
});
const row = (period: string, queue: string, f: Partial<QueueFigures>): QueueReportRow => ({
  period, period_start: period, queue_id: `${queue}-0000-id`, queue_name: queue, figures: figures(f),
});

describe('report queries', () => {
  it('carries the filter and the extras', () => {
    expect(reportQuery({ from: '2026-12-01', to: '2026-12-05', interval: 'day', ids: [] })).toBe('?from=2026-12-01&to=2026-12-05&interval=day');
    expect(reportQuery({ from: '2026-12-01', to: '2026-12-01', interval: '15', ids: ['a', 'b'], channel: 'chat' }, { format: 'csv', lang: 'en' })).toBe(
      '?from=2026-12-01&to=2026-12-01&interval=15&ids=a%2Cb&channel=chat&format=csv&lang=en',
    );
  });
});

describe('figures', () => {
  it('splits the handle time per handled contact', () => {
    expect(handleSplit({ talk_ms: 60_000, hold_ms: 20_000, wrap_ms: 40_000, handled: 2 })).toEqual({ talk: 30_000, hold: 10_000, wrap: 20_000 });
    expect(handleSplit({ talk_ms: 1, hold_ms: 0, wrap_ms: 0, handled: 0 })).toBeNull();
  });
  it('recomputes the service level of sums', () => {
    expect(serviceLevel({ answered_in_target: 3, answered: 4, abandoned: 2, abandoned_short: 1, timed_out: 0 })).toBeCloseTo(0.6);
    expect(serviceLevel({ answered_in_target: 0, answered: 0, abandoned: 1, abandoned_short: 1, timed_out: 0 })).toBeNull();
  });
});

describe('charts', () => {
  const report: QueueReport = {
    from: '2026-12-01', to: '2026-12-02', interval: 'day', total: figures(),
    rows: [row('2026-12-02', 'A', { offered: 2, answered: 2, answered_in_target: 1 }), row('2026-12-01', 'A', { offered: 3, answered: 1, abandoned: 2, answered_in_target: 1 }), row('2026-12-01', 'B', { offered: 1, answered: 1, answered_in_target: 1 })],
    totals: [row('total', 'A', { offered: 5 }), row('total', 'B', { offered: 1 })],
  };
  it('adds queues up per period, in order', () => {
    const s = queueSeries(report);
    expect(s.labels).toEqual(['2026-12-01', '2026-12-02']);
    expect(s.sums.map((x) => x.offered)).toEqual([4, 2]);
    expect(queueSeries({ ...report, interval: 'total' }).labels).toEqual(['A', 'B']);
  });
  it('draws bars and the service-level line', () => {
    const o = queueChart(report, { offered: 'O', answered: 'A', abandoned: 'X', serviceLevel: 'SL' }) as { series: { name: string; data: (number | null)[] }[] };
    expect(o.series.map((s) => s.name)).toEqual(['O', 'A', 'X', 'SL']);
    expect(o.series[0].data).toEqual([4, 2]);
    expect(o.series[3].data).toEqual([50, 50]);
  });
  it('stacks agents\u2019 minutes per state', () => {
    const agent = { period: 'total', period_start: '', agent_id: 'a1', agent_name: 'Li', figures: { idle_ms: 600_000, talking_ms: 90_000, wrap_up_ms: 0, busy_ms: 0, rest_ms: 0 } } as unknown as AgentReportRow;
    const o = agentChart([agent], { idle: 'I', talking: 'T', wrap_up: 'W', busy: 'B', rest: 'R' }, 'min') as { xAxis: { data: string[] }; series: { stack: string; data: number[] }[] };
    expect(o.xAxis.data).toEqual(['Li']);
    expect(o.series[0].data).toEqual([10]);
    expect(o.series[1].data).toEqual([1.5]);
    expect(o.series.every((s) => s.stack === 'time')).toBe(true);
  });
});
