import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttle } from './throttle';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => vi.useRealTimers());

const flush = () => vi.advanceTimersByTimeAsync(0);

describe('throttle', () => {
  it('runs at once, then coalesces calls into one trailing run per interval', async () => {
    const fn = vi.fn();
    const th = throttle(fn, 500);
    th();
    expect(fn).toHaveBeenCalledTimes(1);
    await flush();
    th();
    th();
    th();
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(499);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fn).toHaveBeenCalledTimes(2);
    // Quiet period: the next call runs at once again.
    await vi.advanceTimersByTimeAsync(2000);
    th();
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('at most one run per interval under a stream of events', async () => {
    const fn = vi.fn();
    const th = throttle(fn, 500);
    for (let i = 0; i < 40; i++) {
      th();
      await vi.advanceTimersByTimeAsync(50); // 20 events per second for 2 s
    }
    await vi.advanceTimersByTimeAsync(1000);
    // 2 s of events → runs at 0, 500, 1000, 1500, (2000 trailing)
    expect(fn.mock.calls.length).toBeGreaterThanOrEqual(4);
    expect(fn.mock.calls.length).toBeLessThanOrEqual(5);
  });

  it('never overlaps a pending run', async () => {
    let resolve!: () => void;
    const fn = vi.fn(() => new Promise<void>((r) => (resolve = r)));
    const th = throttle(fn, 100);
    th();
    await vi.advanceTimersByTimeAsync(300);
    th();
    await vi.advanceTimersByTimeAsync(300);
    expect(fn).toHaveBeenCalledTimes(1); // still waiting for the first
    resolve();
    await flush();
    expect(fn).toHaveBeenCalledTimes(2); // the queued call runs once the first settles
  });

  it('survives a failing run', async () => {
    const fn = vi.fn(async () => {
      throw new Error('boom');
    });
    const th = throttle(fn, 100);
    th();
    await flush();
    th();
    await vi.advanceTimersByTimeAsync(100);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('cancel drops the trailing run', async () => {
    const fn = vi.fn();
    const th = throttle(fn, 500);
    th();
    await flush();
    th();
    th.cancel();
    await vi.advanceTimersByTimeAsync(1000);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
