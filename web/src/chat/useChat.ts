// The customer chat page's controller: owns the socket, feeds its frames through the pure
// model, keeps the conversation in localStorage (id, last seq, pending messages, notices) and
// sends whatever is due: `start`, pending messages (same client_id after every reconnect),
// `typing` (at most every 3 s) and `read` (while the page is visible and, inside the widget,
// its panel is open).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  applyFrame, checkMessage, customerLeft, dueFrames, queueMessage, requestStart, resetConversation, resumeAfter,
  type ChatState, type StartRequest,
} from './model';
import { chatSocketUrl, loadState, newClientId, saveState, stateKey, type ChatAuth, type KeyValueStore } from './identity';
import { ChatSocket, type ChatSocketEnv, type SocketLike } from './socket';
import type { ServerFrame } from './protocol';

export const TYPING_INTERVAL_MS = 3000;
/** How long "the agent is typing" stays up after the last typing frame. */
const AGENT_TYPING_MS = 5000;
/** After `rate_limited`, resend what is still pending after this long. */
const RATE_LIMIT_RETRY_MS = 10_000;
/** Attempts in a row without a welcome before the page says the service is unreachable. */
const UNREACHABLE_AFTER = 3;

export interface ChatOptions {
  tenant: string;
  entry: string;
  auth: ChatAuth;
  store: KeyValueStore;
  /** Replaced in tests; the browser's WebSocket and timers otherwise. */
  env?: ChatSocketEnv;
}

export interface ChatController {
  state: ChatState;
  /** The socket is up (welcome received). */
  online: boolean;
  /** Several attempts in a row failed. */
  unreachable: boolean;
  agentTyping: boolean;
  /** The last error code from the server (cleared on the next success or dismiss). */
  error: { code: string; message?: string } | null;
  /** Queue and send a message; starts the conversation (with `details`) when there is none. */
  send: (raw: string, details?: StartRequest) => boolean;
  /** The pre-chat form: start with these details and question. */
  startChat: (req: StartRequest) => void;
  typing: () => void;
  leave: () => void;
  startOver: () => void;
  retryNow: () => void;
  dismissError: () => void;
}

const browserEnv = (): ChatSocketEnv => ({
  createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (h) => window.clearTimeout(h as number),
  random: Math.random,
});

/** Inside the widget, whether its panel is open (the widget posts `switchboard:panel`). */
let panelOpen = true;
const pageVisible = () => panelOpen && (typeof document === 'undefined' || document.visibilityState !== 'hidden');

/** The widget's message when its panel opens or closes (the iframe stays loaded meanwhile). */
export function isPanelMessage(data: unknown): data is { type: 'switchboard:panel'; open: boolean } {
  return !!data && typeof data === 'object' && (data as { type?: unknown }).type === 'switchboard:panel' && typeof (data as { open?: unknown }).open === 'boolean';
}

