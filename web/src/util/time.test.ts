import { describe, expect, it } from 'vitest';
import { clockOffset, elapsedSeconds, formatDuration, remainingSeconds, responseOffset } from './time';

const T0 = Date.parse('2025-01-01T10:00:00Z');

describe('formatDuration', () => {
  it('formats minutes and hours', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(5)).toBe('00:05');
    expect(formatDuration(65)).toBe('01:05');
    expect(formatDuration(3599)).toBe('59:59');
    expect(formatDuration(3600)).toBe('1:00:00');
    expect(formatDuration(36000 + 61)).toBe('10:01:01');
  });
  it('handles null, negatives and fractions', () => {
    expect(formatDuration(null)).toBe('--:--');
    expect(formatDuration(-3)).toBe('00:00');
    expect(formatDuration(59.9)).toBe('00:59');
    expect(formatDuration(Number.NaN)).toBe('--:--');
  });
});

describe('server clock skew', () => {
  it('offset is server minus local', () => {
    // The browser is 90 s behind the server.
    expect(clockOffset('2025-01-01T10:01:30Z', T0)).toBe(90_000);
    expect(clockOffset(null, T0)).toBe(0);
    expect(clockOffset('garbage', T0)).toBe(0);
  });

  it('measures the offset at the middle of the request', () => {
    // Sent at T0, received 400 ms later; the server stamped T0 + 200 ms on a clock 5 s ahead.
    const server = new Date(T0 + 200 + 5000).toISOString();
    expect(responseOffset(server, T0, T0 + 400)).toBe(5000);
  });

  it('elapsed time uses the server clock, not the local one', () => {
    // State began 10 s ago on the server; the local clock is 60 s behind.
    const offset = clockOffset('2025-01-01T10:01:00Z', T0);
    expect(elapsedSeconds('2025-01-01T10:00:50Z', offset, T0)).toBe(10);
    // 3.5 s later locally.
    expect(elapsedSeconds('2025-01-01T10:00:50Z', offset, T0 + 3500)).toBe(13);
    // Without correcting, the timer would show 0 (state_since in the local future).
    expect(elapsedSeconds('2025-01-01T10:00:50Z', 0, T0)).toBe(0);
  });

  it('local clock ahead of the server', () => {
    const offset = clockOffset('2025-01-01T09:58:00Z', T0); // local 2 min ahead
    expect(elapsedSeconds('2025-01-01T09:57:00Z', offset, T0)).toBe(60);
  });

  it('remaining seconds round up and stop at zero', () => {
    const offset = clockOffset('2025-01-01T10:00:00Z', T0);
    expect(remainingSeconds('2025-01-01T10:00:20Z', offset, T0)).toBe(20);
    expect(remainingSeconds('2025-01-01T10:00:20Z', offset, T0 + 19_100)).toBe(1);
    expect(remainingSeconds('2025-01-01T10:00:20Z', offset, T0 + 25_000)).toBe(0);
    expect(remainingSeconds(null, 0, T0)).toBeNull();
    // Local clock 30 s behind: 20 s are left on the server although locally 50 s seem left.
    expect(remainingSeconds('2025-01-01T10:00:50Z', 30_000, T0)).toBe(20);
  });

  it('missing or bad times give null', () => {
    expect(elapsedSeconds(null, 0, T0)).toBeNull();
    expect(elapsedSeconds('nope', 0, T0)).toBeNull();
  });
});
