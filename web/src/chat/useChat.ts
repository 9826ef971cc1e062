// The customer chat page's controller: owns the socket, feeds its frames through the pure
// model, keeps the conversation in localStorage (id, last seq, pending messages, notices) and
// sends whatever is due: `start`, pending messages (same client_id after every reconnect),
// `typing` (at most every 3 s) and `read` (while the page is visible and, inside the widget,
// its panel is open). While the conversation waits for an agent it asks for the place in line
// (`position`) every 10 s; once it has ended it sends the satisfaction rating (`rate`). Files
// go over HTTP (upload.ts) and their stored message joins the same list.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  applyFrame, canRate, charCount, checkMessage, customerLeft, dueFrames, queueMessage, requestStart, resetConversation, resumeAfter,
  type ChatState, type StartRequest,
} from './model';
import { fromWidget, isPanelMessage } from './embed';
import { chatFilesUrl, chatSocketUrl, loadState, newClientId, saveState, stateKey, type ChatAuth, type KeyValueStore } from './identity';
import { ChatSocket, type ChatSocketEnv, type SocketLike } from './socket';
import { MAX_RATING_COMMENT, RATING_MAX, type ServerFrame } from './protocol';
import { checkFile, uploadFile, type UploadOutcome, type XhrLike } from './upload';

export const TYPING_INTERVAL_MS = 3000;
/** How long "the agent is typing" stays up after the last typing frame. */
const AGENT_TYPING_MS = 5000;
/** After `rate_limited`, resend what is still pending after this long. */
const RATE_LIMIT_RETRY_MS = 10_000;
/** Attempts in a row without a welcome before the page says the service is unreachable. */
const UNREACHABLE_AFTER = 3;
/** While waiting for an agent: how often to ask for the place in line. */
export const POSITION_INTERVAL_MS = 10_000;
/** The first ask after (re)connecting or starting to wait, unless the server just told us. */
const POSITION_FIRST_MS = 1_000;

export interface ChatOptions {
  tenant: string;
  entry: string;
  auth: ChatAuth;
  store: KeyValueStore;
  /** Replaced in tests; the browser's WebSocket and timers otherwise. */
  env?: ChatSocketEnv;
  /** Replaced in tests; XMLHttpRequest otherwise. */
  createXhr?: () => XhrLike;
}

export interface UploadOptions {
  /** The same for a retry of the same file (stored once); a new one otherwise. */
  clientId?: string;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** The satisfaction rating being sent: until the server answers `rated` (or refuses it). */
export interface RatingStatus {
  sending: boolean;
  /** The server refused it: its error code and message. */
  error: { code: string; message?: string } | null;
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
  /** Send a file into the open conversation (false outcome when there is none). */
  upload: (file: File, options?: UploadOptions) => Promise<UploadOutcome>;
  /** Rate the ended conversation (1-5, optional comment); false when it cannot be sent now. */
  rate: (score: number, comment?: string) => boolean;
  rating: RatingStatus;
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

export { isPanelMessage };

export function useChat({ tenant, entry, auth, store, env, createXhr }: ChatOptions): ChatController {
  const key = useMemo(() => stateKey(tenant, entry, auth), [tenant, entry, auth]);
  const [state, setState] = useState<ChatState>(() => loadState(store, key));
  const stateRef = useRef(state);
  const [online, setOnline] = useState(false);
  const [unreachable, setUnreachable] = useState(false);
  const [agentTyping, setAgentTyping] = useState(false);
  const [error, setError] = useState<ChatController['error']>(null);
  const [rating, setRating] = useState<RatingStatus>({ sending: false, error: null });
  /** The rating sent and not yet answered: sent again after a reconnect. */
  const rateSent = useRef<{ conversation: string; score: number; comment?: string } | null>(null);
  /** When the server last told the place in line. */
  const queueAt = useRef(0);
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
        case 'welcome': {
          setOnline(true);
          setUnreachable(false);
          readSent.current = 0;
          flush();
          scheduleRead();
          // A rating whose answer was lost with the old socket goes again (storing it twice is harmless).
          const r = rateSent.current;
          if (r && next.conversation === r.conversation && next.rating === null) {
            socketRef.current?.send({ type: 'rate', score: r.score, ...(r.comment ? { comment: r.comment } : {}) });
          } else if (r) {
            rateSent.current = null;
            setRating({ sending: false, error: null });
          }
          break;
        }
        case 'queue':
          queueAt.current = Date.now();
          break;
        case 'rated':
          rateSent.current = null;
          setRating({ sending: false, error: null });
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
          if (rateSent.current) {
            // While a rating is on its way nothing else is sent (the conversation has ended):
            // this is the answer to it.
            rateSent.current = null;
            setRating({ sending: false, error: { code: frame.code, message: frame.message } });
            break;
          }
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
      // The error frame before the close says why; offer "retry" instead of retrying alone.
      onRefused: () => {
        setOnline(false);
        setUnreachable(true);
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
      if (!fromWidget(e) || !isPanelMessage(e.data)) return;
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
    rateSent.current = null;
    setRating({ sending: false, error: null });
    setAgentTyping(false);
    readSent.current = 0;
    update((s) => resetConversation(s));
    // A fresh socket: the old one still listens to the finished conversation.
    socketRef.current?.reconnectNow();
  }, [update]);