export function useChat({ tenant, entry, auth, store, env }: ChatOptions): ChatController {
  const key = useMemo(() => stateKey(tenant, entry, auth), [tenant, entry, auth]);
  const [state, setState] = useState<ChatState>(() => loadState(store, key));
  const stateRef = useRef(state);
  const [online, setOnline] = useState(false);
  const [unreachable, setUnreachable] = useState(false);
  const [agentTyping, setAgentTyping] = useState(false);
  const [error, setError] = useState<ChatController['error']>(null);
  const socketRef = useRef<ChatSocket | null>(null);
  const lastTypingSent = useRef(0);
  const readSent = useRef(0);
  const timers = useRef<{ typing?: number; read?: number; retry?: number }>({});

  const update = useCallback(
    (fn: (s: ChatState) => ChatState) => {
      const next = fn(stateRef.current);
      if (next === stateRef.current) return next;
      stateRef.current = next;
      saveState(store, key, next);
      setState(next);
      return next;
    },
    [store, key],
  );

  const flush = useCallback(() => {
    const s = socketRef.current;
    if (!s?.isUp) return;
    for (const f of dueFrames(stateRef.current)) s.send(f);
  }, []);

  const sendReadNow = useCallback(() => {
    const s = stateRef.current;
    if (!socketRef.current?.isUp || !s.conversation || !pageVisible()) return;
    if (s.lastSeq > readSent.current && socketRef.current.send({ type: 'read', seq: s.lastSeq })) readSent.current = s.lastSeq;
  }, []);

  const scheduleRead = useCallback(() => {
    if (timers.current.read !== undefined) return;
    timers.current.read = window.setTimeout(() => {
      timers.current.read = undefined;
      sendReadNow();
    }, 300);
  }, [sendReadNow]);

  const onFrame = useCallback(
    (frame: ServerFrame) => {
      const before = stateRef.current;
      const next = update((s) => applyFrame(s, frame));
      switch (frame.type) {
        case 'welcome':
          setOnline(true);
          setUnreachable(false);
          readSent.current = 0;
          flush();
          scheduleRead();
          break;
        case 'conversation':
          flush();
          break;
        case 'ack':
          setError((e) => (e?.code === 'rate_limited' ? null : e));
          scheduleRead();
          break;
        case 'message':
          if (frame.sender === 'agent') {
            setAgentTyping(false);
            window.clearTimeout(timers.current.typing);
          }
          scheduleRead();
          break;
        case 'typing':
          if (frame.from !== 'customer') {
            setAgentTyping(true);
            window.clearTimeout(timers.current.typing);
            timers.current.typing = window.setTimeout(() => setAgentTyping(false), AGENT_TYPING_MS);
          }
          break;
        case 'agent_joined':
          // Tell the agent who just joined how far the customer has read.
          readSent.current = 0;
          scheduleRead();
          break;
        case 'agent_left':
        case 'closed':
          setAgentTyping(false);
          break;
        case 'error':
          setError({ code: frame.code, message: frame.message });
          if (frame.code === 'rate_limited') {
            window.clearTimeout(timers.current.retry);
            timers.current.retry = window.setTimeout(flush, RATE_LIMIT_RETRY_MS);
          } else if (frame.code === 'invalid_field' && before.phase === 'starting' && !next.conversation) {
            // The server refused the start (a pre-chat field): back to the form, keeping the
            // messages written meanwhile for the next start.
            update((s) => ({ ...s, start: null, phase: 'idle', pending: s.pending.filter((p) => !p.question) }));
          }
          break;
        default:
          break;
      }
    },
    [update, flush, scheduleRead],
  );

  useEffect(() => {
    stateRef.current = loadState(store, key);
    setState(stateRef.current);
    const socket = new ChatSocket(env ?? browserEnv(), {
      url: () => {
        const s = stateRef.current;
        return chatSocketUrl(window.location, tenant, entry, auth, { conversation: s.conversation, after: resumeAfter(s) });
      },
      onFrame,
      onDown: (failures) => {
        setOnline(false);
        setUnreachable(failures >= UNREACHABLE_AFTER);
      },
    });
    socketRef.current = socket;
    socket.start();
    const wake = () => {
      if (!pageVisible()) return;
      socket.nudge();
      sendReadNow();
    };
    const onPanel = (e: MessageEvent) => {
      if (e.source !== window.parent || window.parent === window || !isPanelMessage(e.data)) return;
      panelOpen = e.data.open;
      wake();
    };
    document.addEventListener('visibilitychange', wake);
    window.addEventListener('focus', wake);
    window.addEventListener('online', wake);
    window.addEventListener('message', onPanel);
    const t = timers.current;
    return () => {
      window.removeEventListener('message', onPanel);
      document.removeEventListener('visibilitychange', wake);
      window.removeEventListener('focus', wake);
      window.removeEventListener('online', wake);
      window.clearTimeout(t.typing);
      window.clearTimeout(t.read);
      window.clearTimeout(t.retry);
      t.read = undefined;
      socket.stop();
      socketRef.current = null;
    };
  }, [tenant, entry, auth, store, key, env, onFrame, sendReadNow]);

  const startChat = useCallback(
    (req: StartRequest) => {
      if (stateRef.current.conversation || stateRef.current.phase !== 'idle') return;
      setError(null);
      update((s) => requestStart(s, req, Date.now()));
      flush();
    },
    [update, flush],
  );

  const send = useCallback(
    (raw: string, details?: StartRequest) => {
      const checked = checkMessage(raw);
      const s0 = stateRef.current;
      if (!checked.ok || s0.phase === 'ended') return false;
      const clientId = newClientId();
      update((s) => {
        let next = queueMessage(s, checked.text, clientId, Date.now());
        if (!next.conversation && next.phase === 'idle') next = requestStart(next, { ...details, question: undefined }, Date.now());
        return next;
      });
      if (stateRef.current.conversation) socketRef.current?.send({ type: 'message', client_id: clientId, text: checked.text });
      else if (!s0.conversation && s0.phase === 'idle') flush(); // the start; the message follows `conversation`
      lastTypingSent.current = 0;
      return true;
    },
    [update, flush],
  );

  const typing = useCallback(() => {
    const s = stateRef.current;
    if (!s.conversation || s.phase === 'ended') return;
    const now = Date.now();
    if (now - lastTypingSent.current < TYPING_INTERVAL_MS) return;
    if (socketRef.current?.send({ type: 'typing' })) lastTypingSent.current = now;
  }, []);

  const leave = useCallback(() => {
    const s = stateRef.current;
    if (!s.conversation || s.phase === 'ended') return;
    if (socketRef.current?.send({ type: 'leave' })) {
      setAgentTyping(false);
      update((x) => customerLeft(x));
    }
  }, [update]);

  const startOver = useCallback(() => {
    setError(null);
    setAgentTyping(false);
    readSent.current = 0;
    update((s) => resetConversation(s));
    // A fresh socket: the old one still listens to the finished conversation.
    socketRef.current?.reconnectNow();
  }, [update]);

  const retryNow = useCallback(() => socketRef.current?.reconnectNow(), []);
  const dismissError = useCallback(() => setError(null), []);

  return { state, online, unreachable, agentTyping, error, send, startChat, typing, leave, startOver, retryNow, dismissError };
}
