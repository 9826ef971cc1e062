// The live event stream `GET /api/v1/ws?token=…`: one shared WebSocket for the whole page,
// reconnected with exponential backoff when it drops. Subscribers get every event and an
// `onConnected` call after each (re)connection (the server's `hello`), the moment to re-fetch
// whatever they show, since events may have been missed while the socket was down.
import { getToken } from './client';
import type { LiveEvent } from './types';

/** Delay before reconnect attempt `attempt` (0-based): 0.5 s, 1 s, 2 s… capped at 30 s, ±20 % jitter. */
export function backoffDelay(attempt: number, random: () => number = Math.random, baseMs = 500, maxMs = 30_000): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 16)));
  const jitter = 0.8 + 0.4 * random();
  return Math.round(Math.min(maxMs, raw * jitter));
}

/** The socket URL for the page's origin. */
export function wsUrl(loc: { protocol: string; host: string }, token: string): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/api/v1/ws?token=${encodeURIComponent(token)}`;
}

/** Parse one socket message; anything that is not a JSON object with a string `type` is dropped. */
export function parseEvent(data: unknown): LiveEvent | null {
  if (typeof data !== 'string') return null;
  try {
    const v: unknown = JSON.parse(data);
    if (v && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string') return v as LiveEvent;
  } catch {
    /* not JSON */
  }
  return null;
}

export interface LiveSubscriber {
  onEvent?: (e: LiveEvent) => void;
  /** After the server's `hello` on every (re)connection. */
  onConnected?: () => void;
  /** The socket went down (a reconnect is scheduled). */
  onDisconnected?: () => void;
}

/** What the connection needs from its environment (replaced in unit tests). */
export interface LiveEnv {
  createSocket: (url: string) => WebSocketLike;
  url: (token: string) => string;
  token: () => string | null;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  random: () => number;
}

export interface WebSocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close: () => void;
}

/** One reconnecting socket shared by any number of subscribers; open while anyone listens. */
export class LiveConnection {
  private readonly subs = new Set<LiveSubscriber>();
  private socket: WebSocketLike | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private connected = false;

  constructor(private readonly env: LiveEnv) {}

  get isConnected(): boolean {
    return this.connected;
  }

  subscribe(sub: LiveSubscriber): () => void {
    this.subs.add(sub);
    if (this.subs.size === 1) this.open();
    else if (this.connected) sub.onConnected?.();
    return () => {
      this.subs.delete(sub);
      if (this.subs.size === 0) this.shutdown();
    };
  }

  private open(): void {
    this.timer = null;
    if (this.subs.size === 0 || this.socket) return;
    const token = this.env.token();
    if (!token) {
      this.scheduleReconnect();
      return;
    }
    let socket: WebSocketLike;
    try {
      socket = this.env.createSocket(this.env.url(token));
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onmessage = (ev) => {
      if (this.socket !== socket) return;
      const e = parseEvent(ev.data);
      if (!e) return;
      if (e.type === 'hello') {
        this.attempt = 0;
        this.connected = true;
        for (const s of [...this.subs]) s.onConnected?.();
        return;
      }
      for (const s of [...this.subs]) s.onEvent?.(e);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      const was = this.connected;
      this.connected = false;
      if (was) for (const s of [...this.subs]) s.onDisconnected?.();
      this.scheduleReconnect();
    };
    socket.onerror = () => {
      /* onclose follows */
    };
  }

  private scheduleReconnect(): void {
    if (this.subs.size === 0 || this.timer !== null) return;
    const delay = backoffDelay(this.attempt++, this.env.random);
    this.timer = this.env.setTimeout(() => this.open(), delay);
  }

  private shutdown(): void {
    if (this.timer !== null) this.env.clearTimeout(this.timer);
    this.timer = null;
    this.attempt = 0;
    this.connected = false;
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onclose = null;
      s.onmessage = null;
      s.onerror = null;
      s.close();
    }
  }
}

let shared: LiveConnection | null = null;

/** The page's shared connection (created on first use, in the browser only). */
export function liveConnection(): LiveConnection {
  if (!shared) {
    shared = new LiveConnection({
      createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
      url: (token) => wsUrl(window.location, token),
      token: getToken,
      setTimeout: (fn, ms) => window.setTimeout(fn, ms),
      clearTimeout: (h) => window.clearTimeout(h as number),
      random: Math.random,
    });
  }
  return shared;
}
