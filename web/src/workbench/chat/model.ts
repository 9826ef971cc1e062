// The agent's chat workbench as pure functions (M1, M2, M4, M7–M9, M11): one conversation per
// chat contact, fed by `GET /contacts/{id}/messages` and the live `chat.*` events; messages in
// `seq` order, unique by id; the agent's own messages pending until their 201; unread counts;
// recall eligibility; transfer targets. The hook (useChatSessions.ts) owns the I/O.
import type { ShownMessage } from '../../chat/model';
import type { Contact, ContactHistory, LiveEvent } from '../../api/types';
import type { TFunc } from '../../i18n';

/** A message as the agent sees it: the customer page's message shape, but a withdrawn message keeps its text. */
export type AgentMessage = ShownMessage;

/** An agent message written here and not yet confirmed by its 201. */
export interface PendingOut {
  clientId: string;
  /** A text message… */
  text?: string;
  /** …or a document link card (`document_id`), with its title to show meanwhile. */
  document?: { id: string; title: string };
  /** …or a file being uploaded (no client_id on the wire: never retried automatically). */
  file?: { name: string; size: number };
  createdAt: number;
  /** Attempts made so far (the first send counts). */
  attempts: number;
  /** `sending`: a request is out or a retry is scheduled; `failed`: refused or out of retries (retry by hand). */
  status: 'sending' | 'failed';
  /** Why it failed (a translated text), when `failed`. */
  error?: string;
}

export interface Conversation {
  /** Ordered by seq, unique by id. */
  messages: AgentMessage[];
  /** In the order they were written. */
  pending: PendingOut[];
  /** The history was fetched at least once. */
  loaded: boolean;
  /** The highest seq the agent has had on screen (for the unread count). */
  seenSeq: number;
  /** The last seq sent with `POST /read`. */
  readSent: number;
  /** The customer has read up to this seq (`chat.read`). */
  customerReadSeq: number;
  /** Local time of the customer's last `chat.typing`, or 0. */
  customerTypingAt: number;
  /**
   * Whether the customer is there (`chat.customer_left` / `chat.customer_back`): gone with every
   * chat window closed, ended the chat, or back after being gone; null while nothing was said.
   */
  customerPresence: CustomerPresence;
}

export type CustomerPresence = 'disconnected' | 'left' | 'back' | null;

export const emptyConversation: Conversation = {
  messages: [],
  pending: [],
  loaded: false,
  seenSeq: 0,
  readSent: 0,
  customerReadSeq: 0,
  customerTypingAt: 0,
  customerPresence: null,
};

export type Conversations = Readonly<Record<string, Conversation>>;

/** How long "the customer is typing" stays up after the last typing event. */
export const CUSTOMER_TYPING_MS = 5000;
/** At most one `POST /typing` per this interval while the agent types. */
export const TYPING_INTERVAL_MS = 3000;
/** The recall limit when the tenant parameters do not say (docs: default 120 s). */
export const DEFAULT_RECALL_LIMIT_S = 120;
/** Automatic attempts for a message before it is left to a manual retry. */
export const MAX_SEND_ATTEMPTS = 6;

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** A wire message to the shown shape; anything without an id and a numeric seq is dropped (null). */
export function toAgentMessage(m: unknown): AgentMessage | null {
  if (!isObj(m) || typeof m.id !== 'string' || typeof m.seq !== 'number' || !Number.isFinite(m.seq)) return null;
  const sender = m.sender === 'customer' || m.sender === 'agent' || m.sender === 'system' ? m.sender : 'system';
  const kind = m.kind === 'file' || m.kind === 'document' || m.kind === 'notice' ? m.kind : 'text';
  return {
    id: m.id,
    seq: m.seq,
    sender,
    kind,
    body: m.body ?? null,
    clientId: typeof m.client_id === 'string' ? m.client_id : null,
    at: typeof m.at === 'string' ? m.at : '',
    recalled: m.recalled === true,
  };
}

/** Agent messages from a list as received (anything that is not a message is dropped). */
export function toAgentMessages(list: readonly unknown[]): AgentMessage[] {
  const out: AgentMessage[] = [];
  for (const m of list) {
    const a = toAgentMessage(m);
    if (a) out.push(a);
  }
  return out;
}

