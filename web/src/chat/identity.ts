// Who the customer is (an anonymous visitor id kept in localStorage, or an identity the host
// site signed), where the page keeps its conversation, and the socket URL.
import { fromPersisted, toPersisted, type ChatState } from './model';

/** The server accepts 16-64 characters of `A-Za-z0-9_-`. */
export const VISITOR_RE = /^[A-Za-z0-9_-]{16,64}$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

type RandomBytes = (n: number) => Uint8Array;

const cryptoBytes: RandomBytes = (n) => {
  const b = new Uint8Array(n);
  if (globalThis.crypto?.getRandomValues) globalThis.crypto.getRandomValues(b);
  else for (let i = 0; i < n; i++) b[i] = Math.floor(Math.random() * 256);
  return b;
};

/** `length` random base64url characters (64 symbols: byte & 63 is unbiased). */
export function randomId(length: number, bytes: RandomBytes = cryptoBytes): string {
  return Array.from(bytes(length), (b) => ALPHABET[b & 63]).join('');
}

export function newVisitorId(bytes?: RandomBytes): string {
  return randomId(24, bytes);
}

/** A message's `client_id` (1-64 characters on the wire). */
export function newClientId(bytes?: RandomBytes): string {
  return `c-${randomId(20, bytes)}`;
}

export type ChatAuth = { visitor: string } | { identity: string; ts: string; sig: string };

/** A verified identity from the page URL (`identity`, `ts`, `sig`), when all three are there. */
export function identityFromQuery(search: string): ChatAuth | null {
  const q = new URLSearchParams(search);
  const identity = q.get('identity');
  const ts = q.get('ts');
  const sig = q.get('sig');
  return identity && ts && sig ? { identity, ts, sig } : null;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** localStorage, or memory when it is unavailable (blocked third-party storage in an iframe). */
export function browserStore(): KeyValueStore {
  try {
    const s = window.localStorage;
    const probe = '__sb_probe__';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    const m = new Map<string, string>();
    return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
  }
}

const norm = (s: string) => s.trim().toLowerCase();

/** The visitor id for this tenant and entry point: kept once generated, regenerated when invalid. */
export function visitorId(store: KeyValueStore, tenant: string, entry: string, bytes?: RandomBytes): string {
  const key = `sb.chat.visitor.${norm(tenant)}.${norm(entry)}`;
  const known = store.getItem(key);
  if (known && VISITOR_RE.test(known)) return known;
  const id = newVisitorId(bytes);
  try {
    store.setItem(key, id);
  } catch {
    /* storage full: this page still works */
  }
  return id;
}

/** Where the conversation of this customer at this entry point is kept. */
export function stateKey(tenant: string, entry: string, auth: ChatAuth): string {
  const who = 'identity' in auth ? `id:${auth.identity}` : 'visitor';
  return `sb.chat.state.${norm(tenant)}.${norm(entry)}.${who}`;
}

export function loadState(store: KeyValueStore, key: string): ChatState {
  try {
    const raw = store.getItem(key);
    return fromPersisted(raw ? JSON.parse(raw) : null);
  } catch {
    return fromPersisted(null);
  }
}

export function saveState(store: KeyValueStore, key: string, state: ChatState): void {
  try {
    store.setItem(key, JSON.stringify(toPersisted(state)));
  } catch {
    /* storage full or blocked */
  }
}

/**
 * The customer socket URL on the page's origin, resuming `conversation` after `after` when given.
 */
export function chatSocketUrl(
  loc: { protocol: string; host: string },
  tenant: string,
  entry: string,
  auth: ChatAuth,
  resume?: { conversation: string | null; after: number },
): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  const q = authQuery(auth);
  if (resume?.conversation) {
    q.set('conversation', resume.conversation);
    q.set('after', String(Math.max(0, Math.floor(resume.after))));
  }
  return `${scheme}//${loc.host}${chatBase(tenant, entry)}/ws?${q.toString()}`;
}

/**
 * Where the customer uploads a file into `conversation` (same origin, same credentials as the
 * socket): `POST /api/v1/chat/{tenant}/{entry}/files?…&conversation=…`, multipart field `file`.
 */
export function chatFilesUrl(tenant: string, entry: string, auth: ChatAuth, conversation: string): string {
  const q = authQuery(auth);
  q.set('conversation', conversation);
  return `${chatBase(tenant, entry)}/files?${q.toString()}`;
}

const chatBase = (tenant: string, entry: string) => `/api/v1/chat/${encodeURIComponent(tenant)}/${encodeURIComponent(entry)}`;

/** The customer's credentials as query parameters: `visitor`, or `identity`, `ts` and `sig`. */
function authQuery(auth: ChatAuth): URLSearchParams {
  const q = new URLSearchParams();
  if ('identity' in auth) {
    q.set('identity', auth.identity);
    q.set('ts', auth.ts);
    q.set('sig', auth.sig);
  } else {
    q.set('visitor', auth.visitor);
  }
  return q;
}
