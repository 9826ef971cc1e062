import { describe, expect, it } from 'vitest';
import { keepLinePreferred, phoneEventDevices, phoneEventLine, phoneStanding, setKeepLinePreferred, withDevices, withPhoneEvent } from './phone';

const phone = { extension: '1001', registered_devices: 0, sip_domain: 'demo', line: 'off' as const };

describe('the phone indicator', () => {
  it('says not set up, not registered, or registered on N devices', () => {
    expect(phoneStanding(null)).toEqual({ kind: 'loading' });
    expect(phoneStanding({ ...phone, extension: null })).toEqual({ kind: 'none' });
    expect(phoneStanding(phone)).toEqual({ kind: 'unregistered', extension: '1001' });
    expect(phoneStanding({ ...phone, registered_devices: 2 })).toEqual({ kind: 'registered', extension: '1001', devices: 2 });
  });

  it('takes the device count from my agent.phone events only', () => {
    expect(phoneEventDevices({ type: 'agent.phone', agent_id: 'me', devices: 2 }, 'me')).toBe(2);
    expect(phoneEventDevices({ type: 'agent.phone', agent_id: 'other', devices: 2 }, 'me')).toBeNull();
    expect(phoneEventDevices({ type: 'agent.state', agent_id: 'me' }, 'me')).toBeNull();
    expect(phoneEventDevices({ type: 'agent.phone', agent_id: 'me', devices: -1 }, 'me')).toBeNull();
    expect(phoneEventDevices({ type: 'agent.phone', agent_id: 'me', devices: '2' }, 'me')).toBeNull();
    expect(withDevices(phone, 3)).toEqual({ ...phone, registered_devices: 3 });
    expect(withDevices(null, 3)).toBeNull();
  });

  it('takes the line state from my agent.phone events, with the device count', () => {
    expect(phoneEventLine({ type: 'agent.phone', agent_id: 'me', devices: 1, line: 'up' }, 'me')).toBe('up');
    expect(phoneEventLine({ type: 'agent.phone', agent_id: 'me', line: 'sideways' }, 'me')).toBeNull();
    expect(phoneEventLine({ type: 'agent.phone', agent_id: 'other', line: 'up' }, 'me')).toBeNull();
    const up = withPhoneEvent(phone, { type: 'agent.phone', agent_id: 'me', devices: 2, line: 'calling' }, 'me');
    expect(up).toEqual({ ...phone, registered_devices: 2, line: 'calling' });
    expect(withPhoneEvent(phone, { type: 'agent.state', agent_id: 'me' }, 'me')).toBe(phone);
    expect(withPhoneEvent(null, { type: 'agent.phone', agent_id: 'me', line: 'up' }, 'me')).toBeNull();
  });

  it('remembers whether the agent keeps a line, per browser', () => {
    const kept = new Map<string, string>();
    const storage = {
      getItem: (k: string) => kept.get(k) ?? null,
      setItem: (k: string, v: string) => void kept.set(k, v),
      removeItem: (k: string) => void kept.delete(k),
    };
    expect(keepLinePreferred(storage)).toBe(false);
    setKeepLinePreferred(true, storage);
    expect(keepLinePreferred(storage)).toBe(true);
    setKeepLinePreferred(false, storage);
    expect(keepLinePreferred(storage)).toBe(false);
  });
});
