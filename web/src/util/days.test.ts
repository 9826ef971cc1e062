import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, zonedToday } from './days';

describe('zonedToday', () => {
  it("is the tenant's date where the browser's differs", () => {
    // 17:00 UTC on the 4th is 01:00 on the 5th in Shanghai, still the 4th in New York.
    const at = Date.parse('2026-12-04T17:00:00Z');
    expect(zonedToday('Asia/Shanghai', at)).toBe('2026-12-05');
    expect(zonedToday('America/New_York', at)).toBe('2026-12-04');
    expect(zonedToday('UTC', at)).toBe('2026-12-04');
  });

  it('turns the day at local midnight, across a year end', () => {
    expect(zonedToday('Asia/Shanghai', Date.parse('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
    expect(zonedToday('Asia/Shanghai', Date.parse('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(zonedToday('Pacific/Kiritimati', Date.parse('2026-12-31T10:00:00Z'))).toBe('2027-01-01');
  });

  it("falls back to the browser's date without a usable zone", () => {
    const at = Date.parse('2026-12-04T17:00:00Z');
    const d = new Date(at);
    const local = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    expect(zonedToday(null, at)).toBe(local);
    expect(zonedToday('Not/AZone', at)).toBe(local);
  });
});

describe('day arithmetic', () => {
  it('adds and counts days across months and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2026-10-23', '2026-11-21')).toBe(30);
  });
});
