// The customer's chat socket: one WebSocket, reconnected with backoff (0.5 s doubling up to
// 15 s) whenever it closes — unless the server refused the visitor or the entry point (close
// code 4400-4499, after an `error` frame saying why): retrying would only be refused again. The URL is asked for on every attempt, so each reconnection
// resumes the conversation after the last message shown. It counts as up once the server's
// `welcome` arrives.
import { parseFrame, type ClientFrame, type ServerFrame } from './protocol';

export const RECONNECT_BASE_MS = 500;
export const RECONNECT_MAX_MS = 15_000;

/** Delay before reconnect attempt `attempt` (0-based): 0.5 s, 1 s, 2 s… up to 15 s, with ±20 % jitter (never above 15 s). */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const raw = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** Math.max(0, Math.min(attempt, 10)));
  return Math.round(Math.min(RECONNECT_MAX_MS, raw * (0.8 + 0.4 * random())));
}

export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send: (data: string) => void;
  close: () => void;
}

export interface ChatSocketEnv {
  createSocket: (url: string) => SocketLike;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  random: () => number;
}

export interface ChatSocketHandlers {
  /** The URL for the next attempt (resume parameters included). */
  url: () => string;
  onFrame: (frame: ServerFrame) => void;
  /** The socket went down; `failures` counts attempts in a row that never got a `welcome`. */
  onDown?: (failures: number) => void;
  /** The server refused the connection (close code 4400-4499); no retry until `reconnectNow`. */
  onRefused?: (code: number) => void;
}

/** Close codes the server uses to refuse a visitor or an entry point (4000 + HTTP status). */
export function isRefusal(code: unknown): code is number {
  return typeof code === 'number' && code >= 4400 && code < 4500;
}

export class ChatSocket {
  private socket: SocketLike | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private up = false;
  private running = false;
  /** Attempts in a row without a welcome. */
  failures = 0;
  /** The close code of a refusal; automatic reconnecting waits until `reconnectNow`. */
  refused: number | null = null;

  constructor(
    private readonly env: ChatSocketEnv,
    private readonly handlers: ChatSocketHandlers,
  ) {}

  get isUp(): boolean {
    return this.up;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.open();
  }

  stop(): void {
    this.running = false;
    this.clearTimer();
    this.drop();
  }

  /** Reconnect at once (a new conversation, the network came back, the page became visible). */
  reconnectNow(): void {
    if (!this.running) return;
    this.clearTimer();
    this.drop();
    this.attempt = 0;
    this.refused = null;
    this.open();
  }

  /** When the network comes back or the page is shown again: skip the remaining wait. */
  nudge(): void {
    if (this.running && this.timer !== null && this.refused === null) {
      this.clearTimer();
      this.open();
    }
  }

  /** Send a frame if the socket is up; false otherwise (the caller keeps it for later). */
  send(frame: ClientFrame): boolean {
    if (!this.up || !this.socket) return false;
    try {
      this.socket.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) this.env.clearTimeout(this.timer);
    this.timer = null;
  }

  private drop(): void {
    const s = this.socket;
    this.socket = null;
    this.up = false;
    if (s) {
      s.onopen = null;
      s.onmessage = null;
      s.onclose = null;
      s.onerror = null;
      try {
        s.close();
      } catch {
        /* already closed */
      }
    }
  }

  private open(): void {
    this.timer = null;
    if (!this.running || this.socket) return;
    let socket: SocketLike;
    try {
      socket = this.env.createSocket(this.handlers.url());
    } catch {
      this.closed();
      return;
    }
    this.socket = socket;
    socket.onmessage = (ev) => {
      if (this.socket !== socket) return;
      const frame = parseFrame(ev.data);
      if (!frame) return;
      if (frame.type === 'welcome') {
        this.up = true;
        this.attempt = 0;
        this.failures = 0;
      }
      this.handlers.onFrame(frame);
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      const code = (ev as { code?: unknown } | null)?.code;
      if (isRefusal(code)) {
        this.up = false;
        this.refused = code;
        this.handlers.onRefused?.(code);
        return;
      }
      this.closed();
    };
    socket.onerror = () => {
      /* onclose follows */
    };
  }

  private closed(): void {
    if (!this.up) this.failures++;
    this.up = false;
    this.handlers.onDown?.(this.failures);
    if (!this.running || this.timer !== null) return;
    this.timer = this.env.setTimeout(() => this.open(), reconnectDelay(this.attempt++, this.env.random));
  }
}
