import { describe, expect, it } from 'vitest';
import { phoneEventDevices, phoneStanding, withDevices } from './phone';

const phone = { extension: '1001', registered_devices: 0, sip_domain: 'demo' };

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
});
