import { describe, expect, it } from 'vitest';
import { hasCallControls, lastTransferNote, holdTotalSeconds, isDtmf, isHeld, KEYPAD_KEYS, keypadKeyOf, showHoldTotal, shownSent } from './callControl';

const T0 = Date.parse('2025-01-01T10:00:00Z');

describe('call controls', () => {
  it('apply to my connected call only', () => {
    expect(hasCallControls({ channel: 'voice', state: 'connected' })).toBe(true);
    expect(hasCallControls({ channel: 'voice', state: 'wrap_up' })).toBe(false);
    expect(hasCallControls({ channel: 'voice', state: 'offered' })).toBe(false);
    expect(hasCallControls({ channel: 'task', state: 'connected' })).toBe(false);
    expect(hasCallControls({ channel: 'chat', state: 'connected' })).toBe(false);
  });

  it('count the hold in progress into the total, on the server clock', () => {
    const held = { held_since: '2025-01-01T10:00:00Z', hold_ms: 65_400 };
    expect(isHeld(held)).toBe(true);
    // Local clock 2 s behind the server: 10 s of the current hold have passed.
    expect(holdTotalSeconds(held, 2_000, T0 + 8_000)).toBe(75);
    const resumed = { held_since: null, hold_ms: 65_400 };
    expect(isHeld(resumed)).toBe(false);
    expect(holdTotalSeconds(resumed, 0, T0)).toBe(65);
    expect(holdTotalSeconds({ held_since: 'garbage', hold_ms: 0 }, 0, T0)).toBe(0);
  });

  it('show the total once a hold has ended', () => {
    expect(showHoldTotal({ hold_ms: 0 })).toBe(false);
    expect(showHoldTotal({ hold_ms: 400 })).toBe(false);
    expect(showHoldTotal({ hold_ms: 1_200 })).toBe(true);
  });
});

describe('keypad', () => {
  it('has the twelve keys of a phone, each sendable', () => {
    expect(KEYPAD_KEYS.join('')).toBe('123456789*0#');
    for (const k of KEYPAD_KEYS) expect(isDtmf(k), k).toBe(true);
  });

  it('sends only what the server takes', () => {
    expect(isDtmf('12#*ABCD')).toBe(true);
    expect(isDtmf('')).toBe(false);
    expect(isDtmf('9x')).toBe(false);
    expect(isDtmf('1'.repeat(33))).toBe(false);
  });

  it('maps keyboard keys to keypad keys', () => {
    expect(keypadKeyOf('5')).toBe('5');
    expect(keypadKeyOf('#')).toBe('#');
    expect(keypadKeyOf('a')).toBeNull();
    expect(keypadKeyOf('Enter')).toBeNull();
  });

  it('shows the latest keys when many were sent', () => {
    expect(shownSent('1#')).toBe('1#');
    const long = '0123456789'.repeat(3);
    expect(shownSent(long)).toHaveLength(24);
    expect(shownSent(long).endsWith('789')).toBe(true);
    expect(shownSent(long).startsWith('…')).toBe(true);
  });
});

describe('transfer note', () => {
  const notice = (seq: number, body: unknown) => ({ id: `m${seq}`, seq, sender: 'system', kind: 'notice', body, client_id: null, at: '', recalled: false });
  it('is the latest internal transfer notice with a note', () => {
    const messages = [
      notice(1, { event: 'transferred', internal: true, note: '第一次', from_agent_id: 'a1' }),
      notice(2, { event: 'transferred', internal: true, note: '第二次', from_agent_id: 'a2', to_agent_id: 'a3' }),
      notice(3, { event: 'closed', internal: true }),
      notice(4, 'plain text'),
    ];
    expect(lastTransferNote(messages)).toEqual({ note: '第二次', fromAgentId: 'a2' });
  });
  it('is nothing when no transfer left one', () => {
    expect(lastTransferNote([])).toBeNull();
    expect(lastTransferNote([notice(1, { event: 'transferred', internal: false, note: 'x' }), { junk: true }])).toBeNull();
    expect(lastTransferNote([notice(1, { event: 'transferred', internal: true, note: '备注' })])).toEqual({ note: '备注', fromAgentId: null });
  });
});
