// Historical reports (P2) for the screen: the query of a filter, the split of a handle time,
// and the ECharts options of the two charts — queues' offered/answered/abandoned per period
// with the service level, agents' time per state.
import type { AgentReportRow, QueueFigures, QueueReport, QueueReportRow } from '../api/types';
import type { ChartOptions } from '../components/Chart';
import { STATE_COLORS } from '../workbench/model';

export const INTERVALS = ['total', 'month', 'day', '60', '30', '15'] as const;
export type Interval = (typeof INTERVALS)[number];
export const REPORT_CHANNELS = ['voice', 'video', 'chat', 'task'] as const;
export type ReportChannel = (typeof REPORT_CHANNELS)[number];

export interface ReportFilter {
  from: string;
  to: string;
  interval: Interval;
  ids: string[];
  channel?: ReportChannel;
}

/** `?from=…&to=…&interval=…[&ids=a,b][&channel=…]` plus any extra parameters (the export's format and language). */
export function reportQuery(f: ReportFilter, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams({ from: f.from, to: f.to, interval: f.interval });
  if (f.ids.length) p.set('ids', f.ids.join(','));
  if (f.channel) p.set('channel', f.channel);
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return `?${p.toString()}`;
}

/** Talk, hold and wrap-up per handled contact: the parts of the AHT; null when none was handled. */
export function handleSplit(f: Pick<QueueFigures, 'talk_ms' | 'hold_ms' | 'wrap_ms' | 'handled'>): { talk: number; hold: number; wrap: number } | null {
  if (!f.handled) return null;
  return { talk: f.talk_ms / f.handled, hold: f.hold_ms / f.handled, wrap: f.wrap_ms / f.handled };
}

/** The service level of summed figures, by the server's rule: in target / (answered + abandoned not short + timed out). */
export function serviceLevel(f: Pick<QueueFigures, 'answered_in_target' | 'answered' | 'abandoned' | 'abandoned_short' | 'timed_out'>): number | null {
  const base = f.answered + (f.abandoned - f.abandoned_short) + f.timed_out;
  return base > 0 ? f.answered_in_target / base : null;
}

interface Sums {
  offered: number;
  answered: number;
  abandoned: number;
  answered_in_target: number;
  abandoned_short: number;
  timed_out: number;
}

const zero = (): Sums => ({ offered: 0, answered: 0, abandoned: 0, answered_in_target: 0, abandoned_short: 0, timed_out: 0 });

/** The chart's categories and their sums: periods (queues added up), or the queues over the range for a total. */
export function queueSeries(report: QueueReport): { labels: string[]; sums: Sums[] } {
  const byLabel = new Map<string, Sums>();
  const source: QueueReportRow[] = report.interval === 'total' ? report.totals : report.rows;
  for (const r of source) {
    const label = report.interval === 'total' ? (r.queue_name ?? r.queue_id.slice(0, 8)) : r.period;
    const s = byLabel.get(label) ?? zero();
    for (const k of Object.keys(s) as (keyof Sums)[]) s[k] += r.figures[k];
    byLabel.set(label, s);
  }
  const labels = [...byLabel.keys()];
  if (report.interval !== 'total') labels.sort();
  return { labels, sums: labels.map((l) => byLabel.get(l) ?? zero()) };
}

export interface QueueChartNames {
  offered: string;
  answered: string;
  abandoned: string;
  serviceLevel: string;
}

export function queueChart(report: QueueReport, names: QueueChartNames): ChartOptions {
  const { labels, sums } = queueSeries(report);
  const sl = sums.map((s) => {
    const v = serviceLevel(s);
    return v === null ? null : Math.round(v * 1000) / 10;
  });
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 48, top: 36, bottom: 48 },
    xAxis: { type: 'category', data: labels, axisLabel: { hideOverlap: true } },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    ],
    series: [
      { name: names.offered, type: 'bar', data: sums.map((s) => s.offered), itemStyle: { color: '#1677ff' } },
      { name: names.answered, type: 'bar', data: sums.map((s) => s.answered), itemStyle: { color: '#52c41a' } },
      { name: names.abandoned, type: 'bar', data: sums.map((s) => s.abandoned), itemStyle: { color: '#ff4d4f' } },
      { name: names.serviceLevel, type: 'line', yAxisIndex: 1, data: sl, connectNulls: true, itemStyle: { color: '#faad14' } },
    ],
  };
}

export const CHART_STATES = ['idle', 'talking', 'wrap_up', 'busy', 'rest'] as const;
type ChartState = (typeof CHART_STATES)[number];
const STATE_MS: Record<ChartState, 'idle_ms' | 'talking_ms' | 'wrap_up_ms' | 'busy_ms' | 'rest_ms'> = {
  idle: 'idle_ms', talking: 'talking_ms', wrap_up: 'wrap_up_ms', busy: 'busy_ms', rest: 'rest_ms',
};

/** Minutes in each state per agent over the range, stacked. */
export function agentChart(totals: readonly AgentReportRow[], stateNames: Record<ChartState, string>, minutes: string): ChartOptions {
  const agents = totals.map((r) => r.agent_name ?? r.agent_id.slice(0, 8));
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 48, right: 24, top: 36, bottom: 48 },
    xAxis: { type: 'category', data: agents },
    yAxis: { type: 'value', name: minutes },
    series: CHART_STATES.map((s) => ({
      name: stateNames[s],
      type: 'bar',
      stack: 'time',
      itemStyle: { color: STATE_COLORS[s] },
      data: totals.map((r) => Math.round(r.figures[STATE_MS[s]] / 6_000) / 10),
    })),
  };
}
