// The conversation as the customer page shows it, as pure functions: merging the server's
// messages (ordered by `seq`, de-duplicated by id), the pending messages waiting for their
// `ack`, the notices ("agent joined"…) and the conversation phase. The React hook (useChat.ts)
// feeds frames in and sends what these functions say is due.
import { MAX_MESSAGE_CHARS, PRECHAT_LIMITS, QUESTION_CLIENT_ID, type MessageKind, type Sender, type ServerFrame, type WireMessage } from './protocol';

export type Phase =
  /** No conversation yet (pre-chat form or first message). */
  | 'idle'
  /** `start` sent, waiting for the server's `conversation`. */
  | 'starting'
  /** Queued or offered: waiting for an agent. */
  | 'waiting'
  /** An agent is connected. */
  | 'connected'
  /** The agent left, the customer left or the conversation was closed. */
  | 'ended';

export interface ShownMessage {
  id: string;
  seq: number;
  sender: Sender;
  kind: MessageKind;
  body: unknown;
  clientId: string | null;
  at: string;
  recalled: boolean;
}

/** A customer message sent (or to be sent) and not yet acknowledged. */
export interface Pending {
  clientId: string;
  text: string;
  createdAt: number;
  /** The pre-chat question: it travels in `start`, never as a `message`. */
  question?: boolean;
}

export type NoticeKind = 'joined' | 'left' | 'you_left' | 'closed' | 'transferred';

/** A notice shown in the message flow, after the messages up to `afterSeq`. */
export interface Notice {
  kind: NoticeKind;
  afterSeq: number;
  at: string;
}

/** Where the customer stands in line (from the server's `queue` frame). */
export interface QueueInfo {
  /** 1 = next. */
  position: number;
  /** The queue's typical recent wait in seconds, when known. */
  estimatedWaitS: number | null;
}

export interface StartRequest {
  name?: string;
  phone?: string;
  email?: string;
  question?: string;
}

export interface ChatState {
  conversation: string | null;
  phase: Phase;
  /** Ordered by seq, unique by id. */
  messages: ShownMessage[];
  /** In the order they were written. */
  pending: Pending[];
  notices: Notice[];
  /** The highest seq shown. */
  lastSeq: number;
  /** The agent has read up to this seq. */
  agentReadSeq: number;
  /** A `start` to (re)send until the server answers with `conversation`. */
  start: StartRequest | null;
  /** The entry point's title and whether it asks for the pre-chat form (from `welcome`). */
  title: string | null;
  prechatForm: boolean;
  /** The place in line while waiting (null when unknown or once an agent has the conversation). */
  queue: QueueInfo | null;
  /** The satisfaction score the server stored for this conversation (kept across reloads). */
  rating: number | null;
}

export const emptyState: ChatState = {
  conversation: null,
  phase: 'idle',
  messages: [],
  pending: [],
  notices: [],
  lastSeq: 0,
  agentReadSeq: 0,
  start: null,
  title: null,
  prechatForm: false,
  queue: null,
  rating: null,
};

export function toShown(m: WireMessage): ShownMessage {
  return {
    id: m.id,
    seq: m.seq,
    sender: m.sender,
    kind: m.kind ?? 'text',
    body: m.recalled ? null : m.body,
    clientId: m.client_id ?? null,
    at: m.at ?? '',
    recalled: !!m.recalled,
  };
}

/**
 * Merge messages into an ordered list: one entry per id (a later copy replaces an earlier one,
 * except that a withdrawn message stays withdrawn), ordered by seq.
 */
