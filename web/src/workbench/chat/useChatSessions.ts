// The agent's chat conversations: the history of each chat I hold (`GET /contacts/{id}/messages`,
// again whenever its state changes and after every reconnect of the live socket), the live
// `chat.message` / `chat.typing` / `chat.read` / `chat.customer_*` events, my messages pending
// until their 201 (the same client_id on every retry), read receipts while a chat is on screen,
// typing at most every 3 s, and the unread counts (kept per contact in localStorage, so a reload
// does not mark everything unread again).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { chatApi } from '../../api/endpoints';
import { errorText } from '../../api/errors';
import type { Contact, LiveEvent, Me } from '../../api/types';
import type { TFunc } from '../../i18n';
import { useLive } from '../../util/useLive';
import { notifyIfHidden } from '../notify';
import { beep } from './alerts';
import {
  ackPending, addPending, agentClientId, applyChatEvent, applyHistory, applyRecalled, attemptPending, dropPending, emptyConversation,
  failPending, isRetryable, markSeen, MAX_SEND_ATTEMPTS, readDue, retryDelay, typingDue, type Conversation, type Conversations,
} from './model';
import { checkMessage } from '../../chat/model';

export interface ChatSessions {
  convs: Conversations;
  /** History requests that failed, per contact (the conversation shows a retry). */
  loadErrors: Readonly<Record<string, unknown>>;
  /** Ids of the messages sent from this page (mine for sure). */
  sentHere: ReadonlySet<string>;
  send: (contactId: string, raw: string) => boolean;
  sendDocument: (contactId: string, doc: { id: string; title: string }) => void;
  sendFile: (contactId: string, file: File) => void;
  retry: (contactId: string, clientId: string) => void;
  discard: (contactId: string, clientId: string) => void;
  /** Withdraw one of my messages; throws the server's refusal (e.g. `recall_expired`). */
  recall: (contactId: string, messageId: string) => Promise<void>;
  typing: (contactId: string) => void;
  reload: (contactId: string) => void;
}

interface Options {
  me: Me;
  /** My chat contacts (offered, connected, wrap-up). */
  chats: readonly Contact[];
  selectedId: string | null;
  t: TFunc;
}

const seenKey = (userId: string) => `sb.wb.chatSeen.${userId}`;

function loadSeen(userId: string): Record<string, number> {
  try {
    const raw = JSON.parse(localStorage.getItem(seenKey(userId)) ?? '{}') as unknown;
    if (raw && typeof raw === 'object') {
      const out: Record<string, number> = {};
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) if (typeof v === 'number') out[k] = v;
      return out;
    }
  } catch {
    /* ignore */
  }
  return {};
}

/** Whether the page is on screen (`visibilitychange`). */
export function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => typeof document === 'undefined' || document.visibilityState !== 'hidden');
  useEffect(() => {
    const on = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', on);
    return () => document.removeEventListener('visibilitychange', on);
  }, []);
  return visible;
}

