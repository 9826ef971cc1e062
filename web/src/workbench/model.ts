// Pure derivations for the workbench: which events matter, live queue counts, button states.
import type { AgentState, AgentStatus, Channel, Contact, ContactState, LiveEvent, QueueWaiting } from '../api/types';
import { hasKey, type MessageKey, type TFunc } from '../i18n';
import { reasonLabel } from './labels';

/** Badge colours per agent state (connection bar and wallboard). */
export const STATE_COLORS: Record<AgentState, string> = {
  signed_out: '#bfbfbf',
  idle: '#52c41a',
  talking: '#1677ff',
  wrap_up: '#fa8c16',
  busy: '#f5222d',
  rest: '#722ed1',
};

/** Preset reasons for busy and rest (translation keys `wb.reason.<key>`); any text may be typed instead. */
export const REASON_PRESETS = ['meeting', 'training', 'lunch'] as const;
/** Engine limit for a reason code. */
export const REASON_MAX = 32;

/**
 * Events about agents and contacts; the agent view re-fetches `GET /agent` on them.
 * `contact.media` (a call held or resumed) changes the contact's `held_since` and `hold_ms`.
 */
const AGENT_EVENTS = new Set([
  'agent.state', 'agent.signed_in', 'agent.signed_out', 'agent.queues',
  'contact.offered', 'contact.connected', 'contact.wrap_up', 'contact.closed', 'contact.offer_timeout', 'contact.reserved',
  'contact.media',
]);
/** Foundation events that can change what `GET /agent` returns (bound queues, parameters). */
const CONFIG_EVENTS = new Set(['params.updated', 'queue.updated', 'queue.deleted', 'user.updated', 'resync', 'session.ended']);

/**
 * Whether a live event should make the agent view re-fetch `GET /agent`. Events naming another
 * agent (a supervisor who also works as an agent receives everyone's) are ignored;
 * `queue.stats` is applied in place by {@link applyQueueStats} instead.
 */
export function needsRefetch(e: LiveEvent, myId: string): boolean {
  // A transfer names the agent handing it on and, when it goes to an agent, the one taking it.
  if (e.type === 'contact.transferred') return e.from_agent_id === myId || e.to_agent_id === myId;
  if (AGENT_EVENTS.has(e.type)) {
    const agent = typeof e.agent_id === 'string' ? e.agent_id : undefined;
    const contactAgent = (e.contact as { agent_id?: unknown } | undefined)?.agent_id;
    if (agent !== undefined) return agent === myId;
    if (typeof contactAgent === 'string') return contactAgent === myId;
    return true;
  }
  return CONFIG_EVENTS.has(e.type);
}

/** Apply a `queue.stats` event to the waiting counts of my signed-in queues; other events return `status` unchanged. */
export function applyQueueStats(status: AgentStatus | null, e: LiveEvent): AgentStatus | null {
  if (!status || e.type !== 'queue.stats' || typeof e.queue_id !== 'string') return status;
  const queueId = e.queue_id;
  if (!status.signed_in_queues.includes(queueId)) return status;
  const waiting = typeof e.waiting === 'number' ? e.waiting : 0;
  const oldest = typeof e.oldest_enqueued_at === 'string' ? e.oldest_enqueued_at : null;
  const entry: QueueWaiting = { queue_id: queueId, waiting, oldest_enqueued_at: oldest };
  const idx = status.waiting.findIndex((w) => w.queue_id === queueId);
  if (idx >= 0) {
    const cur = status.waiting[idx];
    if (cur.waiting === waiting && cur.oldest_enqueued_at === oldest) return status;
    const next = status.waiting.slice();
    next[idx] = entry;
    return { ...status, waiting: next };
  }
  return { ...status, waiting: [...status.waiting, entry] };
}

/** Contacts waiting in my signed-in queues, and the earliest enqueue time among them. */
export function waitingSummary(status: AgentStatus | null): { waiting: number; oldest: string | null } {
  if (!status) return { waiting: 0, oldest: null };
  const mine = new Set(status.signed_in_queues);
  let waiting = 0;
  let oldest: string | null = null;
  let oldestMs = Infinity;
  for (const w of status.waiting) {
    if (mine.size && !mine.has(w.queue_id)) continue;
    waiting += w.waiting;
    if (w.waiting > 0 && w.oldest_enqueued_at) {
      const ms = Date.parse(w.oldest_enqueued_at);
      if (ms < oldestMs) {
        oldestMs = ms;
        oldest = w.oldest_enqueued_at;
      }
    }
  }
  return { waiting, oldest };
}

export function contactsIn(status: AgentStatus | null, ...states: Contact['state'][]): Contact[] {
  return status ? status.contacts.filter((c) => states.includes(c.state)) : [];
}

export interface BarControls {
  signedIn: boolean;
  canSignIn: boolean;
  canSignOut: boolean;
  /** Sign-out is refused while a contact is connected or in wrap-up. */
  signOutBlocked: boolean;
  canIdle: boolean;
  canBusy: boolean;
  canRest: boolean;
  showResetQueues: boolean;
  /** "Continue working" in the bar: wrap-up that no contact's card offers (e.g. the post-sign-in state). */
  showContinue: boolean;
}

