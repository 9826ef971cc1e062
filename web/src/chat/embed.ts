// The chat page inside the widget's iframe (public/widget.js) and the widget on the host page:
// they speak by postMessage, each naming the exact origin of the other as the target and
// checking the sender's origin on receipt. The widget passes its host page's origin as `host`
// in the iframe's URL; without a valid one the page neither posts nor listens.
//
// Page → widget: `switchboard:ready` once loaded (the widget then says whether its panel is
// open), and `switchboard:unread {count, preview}` while the panel is closed: the agent's
// messages since it was last open, and the newest of them shortened.
// Widget → page: `switchboard:panel {open}`.
import { useEffect, useRef } from 'react';
import type { ShownMessage } from './model';

/** The host page's origin from the iframe's query (`host`), when it is an http(s) origin and nothing more. */
export function hostOrigin(search: string): string | null {
  const raw = new URLSearchParams(search).get('host');
  if (!raw) return null;
  try {
    const url = new URL(raw);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === raw ? url.origin : null;
  } catch {
    return null;
  }
}

/** Whether a message event comes from the widget that embeds this page (its window and origin). */
export function fromWidget(e: Pick<MessageEvent, 'source' | 'origin'>, search = window.location.search): boolean {
  const host = hostOrigin(search);
  return !!host && window.parent !== window && e.source === window.parent && e.origin === host;
}

/** The widget's message when its panel opens or closes (the iframe stays loaded meanwhile). */
export function isPanelMessage(data: unknown): data is { type: 'switchboard:panel'; open: boolean } {
  return !!data && typeof data === 'object' && (data as { type?: unknown }).type === 'switchboard:panel' && typeof (data as { open?: unknown }).open === 'boolean';
}

export interface Unread {
  count: number;
  /** The newest unread message, on one line and at most `PREVIEW_CHARS` characters; '' when none. */
  preview: string;
}

export const PREVIEW_CHARS = 60;

/** The agent's messages after `seenSeq` (not withdrawn), and a preview of the newest. */
export function unreadSince(messages: readonly ShownMessage[], seenSeq: number, attachmentLabel: string): Unread {
  const fresh = messages.filter((m) => m.sender === 'agent' && m.seq > seenSeq && !m.recalled && m.kind !== 'notice');
  const last = fresh[fresh.length - 1];
  if (!last) return { count: 0, preview: '' };
  const text = last.kind === 'text' && typeof last.body === 'string' ? last.body.replace(/\s+/g, ' ').trim() : attachmentLabel;
  const chars = [...text];
  return { count: fresh.length, preview: chars.length > PREVIEW_CHARS ? `${chars.slice(0, PREVIEW_CHARS - 1).join('')}…` : text };
}

const lastSeq = (list: readonly ShownMessage[]) => list.reduce((max, m) => Math.max(max, m.seq), 0);

/**
 * Inside the widget: tells it the page is ready, follows its panel, and while the panel is closed
 * reports the agent's unread messages. Does nothing outside the widget.
 */
export function useWidgetBridge(search: string, messages: readonly ShownMessage[], attachmentLabel: string): void {
  const host = hostOrigin(search);
  const open = useRef(true);
  const seen = useRef(0);
  const posted = useRef('');
  const latest = useRef(messages);
  latest.current = messages;

  useEffect(() => {
    if (!host || window.parent === window) return;
    const onMessage = (e: MessageEvent) => {
      if (!fromWidget(e, search) || !isPanelMessage(e.data)) return;
      open.current = e.data.open;
      if (e.data.open) {
        seen.current = lastSeq(latest.current);
        posted.current = '';
      }
    };
    window.addEventListener('message', onMessage);
    window.parent.postMessage({ type: 'switchboard:ready' }, host);
    return () => window.removeEventListener('message', onMessage);
  }, [host, search]);

  useEffect(() => {
    if (!host || window.parent === window) return;
    if (open.current) {
      seen.current = lastSeq(messages);
      return;
    }
    const unread = unreadSince(messages, seen.current, attachmentLabel);
    const key = `${unread.count}|${unread.preview}`;
    if (key === posted.current) return;
    posted.current = key;
    window.parent.postMessage({ type: 'switchboard:unread', ...unread }, host);
  }, [host, messages, attachmentLabel]);
}