/**
 * Merge messages into an ordered list: one entry per id, ordered by seq. A later copy replaces an
 * earlier one, except that a withdrawal is never undone (an older copy may arrive late) and the
 * text is kept when a copy comes without it.
 */
export function mergeAgentMessages(list: readonly AgentMessage[], incoming: readonly AgentMessage[]): AgentMessage[] {
  if (incoming.length === 0) return list as AgentMessage[];
  const byId = new Map(list.map((m) => [m.id, m]));
  let changed = false;
  for (const m of incoming) {
    const old = byId.get(m.id);
    if (!old) {
      byId.set(m.id, m);
      changed = true;
      continue;
    }
    const next: AgentMessage = {
      ...m,
      recalled: old.recalled || m.recalled,
      body: m.body ?? old.body,
    };
    if (!sameMessage(old, next)) {
      byId.set(m.id, next);
      changed = true;
    }
  }
  if (!changed) return list as AgentMessage[];
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

function sameMessage(a: AgentMessage, b: AgentMessage): boolean {
  return a.seq === b.seq && a.recalled === b.recalled && a.body === b.body && a.at === b.at && a.kind === b.kind && a.clientId === b.clientId;
}

export const maxSeq = (messages: readonly AgentMessage[]): number => messages.reduce((n, m) => Math.max(n, m.seq), 0);

/** Add messages; an agent message whose client_id is pending acknowledges that pending entry. */
export function withMessages(conv: Conversation, incoming: readonly AgentMessage[]): Conversation {
  const messages = mergeAgentMessages(conv.messages, incoming);
  const acked = new Set(incoming.filter((m) => m.sender === 'agent' && m.clientId).map((m) => m.clientId as string));
  const pending = acked.size && conv.pending.some((p) => acked.has(p.clientId)) ? conv.pending.filter((p) => !acked.has(p.clientId)) : conv.pending;
  if (messages === conv.messages && pending === conv.pending) return conv;
  return { ...conv, messages, pending };
}

/** The fetched history (`after=0`): merged with what the live events brought meanwhile. */
export function applyHistory(conv: Conversation, history: readonly unknown[]): Conversation {
  const next = withMessages(conv, toAgentMessages(history));
  return next.loaded ? next : { ...next, loaded: true };
}

/**
 * Apply one live event to the conversations it names. Only contacts in `mine` are touched (a
 * supervisor who also works as an agent hears everyone's chats). `now` is the local clock.
 */
export function applyChatEvent(convs: Conversations, e: LiveEvent, mine: ReadonlySet<string>, now: number): Conversations {
  if (typeof e.contact_id !== 'string' || !mine.has(e.contact_id)) return convs;
  const id = e.contact_id;
  const conv = convs[id] ?? emptyConversation;
  let next = conv;
  switch (e.type) {
    case 'chat.message': {
      const m = toAgentMessage(e.message);
      if (!m) return convs;
      next = withMessages(conv, [m]);
      // A customer message ends their typing indicator, and says they are back.
      if (m.sender === 'customer' && (conv.customerTypingAt || conv.customerPresence)) next = { ...next, customerTypingAt: 0, customerPresence: null };
      break;
    }
    case 'chat.customer_left':
      next = { ...conv, customerTypingAt: 0, customerPresence: e.reason === 'left' ? 'left' : 'disconnected' };
      break;
    case 'chat.customer_back':
      next = conv.customerPresence === 'back' ? conv : { ...conv, customerPresence: 'back' };
      break;
    case 'chat.typing':
      next = { ...conv, customerTypingAt: now };
      break;
    case 'chat.read': {
      const seq = typeof e.seq === 'number' ? e.seq : NaN;
      if (!Number.isFinite(seq) || seq <= conv.customerReadSeq) return convs;
      next = { ...conv, customerReadSeq: seq };
      break;
    }
    default:
      return convs;
  }
  return next === conv ? convs : { ...convs, [id]: next };
}

/** Customer messages the agent has not had on screen. */
export function unreadCount(conv: Conversation | undefined): number {
  if (!conv) return 0;
  let n = 0;
  for (const m of conv.messages) if (m.sender === 'customer' && m.seq > conv.seenSeq) n++;
  return n;
}

export function unreadTotal(convs: Conversations, contactIds: readonly string[]): number {
  return contactIds.reduce((n, id) => n + unreadCount(convs[id]), 0);
}

/** The conversation is on screen: everything in it counts as seen. */
export function markSeen(conv: Conversation): Conversation {
  const top = maxSeq(conv.messages);
  return top > conv.seenSeq ? { ...conv, seenSeq: top } : conv;
}

/** The seq to send with `POST /read` (the newest customer message not yet reported), or null. */
export function readDue(conv: Conversation): number | null {
  let top = 0;
  for (const m of conv.messages) if (m.sender === 'customer' && m.seq > top) top = m.seq;
  return top > conv.readSent ? top : null;
}

export function customerTyping(conv: Conversation | undefined, now: number): boolean {
  return !!conv && conv.customerTypingAt > 0 && now - conv.customerTypingAt < CUSTOMER_TYPING_MS;
}

/** Whether a `POST /typing` is due now (the last one went out at `lastSentAt`, 0 = never). */
export function typingDue(lastSentAt: number, now: number): boolean {
  return lastSentAt === 0 || now - lastSentAt >= TYPING_INTERVAL_MS;
}

// ---- Pending messages (the agent's, until their 201) ----

export function addPending(conv: Conversation, p: Omit<PendingOut, 'attempts' | 'status'>): Conversation {
  if (conv.pending.some((x) => x.clientId === p.clientId)) return conv;
  return { ...conv, pending: [...conv.pending, { ...p, attempts: 0, status: 'sending' }] };
}

/** A send attempt starts (the first or a retry with the same client_id). */
export function attemptPending(conv: Conversation, clientId: string): Conversation {
  return updatePending(conv, clientId, (p) => ({ ...p, attempts: p.attempts + 1, status: 'sending', error: undefined }));
}

/** The 201: the stored message replaces the pending one. */
export function ackPending(conv: Conversation, clientId: string, stored: unknown): Conversation {
  const m = toAgentMessage(stored);
  const without = { ...conv, pending: conv.pending.filter((p) => p.clientId !== clientId) };
  return m ? withMessages(without, [m]) : without;
}

export function failPending(conv: Conversation, clientId: string, error: string): Conversation {
  return updatePending(conv, clientId, (p) => ({ ...p, status: 'failed', error }));
}

export function dropPending(conv: Conversation, clientId: string): Conversation {
  if (!conv.pending.some((p) => p.clientId === clientId)) return conv;
  return { ...conv, pending: conv.pending.filter((p) => p.clientId !== clientId) };
}

function updatePending(conv: Conversation, clientId: string, fn: (p: PendingOut) => PendingOut): Conversation {
  if (!conv.pending.some((p) => p.clientId === clientId)) return conv;
  return { ...conv, pending: conv.pending.map((p) => (p.clientId === clientId ? fn(p) : p)) };
}

/**
 * Whether a failed send may be tried again automatically with the same client_id: the request
 * never got an answer (network, status 0), or the server failed or was overloaded (5xx, 429).
 * A 4xx refusal (not connected, invalid text) will not change by resending.
 */
export function isRetryable(err: unknown): boolean {
  const status = isObj(err) && typeof err.status === 'number' ? err.status : null;
  if (status === null) return true;
  return status === 0 || status === 429 || status >= 500;
}

/** Delay before automatic retry `attempt` (1 = after the first failure): 1 s, 2 s, 4 s… capped at 15 s. */
export function retryDelay(attempt: number): number {
  return Math.min(15_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

/**
 * A client_id for a message written here: `wb-` + my user id (its 32 hex digits: ids are
 * time-ordered, so a shorter prefix is shared by users created together) + a random part, 52
 * characters in all (the server allows 64). The message JSON does not say which agent sent it,
 * so the prefix is how the workbench recognises its own messages after a reload or a transfer
 * (recall is only for my own).
 */
export function agentClientId(userId: string, random: () => number = Math.random): string {
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let r = '';
  for (let i = 0; i < 16; i++) r += chars[Math.floor(random() * chars.length) % chars.length];
  return `${clientIdPrefix(userId)}${r}`;
}

export function clientIdPrefix(userId: string): string {
  return `wb-${userId.replace(/[^0-9a-zA-Z]/g, '').slice(0, 40).toLowerCase()}-`;
}

/** Whether an agent message is mine: its client_id carries my prefix, or I sent it in this page. */
export function isMine(m: AgentMessage, userId: string, sentHere?: ReadonlySet<string>): boolean {
  if (m.sender !== 'agent') return false;
  if (sentHere?.has(m.id)) return true;
  return !!m.clientId && m.clientId.startsWith(clientIdPrefix(userId));
}

// ---- Recall (M9) ----

/** Seconds left to withdraw a message (on the server's clock), 0 when the time has passed. */
export function recallSecondsLeft(m: AgentMessage, limitS: number, serverNowMs: number): number {
  const at = Date.parse(m.at);
  if (!Number.isFinite(at) || limitS <= 0) return 0;
  return Math.max(0, Math.ceil((at + limitS * 1000 - serverNowMs) / 1000));
}

/** My own message, not yet withdrawn, younger than the tenant's recall limit. */
export function canRecall(m: AgentMessage, mine: boolean, limitS: number, serverNowMs: number): boolean {
  return mine && m.sender === 'agent' && !m.recalled && m.kind !== 'notice' && recallSecondsLeft(m, limitS, serverNowMs) > 0;
}

/** Replace a message with the server's copy after a recall (marked withdrawn even if the copy is odd). */
export function applyRecalled(conv: Conversation, messageId: string, stored: unknown): Conversation {
  const m = toAgentMessage(stored);
  if (m && m.id === messageId) return { ...conv, messages: mergeAgentMessages(conv.messages, [{ ...m, recalled: true }]) };
  if (!conv.messages.some((x) => x.id === messageId)) return conv;
  return { ...conv, messages: conv.messages.map((x) => (x.id === messageId ? { ...x, recalled: true } : x)) };
}

// ---- Message bodies ----

export interface NoticeInfo {
  /** Internal notices (transfer notes) are for agents only. */
  internal: boolean;
  /** `transferred`, … (`body.event`), when given. */
  event: string | null;
  note: string | null;
  text: string | null;
  toQueueId: string | null;
  toAgentId: string | null;
}

/** What a `notice` (or a system message) says; a plain string body is its text. */
export function noticeInfo(body: unknown): NoticeInfo {
  if (typeof body === 'string') return { internal: false, event: null, note: null, text: body, toQueueId: null, toAgentId: null };
  if (!isObj(body)) return { internal: false, event: null, note: null, text: null, toQueueId: null, toAgentId: null };
  const str = (k: string) => (typeof body[k] === 'string' && body[k].trim() ? body[k] : null);
  return {
    internal: body.internal === true,
    event: str('event'),
    note: str('note'),
    text: str('text'),
    toQueueId: str('to_queue_id'),
    toAgentId: str('to_agent_id'),
  };
}

/** Only http(s) URLs and same-origin paths are followed (a body comes from the server, but still). */
export function safeUrl(url: unknown): string | null {
  if (typeof url !== 'string' || !url.trim()) return null;
  try {
    const u = new URL(url, 'http://placeholder.invalid');
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return url;
  } catch {
    return null;
  }
}

export interface DocumentCard {
  title: string;
  url: string | null;
  description: string | null;
}

export function documentBody(body: unknown): DocumentCard | null {
  if (!isObj(body)) return null;
  const title = typeof body.title === 'string' && body.title.trim() ? body.title : null;
  const url = safeUrl(body.url);
  if (!title && !url) return null;
  return {
    title: title ?? (url as string),
    url,
    description: typeof body.description === 'string' && body.description.trim() ? body.description : null,
  };
}

export interface FileCard {
  name: string;
  contentType: string;
  size: number | null;
  url: string | null;
  image: boolean;
}

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export function fileBody(body: unknown): FileCard | null {
  if (!isObj(body)) return null;
  const name = typeof body.name === 'string' && body.name ? body.name : 'file';
  const contentType = typeof body.content_type === 'string' ? body.content_type.toLowerCase() : '';
  const url = safeUrl(body.url);
  return {
    name,
    contentType,
    size: typeof body.size === 'number' && Number.isFinite(body.size) ? body.size : null,
    url,
    image: IMAGE_TYPES.has(contentType) && !!url,
  };
}

/** 1234 → "1.2 KB". */
export function formatBytes(n: number | null): string {
  if (n === null || !Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** The files the server accepts (docs: at most 10 MB; images, pdf, txt, csv, docx, xlsx, zip). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const FILE_ACCEPT = '.png,.jpg,.jpeg,.gif,.webp,.pdf,.txt,.csv,.docx,.xlsx,.zip,image/png,image/jpeg,image/gif,image/webp';

/** A short line for the chat list: the last message's text (or a kind label key). */
export function lastMessagePreview(conv: Conversation | undefined): { text: string } | { kind: 'file' | 'document' | 'recalled' } | null {
  if (!conv) return null;
  for (let i = conv.messages.length - 1; i >= 0; i--) {
    const m = conv.messages[i];
    if (m.kind === 'notice' || m.sender === 'system') continue;
    if (m.recalled) return { kind: 'recalled' };
    if (m.kind === 'text') return { text: typeof m.body === 'string' ? m.body : '' };
    return { kind: m.kind };
  }
  return null;
}

// ---- The chat list ----

const STATE_ORDER: Record<string, number> = { offered: 0, connected: 1, wrap_up: 2 };

/** My chats in the list: offered first, then connected, then wrap-up; oldest first within each. */
export function sortChats(contacts: readonly Contact[]): Contact[] {
  return contacts
    .filter((c) => c.channel === 'chat' && c.state in STATE_ORDER)
    .sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || Date.parse(a.created_at) - Date.parse(b.created_at) || a.id.localeCompare(b.id));
}

/** The chat to show: the current one while it is still mine, else the first offered / connected. */
export function pickSelected(current: string | null, chats: readonly Contact[]): string | null {
  if (current && chats.some((c) => c.id === current)) return current;
  return (chats.find((c) => c.state === 'connected') ?? chats[0])?.id ?? null;
}

/** The customer's name for the list and the header: the name they gave, else "Visitor" and a short id. */
export function customerLabel(contact: Contact, history: ContactHistory | null | undefined, t: TFunc): string {
  const name = history?.customer?.name?.trim();
  if (name) return name;
  const key = history?.customer_key ?? contact.customer ?? contact.id;
  return `${t('wb.chat.visitor')} ${key.replace(/[^0-9a-zA-Z]/g, '').slice(-4).toUpperCase()}`;
}

/**
 * New customer messages in `next` that were not in `prev` (for the sound and the notification):
 * only those after what `prev` already held, so a history load does not ring.
 */
export function newCustomerMessages(prev: Conversation | undefined, next: Conversation): AgentMessage[] {
  if (!prev || !prev.loaded) return [];
  const known = new Set(prev.messages.map((m) => m.id));
  const top = maxSeq(prev.messages);
  return next.messages.filter((m) => m.sender === 'customer' && !known.has(m.id) && m.seq > top);
}

/** Canned reply limits (server: title 1-64, text 1-2000). */
export const CANNED_TITLE_MAX = 64;
export const CANNED_TEXT_MAX = 2000;

/** Insert `text` into `value` at the selection (or at the end), returning the new value and caret. */
export function insertAt(value: string, text: string, start?: number | null, end?: number | null): { value: string; caret: number } {
  const s = start ?? value.length;
  const e = end ?? s;
  const a = Math.max(0, Math.min(s, value.length));
  const b = Math.max(a, Math.min(e, value.length));
  return { value: value.slice(0, a) + text + value.slice(b), caret: a + text.length };
}

/** The wrap-up banner's title: it asks for a summary only when the tenant requires one. */
export function wrapUpTitleKey(summaryRequired: boolean): 'wb.chat.wrap.title' | 'wb.chat.wrap.titleOptional' {
  return summaryRequired ? 'wb.chat.wrap.title' : 'wb.chat.wrap.titleOptional';
}