export function barControls(status: AgentStatus | null): BarControls {
  const signedIn = !!status && status.state !== 'signed_out';
  const inProgress = contactsIn(status, 'connected', 'wrap_up').length > 0;
  const state = status?.state;
  return {
    signedIn,
    canSignIn: !!status && !signedIn,
    canSignOut: signedIn && !inProgress,
    signOutBlocked: signedIn && inProgress,
    // `ready` = my own presence is idle already (e.g. talking, back to idle after the contact).
    canIdle: signedIn && state !== 'idle' && !status?.ready,
    canBusy: signedIn && !(state === 'busy'),
    canRest: signedIn && !(state === 'rest'),
    showResetQueues: signedIn && !!status?.can_reset_queues,
    showContinue: signedIn && state === 'wrap_up' && contactsIn(status, 'wrap_up').length === 0,
  };
}

/** Offered contacts not seen before (for the browser notification), and the updated seen set. */
export function newOffers(seen: ReadonlySet<string>, contacts: readonly Contact[]): { fresh: Contact[]; seen: Set<string> } {
  const offered = contacts.filter((c) => c.state === 'offered');
  const fresh = offered.filter((c) => !seen.has(c.id));
  // Forget offers that are gone so a contact offered again later notifies again.
  return { fresh, seen: new Set(offered.map((c) => c.id)) };
}

/** Name of a bound queue, or the id when unknown. */
export function queueName(status: AgentStatus | null, id: string): string {
  return status?.bound_queues.find((q) => q.id === id)?.name ?? id;
}

/** The line that names a contact: title, else customer (a chat's is our internal id: not shown), else a short id. */
export function contactHeadline(c: Contact): string {
  return c.title?.trim() || (c.channel !== 'chat' && c.customer?.trim()) || `#${c.id.slice(0, 8)}`;
}

/** How often the ring tone sounds again while an offer rings. */
export const RING_EVERY_MS = 3000;

/** Offers ringing for me, the one expiring first at the top. */
export function ringingOffers(status: AgentStatus | null): Contact[] {
  const expires = (c: Contact) => (c.offer_expires_at ? Date.parse(c.offer_expires_at) : Infinity);
  return contactsIn(status, 'offered').sort((a, b) => expires(a) - expires(b));
}

/** Only http(s) links are rendered as links (a task's link comes from an integration). */
export function safeLink(link: string | null | undefined): string | null {
  if (!link) return null;
  try {
    const u = new URL(link, 'http://placeholder.invalid');
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return link;
  } catch {
    return null;
  }
}


/** The notice of an `agent.forced` event about me: who set me to which state, and why. */
export function forcedNotice(e: LiveEvent, t: TFunc): { title: string; reason: string | null } {
  const by = typeof e.by_name === 'string' && e.by_name ? e.by_name : t('wb.forced.someone');
  const key = `state.${String(e.state)}`;
  const state = hasKey(key) ? t(key) : String(e.state);
  const reason = typeof e.reason === 'string' && e.reason ? t('wb.forced.reason', { reason: reasonLabel(e.reason, t) }) : null;
  return { title: t('wb.forced.title', { by, state }), reason };
}

/** A contact an agent holds, as far as its state label cares. */
export interface HeldContact {
  channel: Channel;
  state: ContactState;
}

/** Channels in the order a label names them: a call is the most pressing. */
const CHANNEL_ORDER: readonly Channel[] = ['voice', 'video', 'chat', 'task'];

function channelsIn(contacts: readonly HeldContact[], state: ContactState): Channel[] {
  return CHANNEL_ORDER.filter((ch) => contacts.some((c) => c.state === state && c.channel === ch));
}

/**
 * What an agent is doing, naming the channel: "on a chat" / "on a call" instead of the engine's
 * one word for every channel, and "ringing" when an offer rings while nothing is connected (the
 * engine still says idle then). `ringing` names the channels of offers ringing beside a
 * connected contact, shown as an extra tag.
 */
export function activity(state: AgentState, contacts: readonly HeldContact[]): { label: MessageKey; channel?: Channel; ringing: Channel[] } {
  const ringing = channelsIn(contacts, 'offered');
  const connected = channelsIn(contacts, 'connected');
  if (state === 'talking' && connected.length > 0) return { label: `activity.talking.${connected[0]}`, ringing };
  if (state !== 'signed_out' && state !== 'talking' && state !== 'wrap_up' && ringing.length > 0) {
    return { label: 'activity.ringing', channel: ringing[0], ringing: [] };
  }
  return { label: `state.${state}`, ringing };
}

/** The label of {@link activity} in words. */
export function activityText(state: AgentState, contacts: readonly HeldContact[], t: TFunc): string {
  const a = activity(state, contacts);
  return t(a.label, a.channel ? { channel: t(`channel.${a.channel}`) } : undefined);
}

/** The toast for an offer that rang out, naming its channel when known. */
export function missedOfferKey(channel: Channel | undefined): MessageKey {
  return channel ? `wb.offer.timedOut.${channel}` : 'wb.offer.timedOut';
}
