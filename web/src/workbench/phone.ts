// The agent's phone in the connection bar: not set up, not registered, or registered on N devices.
import type { AgentPhone, LiveEvent } from '../api/types';

export type PhoneStanding = { kind: 'loading' } | { kind: 'none' } | { kind: 'unregistered'; extension: string } | { kind: 'registered'; extension: string; devices: number };

export function phoneStanding(phone: AgentPhone | null): PhoneStanding {
  if (!phone) return { kind: 'loading' };
  if (!phone.extension) return { kind: 'none' };
  if (phone.registered_devices <= 0) return { kind: 'unregistered', extension: phone.extension };
  return { kind: 'registered', extension: phone.extension, devices: phone.registered_devices };
}

/** `{"type":"agent.phone","agent_id","devices"}` for me: the device count it carries; otherwise null. */
export function phoneEventDevices(e: LiveEvent, myId: string): number | null {
  if (e.type !== 'agent.phone' || e.agent_id !== myId) return null;
  const n = e.devices;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : null;
}

/** The phone after an event's device count. */
export function withDevices(phone: AgentPhone | null, devices: number): AgentPhone | null {
  return phone ? { ...phone, registered_devices: devices } : phone;
}
