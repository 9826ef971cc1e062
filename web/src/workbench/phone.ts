// The agent's phone in the connection bar: not set up, not registered, or registered on N devices;
// and their standing line (persistent connection): off, calling the phone, or up.
import type { AgentPhone, LiveEvent } from '../api/types';

export type LineState = AgentPhone['line'];
const LINE_STATES: readonly string[] = ['off', 'calling', 'up'] satisfies LineState[];

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

/** `{"type":"agent.phone","agent_id","line"}` for me: the line state it carries; otherwise null. */
export function phoneEventLine(e: LiveEvent, myId: string): LineState | null {
  if (e.type !== 'agent.phone' || e.agent_id !== myId) return null;
  return typeof e.line === 'string' && LINE_STATES.includes(e.line) ? (e.line as LineState) : null;
}

/** The phone after one of my `agent.phone` events (devices and line); unchanged otherwise. */
export function withPhoneEvent(phone: AgentPhone | null, e: LiveEvent, myId: string): AgentPhone | null {
  const devices = phoneEventDevices(e, myId);
  const line = phoneEventLine(e, myId);
  let next = devices === null ? phone : withDevices(phone, devices);
  if (next && line !== null) next = { ...next, line };
  return next;
}

const KEEP_LINE_KEY = 'switchboard.keepLine';

/** Whether this browser's agent wants their line opened at each sign-in. */
export function keepLinePreferred(storage: Pick<Storage, 'getItem'> | null = safeStorage()): boolean {
  return storage?.getItem(KEEP_LINE_KEY) === '1';
}

export function setKeepLinePreferred(on: boolean, storage: Pick<Storage, 'setItem' | 'removeItem'> | null = safeStorage()): void {
  if (!storage) return;
  if (on) storage.setItem(KEEP_LINE_KEY, '1');
  else storage.removeItem(KEEP_LINE_KEY);
}

function safeStorage(): Storage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null;
  }
}
