// Supervisor monitoring of live calls (P3: listen, whisper, barge) as pure functions: which
// wallboard rows can be monitored, which call (contact) an agent is on, and how each call is
// monitored, followed from the API's answers and the calls' `contact.media` events.
//
// The wallboard's `GET /supervisor/live` says an agent is on a connected call but not which
// contact it is, and the monitor API is addressed by contact. So the contact is learned from
// the live events that name it with its agent (`contact.media`: holds, consults, monitoring) or,
// failing that, found among the call records in progress (`GET /calls?agent_id=…`).
import type { CallRecord, LiveAgent, LiveEvent, MonitorMode } from '../api/types';
import type { MessageKey } from '../i18n';

export const MONITOR_MODES: readonly MonitorMode[] = ['listen', 'whisper', 'barge'];

/** Whether an agent is on a connected call (a wallboard row that may be monitored). */
export function onCall(a: Pick<LiveAgent, 'state' | 'activity'>): boolean {
  return a.state !== 'signed_out' && a.activity.some((c) => c.channel === 'voice' && c.state === 'connected');
}

/** How a call is monitored, and by whom (a supervisor's id; null when the event did not say). */
export interface Monitoring {
  mode: MonitorMode;
  byId: string | null;
}

/** Monitored calls by contact id. */
export type Monitors = Readonly<Record<string, Monitoring>>;

/** Each agent's call in progress (contact id) by agent id, as learned. */
export type AgentCalls = Readonly<Record<string, string>>;

const STARTED: Readonly<Record<string, MonitorMode>> = {
  listen_started: 'listen',
  whisper_started: 'whisper',
  barge_started: 'barge',
};

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

function without<T>(map: Readonly<Record<string, T>>, drop: (key: string, value: T) => boolean): Readonly<Record<string, T>> {
  const entries = Object.entries(map);
  const kept = entries.filter(([k, v]) => !drop(k, v));
  return kept.length === entries.length ? map : Object.fromEntries(kept);
}

/** Whether a live event says that a contact's call is over for its agent. */
function callOver(e: LiveEvent): boolean {
  return e.type === 'contact.wrap_up' || e.type === 'contact.closed';
}

/** How the calls are monitored after a live event. */
export function applyMonitorEvent(monitors: Monitors, e: LiveEvent): Monitors {
  const contact = str(e.contact_id);
  if (!contact) return monitors;
  if (e.type === 'contact.media') {
    const mode = STARTED[String(e.event)];
    if (mode) return { ...monitors, [contact]: { mode, byId: str(e.by_id) } };
    if (e.event === 'monitor_ended') return without(monitors, (k) => k === contact);
    return monitors;
  }
  // A call that ends is monitored no more: the supervisor's phone is hung up with it.
  if (callOver(e)) return without(monitors, (k) => k === contact);
  return monitors;
}

/** Which call each agent is on, after a live event. */
export function learnAgentCall(calls: AgentCalls, e: LiveEvent): AgentCalls {
  const contact = str(e.contact_id);
  if (!contact) return calls;
  // Every `contact.media` event is about a call, and names the agent who has it.
  const agent = str(e.agent_id);
  if (e.type === 'contact.media' && agent) return calls[agent] === contact ? calls : { ...calls, [agent]: contact };
  if (callOver(e) || e.type === 'contact.transferred') return without(calls, (_, v) => v === contact);
  return calls;
}

/** The contact of an agent's call in progress among call records (newest first), or null. */
export function ongoingCall(records: readonly CallRecord[], agentId: string): string | null {
  const r = records.find((c) => c.agent_id === agentId && !c.ended_at && c.contact_id);
  return r?.contact_id ?? null;
}

/** How a row shows its call's monitoring: mine (with its mode), another supervisor's, or none. */
export interface RowMonitoring {
  mine: MonitorMode | null;
  other: boolean;
}

export function rowMonitoring(monitors: Monitors, contactId: string | undefined, myId: string): RowMonitoring {
  const m = contactId ? monitors[contactId] : undefined;
  if (!m) return { mine: null, other: false };
  // An event without a supervisor is taken as mine: only I act from this page.
  const mineToo = m.byId === null || m.byId === myId;
  return { mine: mineToo ? m.mode : null, other: !mineToo };
}

/**
 * The translation for a refusal of the monitor API where the generic one would mislead: here
 * `unreachable` is about my own phone, not someone else's.
 */
export function monitorErrorKey(code: string): MessageKey | null {
  if (code === 'unreachable') return 'sv.monitor.unreachable';
  return null;
}

/** Codes that say the call I had in mind is not this agent's any more: look it up again. */
export function staleCall(code: string): boolean {
  return code === 'not_connected' || code === 'no_call' || code === 'not_found' || code === 'not_a_call';
}
