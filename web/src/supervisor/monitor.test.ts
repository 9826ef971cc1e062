import { describe, expect, it } from 'vitest';
import type { CallRecord, LiveAgent } from '../api/types';
import { translator } from '../i18n';
import { applyMonitorEvent, learnAgentCall, monitorErrorKey, onCall, ongoingCall, rowMonitoring, staleCall, type Monitors } from './monitor';

const ME = 'sup-1';
const media = (contact_id: string, agent_id: string, event: string, by_id: string | null = null) => ({ type: 'contact.media', contact_id, agent_id, event, by_id, at: '' });

describe('monitorable rows', () => {
  const row = (state: LiveAgent['state'], activity: LiveAgent['activity']) => ({ state, activity });
  it('are agents on a connected call', () => {
    expect(onCall(row('talking', [{ id: 'k1', channel: 'voice', state: 'connected' }]))).toBe(true);
    expect(onCall(row('talking', [{ id: 'k2', channel: 'chat', state: 'connected' }]))).toBe(false);
    expect(onCall(row('idle', [{ id: 'k3', channel: 'voice', state: 'offered' }]))).toBe(false);
    expect(onCall(row('wrap_up', [{ id: 'k4', channel: 'voice', state: 'wrap_up' }]))).toBe(false);
    expect(onCall(row('talking', [{ id: 'k5', channel: 'chat', state: 'connected' }, { id: 'k6', channel: 'voice', state: 'connected' }]))).toBe(true);
  });
});

describe('monitoring from events', () => {
  it('follows each call: listen, whisper, barge, ended', () => {
    let m: Monitors = {};
    m = applyMonitorEvent(m, media('c1', 'a1', 'listen_started', ME));
    expect(m).toEqual({ c1: { mode: 'listen', byId: ME } });
    m = applyMonitorEvent(m, media('c1', 'a1', 'whisper_started', ME));
    expect(m.c1.mode).toBe('whisper');
    m = applyMonitorEvent(m, media('c2', 'a2', 'barge_started', 'sup-2'));
    expect(Object.keys(m)).toEqual(['c1', 'c2']);
    // Hold events leave the monitoring alone.
    expect(applyMonitorEvent(m, media('c1', 'a1', 'held'))).toBe(m);
    m = applyMonitorEvent(m, media('c1', 'a1', 'monitor_ended', ME));
    expect(Object.keys(m)).toEqual(['c2']);
    m = applyMonitorEvent(m, { type: 'contact.wrap_up', contact_id: 'c2', agent_id: 'a2' });
    expect(m).toEqual({});
    expect(applyMonitorEvent(m, { type: 'agent.state', agent_id: 'a1' })).toBe(m);
  });

  it('says whose monitoring a row shows', () => {
    const m: Monitors = { c1: { mode: 'whisper', byId: ME }, c2: { mode: 'listen', byId: 'sup-2' } };
    expect(rowMonitoring(m, 'c1', ME)).toEqual({ mine: 'whisper', other: false });
    expect(rowMonitoring(m, 'c2', ME)).toEqual({ mine: null, other: true });
    expect(rowMonitoring(m, 'c3', ME)).toEqual({ mine: null, other: false });
    expect(rowMonitoring(m, undefined, ME)).toEqual({ mine: null, other: false });
  });
});

describe("an agent's call", () => {
  it('is learned from call events and forgotten when it ends or moves on', () => {
    let calls = learnAgentCall({}, media('c1', 'a1', 'held'));
    expect(calls).toEqual({ a1: 'c1' });
    expect(learnAgentCall(calls, media('c1', 'a1', 'resumed'))).toBe(calls);
    // A connected contact may be a chat: not learned from that.
    expect(learnAgentCall(calls, { type: 'contact.connected', contact_id: 'x', agent_id: 'a2' })).toBe(calls);
    calls = learnAgentCall(calls, media('c2', 'a2', 'listen_started', ME));
    calls = learnAgentCall(calls, { type: 'contact.transferred', contact_id: 'c1', from_agent_id: 'a1', to_agent_id: 'a3' });
    expect(calls).toEqual({ a2: 'c2' });
    calls = learnAgentCall(calls, { type: 'contact.closed', contact_id: 'c2', agent_id: 'a2' });
    expect(calls).toEqual({});
  });

  it('is found among the call records in progress', () => {
    const rec = (id: string, agent_id: string | null, ended_at: string | null, contact_id: string | null) => ({ id, agent_id, ended_at, contact_id }) as CallRecord;
    const records = [rec('r1', 'a2', null, 'c9'), rec('r2', 'a1', '2025-01-01T00:00:00Z', 'c1'), rec('r3', 'a1', null, 'c2'), rec('r4', 'a3', null, null)];
    expect(ongoingCall(records, 'a1')).toBe('c2');
    expect(ongoingCall(records, 'a3')).toBeNull();
    expect(ongoingCall([], 'a1')).toBeNull();
  });
});

describe('monitor refusals', () => {
  it('say that my own phone is missing, in each language', () => {
    const key = monitorErrorKey('unreachable');
    expect(key).not.toBeNull();
    expect(translator('zh-CN')(key!)).toMatch(/请先注册话机/);
    expect(translator('en')(key!)).toMatch(/register your phone first/);
    expect(monitorErrorKey('monitored')).toBeNull();
  });

  it('tell when the call must be looked up again', () => {
    expect(staleCall('not_connected')).toBe(true);
    expect(staleCall('no_call')).toBe(true);
    expect(staleCall('monitored')).toBe(false);
  });
});