export function mergeMessages(list: readonly ShownMessage[], incoming: readonly ShownMessage[]): ShownMessage[] {
  if (incoming.length === 0) return list as ShownMessage[];
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const m of incoming) {
    const old = byId.get(m.id);
    byId.set(m.id, old?.recalled && !m.recalled ? { ...m, recalled: true, body: null } : m);
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

const maxSeq = (messages: readonly ShownMessage[], floor = 0) => messages.reduce((n, m) => Math.max(n, m.seq), floor);

/** The `after` to resume with: the last seq of the messages actually on screen (0 after a reload). */
export function resumeAfter(state: ChatState): number {
  return maxSeq(state.messages);
}

function addNotice(state: ChatState, kind: NoticeKind, at: string): Notice[] {
  const last = state.notices[state.notices.length - 1];
  if (last && last.kind === kind && last.afterSeq === state.lastSeq) return state.notices;
  return [...state.notices, { kind, afterSeq: state.lastSeq, at }].slice(-50);
}

function withMessages(state: ChatState, incoming: ShownMessage[]): ChatState {
  const messages = mergeMessages(state.messages, incoming);
  const acked = new Set(incoming.filter((m) => m.sender === 'customer' && m.clientId).map((m) => m.clientId));
  const pending = acked.size ? state.pending.filter((p) => !acked.has(p.clientId)) : state.pending;
  return { ...state, messages, pending, lastSeq: maxSeq(incoming, state.lastSeq) };
}

/** Apply one server frame. `now` stamps what the server does not date. */
export function applyFrame(state: ChatState, frame: ServerFrame, now: Date = new Date()): ChatState {
  const nowIso = now.toISOString();
  switch (frame.type) {
    case 'welcome': {
      const base = { ...state, title: frame.title ?? null, prechatForm: frame.prechat_form };
      if (state.conversation && frame.conversation !== state.conversation) {
        // The server would not resume it (another identity, or unknown): start over, keeping
        // what the customer wrote and has not seen acknowledged.
        return {
          ...emptyState,
          title: base.title,
          prechatForm: base.prechatForm,
          pending: state.pending.filter((p) => !p.question),
          start: state.pending.some((p) => !p.question) ? {} : null,
          phase: state.pending.some((p) => !p.question) ? 'starting' : 'idle',
        };
      }
      return withServerRating(resumedAs(base, frame.state, nowIso), frame.rating);
    }
    case 'conversation': {
      const fresh = state.conversation !== frame.id;
      return {
        ...state,
        conversation: frame.id,
        start: null,
        phase: state.phase === 'idle' || state.phase === 'starting' || (fresh && state.phase === 'ended') ? 'waiting' : state.phase,
        ...(fresh ? { queue: null, rating: null } : {}),
      };
    }
    case 'ack': {
      const p = state.pending.find((x) => x.clientId === frame.client_id);
      if (!p) return state;
      const rest = state.pending.filter((x) => x !== p);
      if (state.messages.some((m) => m.id === frame.id)) return { ...state, pending: rest };
      const shown: ShownMessage = {
        id: frame.id, seq: frame.seq, sender: 'customer', kind: 'text', body: p.text, clientId: p.clientId, at: nowIso, recalled: false,
      };
      return { ...withMessages(state, [shown]), pending: rest };
    }
    case 'message':
      return withMessages(state, [toShown(frame)]);
    case 'recalled': {
      if (!state.messages.some((m) => m.id === frame.id)) return state;
      return { ...state, messages: state.messages.map((m) => (m.id === frame.id ? { ...m, recalled: true, body: null } : m)) };
    }
    case 'agent_joined':
      if (state.phase === 'ended') return state;
      return { ...state, phase: 'connected', queue: null, notices: addNotice(state, 'joined', frame.at ?? nowIso) };
    case 'agent_left':
      if (state.phase === 'ended') return state;
      return { ...state, phase: 'ended', queue: null, notices: addNotice(state, frame.released_by === 'customer' ? 'you_left' : 'left', frame.at ?? nowIso) };
    case 'closed':
      if (state.phase === 'ended') return state;
      return { ...state, phase: 'ended', queue: null, notices: addNotice(state, 'closed', frame.at ?? nowIso) };
    case 'queued':
      return state.phase === 'connected' || state.phase === 'ended' || !state.conversation ? state : { ...state, phase: 'waiting' };
    case 'transferred':
      if (state.phase === 'ended') return state;
      // The old place in line means nothing in the new queue: asked again while waiting.
      return { ...state, phase: 'waiting', queue: null, notices: addNotice(state, 'transferred', nowIso) };
    case 'queue': {
      // Only a conversation still waiting has a place in line; null once an agent has it.
      const waiting = !!state.conversation && (state.phase === 'waiting' || state.phase === 'starting');
      const queue = waiting && frame.position !== null ? { position: frame.position, estimatedWaitS: frame.estimated_wait_s } : null;
      if (queue === null && state.queue === null) return state;
      if (queue && state.queue && queue.position === state.queue.position && queue.estimatedWaitS === state.queue.estimatedWaitS) return state;
      return { ...state, queue };
    }
    case 'rated':
      if (!state.conversation || !Number.isInteger(frame.score) || frame.score < 1 || frame.score > 5) return state;
      return state.rating === frame.score ? state : { ...state, rating: frame.score };
    case 'read':
      return frame.seq > state.agentReadSeq ? { ...state, agentReadSeq: frame.seq } : state;
    default:
      return state;
  }
}

/**
 * The resumed conversation's state from `welcome`: what happened while this page was away (the
 * agent answered, or the conversation ended) shows at once instead of after the next event.
 */
function resumedAs(state: ChatState, serverState: string | null | undefined, nowIso: string): ChatState {
  if (!state.conversation || !serverState) return state;
  if ((serverState === 'wrap_up' || serverState === 'closed') && state.phase !== 'ended') {
    return { ...state, phase: 'ended', queue: null, notices: addNotice(state, 'closed', nowIso) };
  }
  if (serverState === 'connected' && (state.phase === 'waiting' || state.phase === 'starting')) {
    return { ...state, phase: 'connected', queue: null, notices: addNotice(state, 'joined', nowIso) };
  }
  return state;
}

/** The resumed conversation's rating as the server has it (sent with `welcome`; older servers leave it out). */
function withServerRating(state: ChatState, rating: number | null | undefined): ChatState {
  if (!state.conversation || rating === undefined) return state;
  const score = rating !== null && Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : null;
  return score === state.rating ? state : { ...state, rating: score };
}

/** Whether an agent took part in the conversation (it is worth rating). */
export function hadAgent(state: Pick<ChatState, 'messages' | 'notices'>): boolean {
  return state.notices.some((n) => n.kind === 'joined' || n.kind === 'left' || n.kind === 'transferred') || state.messages.some((m) => m.sender === 'agent');
}

/** Whether to offer the satisfaction rating: the conversation has ended, an agent took part, not rated yet. */
export function canRate(state: ChatState): boolean {
  return state.phase === 'ended' && !!state.conversation && state.rating === null && hadAgent(state);
}

/** The estimated wait in whole minutes (rounded up; 0 under a minute), or null when unknown. */
export function waitMinutes(seconds: number | null): number | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  return seconds < 60 ? 0 : Math.ceil(seconds / 60);
}

