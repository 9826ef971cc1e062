import { afterEach, describe, expect, it, vi } from 'vitest';
import { callRinging, isRinging, ringFor, RING_CYCLE_S, RING_PATTERN } from './ringtone';

class FakeParam {
  value = 0;
  setValueAtTime() {}
  exponentialRampToValueAtTime() {}
}
class FakeNode {
  frequency = new FakeParam();
  gain = new FakeParam();
  /** Stopped at once (not at the end of its burst). */
  silenced = false;
  connect() {
    return this;
  }
  start() {}
  stop(when?: number) {
    if (when === undefined) this.silenced = true;
  }
}
const made: FakeNode[] = [];
class FakeAudioContext {
  currentTime = 0;
  state = 'running';
  destination = {};
  createGain() {
    return new FakeNode();
  }
  createOscillator() {
    const n = new FakeNode();
    made.push(n);
    return n;
  }
}

afterEach(() => {
  ringFor(false);
  vi.useRealTimers();
});

describe('the ring of an incoming call', () => {
  it('rings for calls only', () => {
    expect(callRinging([{ channel: 'chat' }])).toBe(false);
    expect(callRinging([{ channel: 'chat' }, { channel: 'voice' }])).toBe(true);
    expect(callRinging([])).toBe(false);
  });

  it('is two bursts that fit in one cycle', () => {
    const last = RING_PATTERN[RING_PATTERN.length - 1];
    expect(RING_PATTERN).toHaveLength(2);
    expect(last.at + last.length).toBeLessThan(RING_CYCLE_S);
  });

  it('plays a dual tone every cycle until stopped', () => {
    vi.useFakeTimers();
    vi.stubGlobal('window', { AudioContext: FakeAudioContext });
    ringFor(true);
    ringFor(true);
    expect(isRinging()).toBe(true);
    expect(made).toHaveLength(2);
    vi.advanceTimersByTime(RING_CYCLE_S * 1000 * 2);
    expect(made).toHaveLength(6);
    ringFor(false);
    expect(isRinging()).toBe(false);
    expect(made.slice(-2).every((o) => o.silenced)).toBe(true);
    vi.advanceTimersByTime(RING_CYCLE_S * 1000 * 2);
    expect(made).toHaveLength(6);
    vi.unstubAllGlobals();
  });
});
