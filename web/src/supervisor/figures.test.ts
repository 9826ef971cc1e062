// Threshold colours, formats and the socket message of the wallboard's figures.
import { describe, expect, it } from 'vitest';
import type { QueueFigures, QueueTargets, Wallboard, WallboardQueue } from '../api/types';
import { formatMs, formatPercent, later, levelAbove, levelBelow, queueLevels, secondsBetween, targetLabel, tenantWaiting, wallboardMessage, worst } from './figures';

const figures = (over: Partial<QueueFigures> = {}): QueueFigures => ({
  offered: 0, transferred_in: 0, overflowed_in: 0, answered: 0, answered_in_target: 0, answer_wait_ms: 0, abandoned: 0,
  abandoned_short: 0, abandon_wait_ms: 0, timed_out: 0, overflowed_out: 0, cancelled: 0, outbound: 0, handled: 0, talk_ms: 0,
  hold_ms: 0, wrap_ms: 0, transferred_out: 0, no_answers: 0, max_wait_ms: 0, service_level: null, asa_ms: null, aht_ms: null,
  abandon_rate: null, ...over,
});
const targets: QueueTargets = {
  answer_within_s: 20, service_level_goal: 80, short_abandon_s: 5,
  waiting: { warn: 3, alarm: 6 }, longest_wait_s: { warn: 30, alarm: 60 }, service_level: { warn: 80, alarm: 60 }, abandon_rate: { warn: 5, alarm: 10 },
};
const queue = (over: Partial<WallboardQueue> = {}): WallboardQueue => ({
  queue_id: 'q1', waiting: 0, oldest_since: null, agents: { idle: 0, talking: 0, wrap_up: 0, busy: 0, rest: 0 },
  today: figures(), window: figures(), targets, ...over,
});
const board = (at: string, queues: WallboardQueue[] = []): Wallboard => ({
  at, day_start: '2026-12-04T16:00:00Z', window_minutes: 30, queues, agents: { idle: 1, talking: 0, wrap_up: 0, busy: 0, rest: 0 },
  reasons: [], today: figures(), window: figures(),
});

describe('threshold levels', () => {
  it('colours at or above the levels', () => {
    expect(levelAbove(2, { warn: 3, alarm: 6 })).toBe('ok');
    expect(levelAbove(3, { warn: 3, alarm: 6 })).toBe('warn');
    expect(levelAbove(6, { warn: 3, alarm: 6 })).toBe('alarm');
    expect(levelAbove(100, { warn: null, alarm: null })).toBe('ok');
    expect(levelAbove(7, { warn: null, alarm: 6 })).toBe('alarm');
    expect(levelAbove(null, { warn: 0, alarm: 0 })).toBe('ok');
  });
  it('colours the service level at or below', () => {
    expect(levelBelow(85, { warn: 80, alarm: 60 })).toBe('ok');
    expect(levelBelow(80, { warn: 80, alarm: 60 })).toBe('warn');
    expect(levelBelow(60, { warn: 80, alarm: 60 })).toBe('alarm');
    expect(levelBelow(null, { warn: 80, alarm: 60 })).toBe('ok');
  });
  it('reads a queue in percent and seconds', () => {
    const q = queue({ waiting: 4, today: figures({ service_level: 0.5, abandon_rate: 0.05 }), window: figures({ service_level: 0.9, abandon_rate: 0.2 }) });
    expect(queueLevels(q, 61)).toEqual({ waiting: 'warn', longestWait: 'alarm', serviceLevel: 'alarm', abandonRate: 'warn', windowServiceLevel: 'ok', windowAbandonRate: 'alarm' });
    expect(queueLevels(queue({ waiting: 0 }), 600).longestWait).toBe('ok');
    expect(worst(['ok', 'warn'])).toBe('warn');
    expect(worst(['warn', 'alarm', 'ok'])).toBe('alarm');
    expect(worst([])).toBe('ok');
  });
});

describe('formats', () => {
  it('says percentages with one decimal and durations as clocks', () => {
    expect(formatPercent(0.8333)).toBe('83.3%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(null)).toBe('—');
    expect(formatMs(65_400)).toBe('01:05');
    expect(formatMs(3_725_000)).toBe('1:02:05');
    expect(formatMs(null)).toBe('—');
    expect(targetLabel(targets)).toBe('80/20');
  });
});

describe('the socket message', () => {
  it('reads a wallboard message and drops others', () => {
    const b = board('2026-12-05T10:00:00Z', [queue()]);
    expect(wallboardMessage({ type: 'wallboard', ...b })).toEqual(b);
    expect(wallboardMessage({ type: 'agent.state' })).toBeNull();
    expect(wallboardMessage({ type: 'wallboard', at: 'x' })).toBeNull();
  });
  it('keeps the later board', () => {
    const a = board('2026-12-05T10:00:00Z');
    const b = board('2026-12-05T10:00:05Z');
    expect(later(null, a)).toBe(a);
    expect(later(b, a)).toBe(b);
    expect(later(a, b)).toBe(b);
  });
  it('sums waiting and finds the oldest wait', () => {
    const b = board('2026-12-05T10:00:00Z', [
      queue({ waiting: 2, oldest_since: '2026-12-05T09:59:00Z' }),
      queue({ queue_id: 'q2', waiting: 1, oldest_since: '2026-12-05T09:58:00Z' }),
      queue({ queue_id: 'q3', waiting: 0, oldest_since: '2026-12-05T09:00:00Z' }),
    ]);
    expect(tenantWaiting(b)).toEqual({ waiting: 3, oldest: '2026-12-05T09:58:00Z' });
    expect(secondsBetween('2026-12-05T09:58:00Z', b.at)).toBe(120);
    expect(secondsBetween(null, b.at)).toBeNull();
  });
});
