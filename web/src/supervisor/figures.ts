// The wallboard's figures (P1) as they are shown: threshold colours of a queue's cells (warning
// and alarm, each with an icon as well as a colour), durations and percentages, and the
// `wallboard` socket message read back into a `Wallboard`.
import type { LiveEvent, QueueTargets, ThresholdLevels, Wallboard, WallboardQueue } from '../api/types';
import { formatDuration } from '../util/time';

export type Level = 'ok' | 'warn' | 'alarm';

/** A level for a value that is worse the higher it is (waiting, longest wait, abandon rate). */
export function levelAbove(value: number | null, levels: ThresholdLevels): Level {
  if (value === null || !Number.isFinite(value)) return 'ok';
  if (levels.alarm != null && value >= levels.alarm) return 'alarm';
  if (levels.warn != null && value >= levels.warn) return 'warn';
  return 'ok';
}

/** A level for a value that is worse the lower it is (service level). */
export function levelBelow(value: number | null, levels: ThresholdLevels): Level {
  if (value === null || !Number.isFinite(value)) return 'ok';
  if (levels.alarm != null && value <= levels.alarm) return 'alarm';
  if (levels.warn != null && value <= levels.warn) return 'warn';
  return 'ok';
}

/** A fraction (0..1) as a percent number, for comparing against thresholds set in percent. */
export function percentOf(fraction: number | null): number | null {
  return fraction === null || !Number.isFinite(fraction) ? null : fraction * 100;
}

export interface QueueLevels {
  waiting: Level;
  longestWait: Level;
  serviceLevel: Level;
  abandonRate: Level;
  /** The window's service level and abandon rate, coloured by the same thresholds. */
  windowServiceLevel: Level;
  windowAbandonRate: Level;
}

/** The colour of each thresholded cell of a queue, given the seconds its longest wait has run. */
export function queueLevels(q: WallboardQueue, longestWaitS: number | null): QueueLevels {
  const t: QueueTargets = q.targets;
  return {
    waiting: levelAbove(q.waiting, t.waiting),
    longestWait: levelAbove(q.waiting > 0 ? longestWaitS : null, t.longest_wait_s),
    serviceLevel: levelBelow(percentOf(q.today.service_level), t.service_level),
    abandonRate: levelAbove(percentOf(q.today.abandon_rate), t.abandon_rate),
    windowServiceLevel: levelBelow(percentOf(q.window.service_level), t.service_level),
    windowAbandonRate: levelAbove(percentOf(q.window.abandon_rate), t.abandon_rate),
  };
}

/** The worse of some levels (a queue's row badge, the tenant's banner). */
export function worst(levels: readonly Level[]): Level {
  if (levels.includes('alarm')) return 'alarm';
  return levels.includes('warn') ? 'warn' : 'ok';
}

/** A fraction as a percent with one decimal ("83.3%"); "—" when there is nothing to divide. */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction == null || !Number.isFinite(fraction)) return '—';
  return `${(Math.round(fraction * 1000) / 10).toFixed(1)}%`;
}

/** Milliseconds as `mm:ss` or `h:mm:ss`; "—" when there is nothing to average. */
export function formatMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '—';
  return formatDuration(Math.round(ms / 1000));
}

/** The service-level target as the trade says it: "80/20". */
export function targetLabel(t: QueueTargets): string {
  return `${t.service_level_goal}/${t.answer_within_s}`;
}

/** A `wallboard` socket message as a `Wallboard`, or null for any other message or a malformed one. */
export function wallboardMessage(e: LiveEvent): Wallboard | null {
  if (e.type !== 'wallboard') return null;
  const { type: _type, ...rest } = e;
  const w = rest as unknown as Partial<Wallboard>;
  if (typeof w.at !== 'string' || !Array.isArray(w.queues) || !w.today || !w.window || !w.agents || !Array.isArray(w.reasons)) return null;
  return w as Wallboard;
}

/** Keep the later of two boards: a reply to the first fetch may arrive after a newer message. */
export function later(current: Wallboard | null, incoming: Wallboard): Wallboard {
  if (!current) return incoming;
  return Date.parse(incoming.at) >= Date.parse(current.at) ? incoming : current;
}

/** Contacts waiting over all queues and the earliest start of a wait among them. */
export function tenantWaiting(board: Wallboard | null): { waiting: number; oldest: string | null } {
  let waiting = 0;
  let oldest: string | null = null;
  for (const q of board?.queues ?? []) {
    waiting += q.waiting;
    if (q.waiting > 0 && q.oldest_since && (!oldest || Date.parse(q.oldest_since) < Date.parse(oldest))) oldest = q.oldest_since;
  }
  return { waiting, oldest };
}

/** Seconds from `since` to `at` (a board's own moment), for a board that does not tick. */
export function secondsBetween(since: string | null, at: string): number | null {
  if (!since) return null;
  const a = Date.parse(since);
  const b = Date.parse(at);
  return Number.isFinite(a) && Number.isFinite(b) ? Math.max(0, Math.floor((b - a) / 1000)) : null;
}