export function useChatSessions({ me, chats, selectedId, t }: Options): ChatSessions {
  const [convs, setConvs] = useState<Conversations>({});
  const [loadErrors, setLoadErrors] = useState<Record<string, unknown>>({});
  const ref = useRef<Conversations>(convs);
  const seen = useRef<Record<string, number>>(loadSeen(me.id));
  const sentHere = useRef(new Set<string>());
  const files = useRef(new Map<string, File>());
  const retryTimers = useRef(new Map<string, number>());
  const lastTyping = useRef(new Map<string, number>());
  /** The contact state each history was loaded for (a change of state loads it again). */
  const loadedFor = useRef(new Map<string, string>());
  const alive = useRef(true);
  const tRef = useRef(t);
  tRef.current = t;
  const selectedRef = useRef(selectedId);
  selectedRef.current = selectedId;
  const chatsRef = useRef(chats);
  chatsRef.current = chats;
  const visible = usePageVisible();

  const update = useCallback((fn: (c: Conversations) => Conversations) => {
    const next = fn(ref.current);
    if (next === ref.current) return;
    ref.current = next;
    setConvs(next);
  }, []);

  const updateOne = useCallback(
    (id: string, fn: (c: Conversation) => Conversation) => {
      update((cs) => {
        const cur = cs[id] ?? { ...emptyConversation, seenSeq: seen.current[id] ?? 0, readSent: seen.current[id] ?? 0 };
        const next = fn(cur);
        return next === cs[id] ? cs : { ...cs, [id]: next };
      });
    },
    [update],
  );

  const load = useCallback(
    async (id: string) => {
      try {
        const list = await chatApi.messages(id, 0);
        if (!alive.current) return;
        updateOne(id, (c) => applyHistory(c, list));
        setLoadErrors((e) => {
          if (!(id in e)) return e;
          const { [id]: _gone, ...rest } = e;
          return rest;
        });
      } catch (e) {
        if (alive.current) setLoadErrors((errs) => ({ ...errs, [id]: e }));
      }
    },
    [updateOne],
  );

  // Load each chat's history when it appears and whenever its state changes (an offered chat's
  // messages are not pushed live until it is answered); forget chats that are gone.
  useEffect(() => {
    const ids = new Set(chats.map((c) => c.id));
    for (const c of chats) {
      if (loadedFor.current.get(c.id) !== c.state) {
        loadedFor.current.set(c.id, c.state);
        void load(c.id);
      }
    }
    for (const id of [...loadedFor.current.keys()]) if (!ids.has(id)) loadedFor.current.delete(id);
    update((cs) => {
      const gone = Object.keys(cs).filter((id) => !ids.has(id));
      if (gone.length === 0) return cs;
      const next = { ...cs };
      for (const id of gone) {
        for (const p of next[id].pending) {
          files.current.delete(p.clientId);
          const timer = retryTimers.current.get(p.clientId);
          if (timer !== undefined) window.clearTimeout(timer);
          retryTimers.current.delete(p.clientId);
        }
        delete next[id];
      }
      return next;
    });
  }, [chats, load, update]);

  const mineIds = useMemo(() => new Set(chats.map((c) => c.id)), [chats]);
  const mineRef = useRef(mineIds);
  mineRef.current = mineIds;

  // Send attempts (defined before the live handlers, which retry at once after a reconnect).
  const attempt = useCallback(
    async (id: string, clientId: string) => {
      retryTimers.current.delete(clientId);
      const p = ref.current[id]?.pending.find((x) => x.clientId === clientId);
      if (!p) return;
      updateOne(id, (c) => attemptPending(c, clientId));
      try {
        let stored;
        if (p.file) {
          const file = files.current.get(clientId);
          if (!file) throw new Error('file gone');
          stored = await chatApi.sendFile(id, file);
          files.current.delete(clientId);
        } else if (p.document) {
          stored = await chatApi.sendDocument(id, clientId, p.document.id);
        } else {
          stored = await chatApi.sendText(id, clientId, p.text ?? '');
        }
        sentHere.current.add(stored.id);
        if (alive.current) updateOne(id, (c) => ackPending(c, clientId, stored));
      } catch (e) {
        if (!alive.current) return;
        const attempts = ref.current[id]?.pending.find((x) => x.clientId === clientId)?.attempts ?? MAX_SEND_ATTEMPTS;
        // A file upload carries no client_id: resending could store it twice, so only by hand.
        if (!p.file && isRetryable(e) && attempts < MAX_SEND_ATTEMPTS && mineRef.current.has(id)) {
          const timer = window.setTimeout(() => void attempt(id, clientId), retryDelay(attempts));
          retryTimers.current.set(clientId, timer);
        } else {
          updateOne(id, (c) => failPending(c, clientId, errorText(e, tRef.current)));
        }
      }
    },
    [updateOne],
  );

  useLive({
    onConnected: () => {
      // Events may have been missed: fetch every conversation again, and resend what waits.
      for (const c of chatsRef.current) void load(c.id);
      for (const [clientId, timer] of [...retryTimers.current]) {
        window.clearTimeout(timer);
        const id = Object.keys(ref.current).find((k) => ref.current[k].pending.some((p) => p.clientId === clientId));
        if (id) void attempt(id, clientId);
      }
    },
    onEvent: (e: LiveEvent) => {
      if (!e.type.startsWith('chat.')) return;
      const before = ref.current;
      update((cs) => applyChatEvent(cs, e, mineRef.current, Date.now()));
      if (e.type !== 'chat.message' || ref.current === before) return;
      const id = e.contact_id as string;
      const m = e.message as { sender?: unknown; body?: unknown; kind?: unknown } | undefined;
      if (m?.sender !== 'customer') return;
      const hidden = typeof document !== 'undefined' && document.hidden;
      if (hidden || selectedRef.current !== id) beep('message');
      if (hidden) {
        const contact = chatsRef.current.find((c) => c.id === id);
        const text = m.kind === 'text' && typeof m.body === 'string' ? m.body : tRef.current('wb.chat.preview.attachment');
        notifyIfHidden(tRef.current('wb.chat.notifyMessage', { name: contact?.title || tRef.current('wb.chat.visitor') }), text.slice(0, 140), `chat-${id}`);
      }
    },
  });

  useEffect(() => {
    alive.current = true;
    const timers = retryTimers.current;
    return () => {
      alive.current = false;
      for (const timer of timers.values()) window.clearTimeout(timer);
      timers.clear();
    };
  }, []);

  // The chat on screen: everything in it is seen; tell the customer what I have read.
  const selectedState = chats.find((c) => c.id === selectedId)?.state;
  useEffect(() => {
    if (!selectedId || !visible) return;
    const conv = ref.current[selectedId];
    if (!conv || !conv.loaded) return;
    const seenNow = markSeen(conv);
    const due = selectedState === 'connected' ? readDue(seenNow) : null;
    if (seenNow !== conv || due !== null) {
      updateOne(selectedId, (c) => {
        const s = markSeen(c);
        return due !== null && due > s.readSent ? { ...s, readSent: due } : s;
      });
    }
    if (seenNow.seenSeq !== (seen.current[selectedId] ?? 0)) {
      seen.current = { ...seen.current, [selectedId]: seenNow.seenSeq };
      try {
        const keep: Record<string, number> = {};
        for (const c of chatsRef.current) if (seen.current[c.id] !== undefined) keep[c.id] = seen.current[c.id];
        localStorage.setItem(seenKey(me.id), JSON.stringify(keep));
      } catch {
        /* storage full or blocked: the count just resets on reload */
      }
    }
    if (due !== null) void chatApi.read(selectedId, due).catch(() => undefined);
  }, [convs, selectedId, selectedState, visible, updateOne, me.id]);

  const send = useCallback(
    (id: string, raw: string): boolean => {
      const checked = checkMessage(raw);
      if (!checked.ok) return false;
      const clientId = agentClientId(me.id);
      updateOne(id, (c) => addPending(c, { clientId, text: checked.text, createdAt: Date.now() }));
      void attempt(id, clientId);
      return true;
    },
    [me.id, updateOne, attempt],
  );

  const sendDocument = useCallback(
    (id: string, doc: { id: string; title: string }) => {
      const clientId = agentClientId(me.id);
      updateOne(id, (c) => addPending(c, { clientId, document: doc, createdAt: Date.now() }));
      void attempt(id, clientId);
    },
    [me.id, updateOne, attempt],
  );

  const sendFile = useCallback(
    (id: string, file: File) => {
      const clientId = agentClientId(me.id);
      files.current.set(clientId, file);
      updateOne(id, (c) => addPending(c, { clientId, file: { name: file.name, size: file.size }, createdAt: Date.now() }));
      void attempt(id, clientId);
    },
    [me.id, updateOne, attempt],
  );

  const retry = useCallback(
    (id: string, clientId: string) => {
      const timer = retryTimers.current.get(clientId);
      if (timer !== undefined) window.clearTimeout(timer);
      // A manual retry starts a new round of automatic attempts.
      updateOne(id, (c) => ({ ...c, pending: c.pending.map((p) => (p.clientId === clientId ? { ...p, attempts: 0, status: 'sending', error: undefined } : p)) }));
      void attempt(id, clientId);
    },
    [updateOne, attempt],
  );

  const discard = useCallback(
    (id: string, clientId: string) => {
      const timer = retryTimers.current.get(clientId);
      if (timer !== undefined) window.clearTimeout(timer);
      retryTimers.current.delete(clientId);
      files.current.delete(clientId);
      updateOne(id, (c) => dropPending(c, clientId));
    },
    [updateOne],
  );

  const recall = useCallback(
    async (id: string, messageId: string) => {
      const stored = await chatApi.recall(id, messageId);
      updateOne(id, (c) => applyRecalled(c, messageId, stored));
    },
    [updateOne],
  );

  const typing = useCallback((id: string) => {
    const now = Date.now();
    if (!typingDue(lastTyping.current.get(id) ?? 0, now)) return;
    lastTyping.current.set(id, now);
    void chatApi.typing(id).catch(() => undefined);
  }, []);

  const reload = useCallback((id: string) => void load(id), [load]);

  return { convs, loadErrors, sentHere: sentHere.current, send, sendDocument, sendFile, retry, discard, recall, typing, reload };
}