  const retryNow = useCallback(() => socketRef.current?.reconnectNow(), []);
  const dismissError = useCallback(() => setError(null), []);

  // While waiting for an agent (and connected): ask for the place in line now and every 10 s.
  // Not while the page is hidden (or the widget's panel is closed): asked again when shown.
  const waitingFor = online && state.phase === 'waiting' ? state.conversation : null;
  useEffect(() => {
    if (!waitingFor) return;
    const ask = (force: boolean) => {
      if (!pageVisible()) return;
      if (!force && Date.now() - queueAt.current < POSITION_FIRST_MS * 3) return;
      socketRef.current?.send({ type: 'position' });
    };
    const first = window.setTimeout(() => ask(false), POSITION_FIRST_MS);
    const every = window.setInterval(() => ask(true), POSITION_INTERVAL_MS);
    const onShow = () => ask(false);
    const onPanel = (e: MessageEvent) => {
      if (fromWidget(e) && isPanelMessage(e.data) && e.data.open) ask(false);
    };
    document.addEventListener('visibilitychange', onShow);
    window.addEventListener('message', onPanel);
    return () => {
      window.clearTimeout(first);
      window.clearInterval(every);
      document.removeEventListener('visibilitychange', onShow);
      window.removeEventListener('message', onPanel);
    };
  }, [waitingFor]);

  const upload = useCallback(
    async (file: File, options?: UploadOptions): Promise<UploadOutcome> => {
      const s = stateRef.current;
      if (!s.conversation || s.phase === 'ended') return { ok: false, reason: 'http', status: 409, code: 'no_conversation' };
      const problem = checkFile(file);
      if (problem) {
        const code = problem === 'too_large' ? 'payload_too_large' : problem === 'type' ? 'unsupported_media_type' : 'invalid_field';
        return { ok: false, reason: 'http', status: 400, code };
      }
      const outcome = await uploadFile({
        url: chatFilesUrl(tenant, entry, auth, s.conversation),
        file,
        name: file.name || 'file',
        clientId: options?.clientId ?? newClientId(),
        onProgress: options?.onProgress,
        signal: options?.signal,
        createXhr,
      });
      // The same message also comes over the socket: the model keeps one copy per id.
      if (outcome.ok) {
        const m = outcome.message;
        update((x) => (x.conversation === s.conversation ? applyFrame(x, { type: 'message', ...m }) : x));
      }
      return outcome;
    },
    [tenant, entry, auth, createXhr, update],
  );

  const rate = useCallback(
    (score: number, comment?: string) => {
      const s = stateRef.current;
      const text = comment?.trim() || undefined;
      if (!canRate(s) || !s.conversation || rateSent.current) return false;
      if (!Number.isInteger(score) || score < 1 || score > RATING_MAX) return false;
      if (text && charCount(text) > MAX_RATING_COMMENT) return false;
      if (!socketRef.current?.send({ type: 'rate', score, ...(text ? { comment: text } : {}) })) return false;
      rateSent.current = { conversation: s.conversation, score, comment: text };
      setRating({ sending: true, error: null });
      return true;
    },
    [],
  );

  return {
    state, online, unreachable, agentTyping, error, send, startChat, typing, leave, startOver, retryNow, dismissError, upload, rate, rating,
  };
}