/** The customer wrote a message (already validated); it waits for its ack. */
export function queueMessage(state: ChatState, text: string, clientId: string, now: number): ChatState {
  return { ...state, pending: [...state.pending, { clientId, text, createdAt: now }] };
}

/** Open a conversation (pre-chat form or first message); the question becomes a pending message. */
export function requestStart(state: ChatState, req: StartRequest, now: number): ChatState {
  const pending = req.question ? [...state.pending, { clientId: QUESTION_CLIENT_ID, text: req.question, createdAt: now, question: true }] : state.pending;
  return { ...state, start: req, phase: 'starting', pending };
}

/** The customer ended the conversation (`leave` sent). */
export function customerLeft(state: ChatState, now: Date = new Date()): ChatState {
  if (state.phase === 'ended') return state;
  return { ...state, phase: 'ended', notices: addNotice(state, 'you_left', now.toISOString()) };
}

/** Forget the (ended) conversation to start a new one; the entry point's settings stay. */
export function resetConversation(state: ChatState): ChatState {
  return { ...emptyState, title: state.title, prechatForm: state.prechatForm };
}

/** What to send after (re)connecting or after `conversation`: the start, then every pending message. */
export function dueFrames(state: ChatState): ({ type: 'start' } & StartRequest | { type: 'message'; client_id: string; text: string })[] {
  if (!state.conversation) {
    return state.start ? [{ type: 'start', ...state.start }] : [];
  }
  if (state.phase === 'ended') return [];
  return state.pending.filter((p) => !p.question).map((p) => ({ type: 'message' as const, client_id: p.clientId, text: p.text }));
}

export type TimelineItem =
  | { type: 'message'; key: string; message: ShownMessage }
  | { type: 'notice'; key: string; notice: Notice }
  | { type: 'pending'; key: string; pending: Pending };

