// The ticket management view's data (`GET /tickets/stats`, `tickets.view_all`) and the pure helpers
// of its page: the query, every day of the range (the API leaves out empty days), chart scales.
import { api } from '../api/client';
import type { components } from '../api/schema.gen';
import { addDays, daysBetween } from '../util/days';

export type StatCounts = components['schemas']['Counts'];
export type TicketStats = components['schemas']['Stats'];

export interface StatsFilter {
  /** First and last day, `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
  typeId?: string;
  groupId?: string;
}

/** The server counts days in China time (UTC+8, as `by_day` dates are). */
export const BUSINESS_OFFSET = '+08:00';
export const MAX_RANGE_DAYS = 400;

export { addDays, daysBetween };

/** Today's date in business time (UTC+8), whatever the browser's time zone. */
export function businessToday(nowMs: number = Date.now()): string {
  return new Date(nowMs + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The default range: the last 30 days up to `today`. */
export function defaultRange(today: string): [string, string] {
  return [addDays(today, -29), today];
}

/** Query parameters: from the start of the first day to the start of the day after the last. */
export function statsQuery(f: StatsFilter): string {
  const q = new URLSearchParams();
  q.set('from', `${f.from}T00:00:00${BUSINESS_OFFSET}`);
  q.set('to', `${addDays(f.to, 1)}T00:00:00${BUSINESS_OFFSET}`);
  if (f.typeId) q.set('type_id', f.typeId);
  if (f.groupId) q.set('group_id', f.groupId);
  return q.toString();
}

/** Why a range cannot be asked for, or null. */
export function rangeProblem(from: string, to: string): 'order' | 'length' | null {
  const n = daysBetween(from, to);
  if (n < 1) return 'order';
  if (n > MAX_RANGE_DAYS) return 'length';
  return null;
}

export const ticketStatsApi = {
  get: (f: StatsFilter) => api.get<TicketStats>(`/tickets/stats?${statsQuery(f)}`),
};

/** Every day of the range, zero where the API had nothing. */
export function fillDays(from: string, to: string, byDay: TicketStats['by_day']): TicketStats['by_day'] {
  const known = new Map(byDay.map((d) => [d.date, d]));
  const out: TicketStats['by_day'] = [];
  const n = Math.min(daysBetween(from, to), MAX_RANGE_DAYS + 1);
  for (let i = 0; i < n; i++) {
    const date = addDays(from, i);
    const d = known.get(date);
    out.push({ date, created: d?.created ?? 0, completed: d?.completed ?? 0 });
  }
  return out;
}

/** Round axis ticks from 0 covering `max` (at most about 5 steps of 1, 2 or 5 × 10ⁿ). */
export function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / 5;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= rough) ?? 10 * mag;
  const stepInt = Math.max(1, Math.round(step));
  const top = Math.ceil(max / stepInt) * stepInt;
  const ticks: number[] = [];
  for (let v = 0; v <= top; v += stepInt) ticks.push(v);
  return ticks;
}

/** Which day labels to print under the chart so they do not crowd: about `room` of them, always the last. */
export function labelEvery(days: number, room: number): number {
  return Math.max(1, Math.ceil(days / Math.max(1, room)));
}
