import { describe, expect, it } from 'vitest';
import { addDays, businessToday, daysBetween, defaultRange, fillDays, labelEvery, niceTicks, rangeProblem, statsQuery } from './ticketStats';

describe('ticket stats helpers', () => {
  it('the default range is the last 30 days, today included', () => {
    expect(defaultRange('2026-11-21')).toEqual(['2026-10-23', '2026-11-21']);
    expect(daysBetween('2026-10-23', '2026-11-21')).toBe(30);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('today is the business (UTC+8) date', () => {
    expect(businessToday(Date.parse('2026-11-21T15:59:00Z'))).toBe('2026-11-21');
    expect(businessToday(Date.parse('2026-11-21T16:00:00Z'))).toBe('2026-11-22');
  });

  it('asks from the first day\'s start to the day after the last, in China time', () => {
    const q = new URLSearchParams(statsQuery({ from: '2026-11-01', to: '2026-11-21', typeId: 't', groupId: '' }));
    expect(q.get('from')).toBe('2026-11-01T00:00:00+08:00');
    expect(q.get('to')).toBe('2026-11-22T00:00:00+08:00');
    expect(q.get('type_id')).toBe('t');
    expect(q.has('group_id')).toBe(false);
  });

  it('refuses reversed or over-long ranges', () => {
    expect(rangeProblem('2026-11-01', '2026-11-01')).toBeNull();
    expect(rangeProblem('2026-11-02', '2026-11-01')).toBe('order');
    expect(rangeProblem('2025-01-01', '2026-11-01')).toBe('length');
  });

  it('fills the days the API left out', () => {
    const days = fillDays('2026-11-19', '2026-11-21', [{ date: '2026-11-20', created: 3, completed: 1 }]);
    expect(days).toEqual([
      { date: '2026-11-19', created: 0, completed: 0 },
      { date: '2026-11-20', created: 3, completed: 1 },
      { date: '2026-11-21', created: 0, completed: 0 },
    ]);
  });

  it('scales the axis to round ticks', () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(1)).toEqual([0, 1]);
    expect(niceTicks(4)).toEqual([0, 1, 2, 3, 4]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(93)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(1234).at(-1)).toBeGreaterThanOrEqual(1234);
    expect(labelEvery(30, 10)).toBe(3);
    expect(labelEvery(5, 10)).toBe(1);
  });
});