/** Messages in seq order with the notices where they happened, then the pending messages. */
export function timeline(state: Pick<ChatState, 'messages' | 'notices' | 'pending'>): TimelineItem[] {
  const out: TimelineItem[] = [];
  const notices = state.notices.map((n, i) => ({ n, i }));
  let ni = 0;
  const flushNotices = (upTo: number) => {
    while (ni < notices.length && notices[ni].n.afterSeq < upTo) {
      const { n, i } = notices[ni++];
      out.push({ type: 'notice', key: `n${i}`, notice: n });
    }
  };
  for (const m of state.messages) {
    flushNotices(m.seq);
    out.push({ type: 'message', key: m.id, message: m });
  }
  flushNotices(Infinity);
  for (const p of state.pending) out.push({ type: 'pending', key: `p-${p.clientId}`, pending: p });
  return out;
}

/** Characters as the server counts them (Unicode code points). */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The text to send, or why not: empty after trimming, or longer than the limit. */
export function checkMessage(raw: string): { ok: true; text: string } | { ok: false; reason: 'empty' | 'too_long' } {
  const text = raw.trim();
  if (!text) return { ok: false, reason: 'empty' };
  if (charCount(text) > MAX_MESSAGE_CHARS) return { ok: false, reason: 'too_long' };
  return { ok: true, text };
}

export type PrechatField = keyof typeof PRECHAT_LIMITS;

/** Trim the pre-chat fields, drop the empty ones, and list those over the server's limits or malformed. */
export function checkPrechat(raw: Record<PrechatField, string>): { req: StartRequest; errors: PrechatField[] } {
  const req: StartRequest = {};
  const errors: PrechatField[] = [];
  for (const k of Object.keys(PRECHAT_LIMITS) as PrechatField[]) {
    const v = (raw[k] ?? '').trim();
    if (!v) continue;
    if (charCount(v) > PRECHAT_LIMITS[k]) errors.push(k);
    else if (k === 'email' && !/^[^\s@]+@[^\s@]+$/.test(v)) errors.push(k);
    else if (k === 'phone' && !/^[+0-9()\-\s.]{3,}$/.test(v)) errors.push(k);
    req[k] = v;
  }
  return { req, errors };
}

/** The part of the state kept across page reloads (messages come back from the server). */
export type Persisted = Pick<ChatState, 'conversation' | 'phase' | 'pending' | 'notices' | 'lastSeq' | 'agentReadSeq' | 'start' | 'rating'>;

export function toPersisted(s: ChatState): Persisted {
  return {
    conversation: s.conversation, phase: s.phase, pending: s.pending, notices: s.notices, lastSeq: s.lastSeq, agentReadSeq: s.agentReadSeq, start: s.start,
    rating: s.rating,
  };
}

const PHASES: Phase[] = ['idle', 'starting', 'waiting', 'connected', 'ended'];

/** Rebuild the state from what was stored, tolerating anything malformed. */
export function fromPersisted(raw: unknown): ChatState {
  if (!raw || typeof raw !== 'object') return emptyState;
  const p = raw as Partial<Record<keyof Persisted, unknown>>;
  const conversation = typeof p.conversation === 'string' ? p.conversation : null;
  const pending = Array.isArray(p.pending)
    ? (p.pending as Pending[]).filter((x) => x && typeof x.clientId === 'string' && typeof x.text === 'string')
    : [];
  const notices = Array.isArray(p.notices)
    ? (p.notices as Notice[]).filter((n) => n && typeof n.kind === 'string' && typeof n.afterSeq === 'number')
    : [];
  const start = !conversation && p.start && typeof p.start === 'object' ? (p.start as StartRequest) : null;
  let phase = PHASES.includes(p.phase as Phase) ? (p.phase as Phase) : 'idle';
  if (!conversation) phase = start ? 'starting' : 'idle';
  else if (phase === 'idle' || phase === 'starting') phase = 'waiting';
  return {
    ...emptyState,
    conversation,
    phase,
    pending,
    notices,
    lastSeq: typeof p.lastSeq === 'number' ? p.lastSeq : 0,
    agentReadSeq: typeof p.agentReadSeq === 'number' ? p.agentReadSeq : 0,
    start,
    rating: conversation && typeof p.rating === 'number' && Number.isInteger(p.rating) && p.rating >= 1 && p.rating <= 5 ? p.rating : null,
  };
}
