// Call control on a connected call's card (V4, V9) as pure functions: what the hold buttons
// show, the hold time, and the soft keypad's keys.
import type { Contact } from '../api/types';
import { elapsedSeconds } from '../util/time';
import { noticeInfo, toAgentMessages } from './chat/model';

/** The soft keypad, row by row as on a phone. */
export const KEYPAD_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
export type KeypadKey = (typeof KEYPAD_KEYS)[number];

/** What the server sends as DTMF: 1-32 of 0-9, *, #, A-D. */
export function isDtmf(digits: string): boolean {
  return /^[0-9*#A-D]{1,32}$/.test(digits);
}

/** The key a keyboard press stands for while the keypad is open, or null. */
export function keypadKeyOf(key: string): KeypadKey | null {
  return (KEYPAD_KEYS as readonly string[]).includes(key) ? (key as KeypadKey) : null;
}

/** Whether the call controls apply: my connected call (a contact in wrap-up has no call left to hold). */
export function hasCallControls(c: Pick<Contact, 'channel' | 'state'>): boolean {
  return c.channel === 'voice' && c.state === 'connected';
}

export function isHeld(c: Pick<Contact, 'held_since'>): boolean {
  return !!c.held_since;
}

/**
 * Whole seconds on hold in all: the finished holds (`hold_ms`) and, while held, the hold in
 * progress on the server's clock (so the total goes on counting with the hold timer).
 */
export function holdTotalSeconds(c: Pick<Contact, 'held_since' | 'hold_ms'>, offsetMs: number, localNowMs: number): number {
  const done = Math.max(0, c.hold_ms ?? 0) / 1000;
  const running = c.held_since ? (elapsedSeconds(c.held_since, offsetMs, localNowMs) ?? 0) : 0;
  return Math.floor(done + running);
}

/** The total is shown once a hold has ended: while the first hold runs its timer says it all. */
export function showHoldTotal(c: Pick<Contact, 'hold_ms'>): boolean {
  return (c.hold_ms ?? 0) >= 1000;
}

/** The keys sent so far as shown: the latest ones when there are many. */
export const KEYPAD_SHOWN_MAX = 24;
export function shownSent(sent: string): string {
  return sent.length > KEYPAD_SHOWN_MAX ? `…${sent.slice(-(KEYPAD_SHOWN_MAX - 1))}` : sent;
}

/** The note of a transfer as the next agent reads it. */
export interface TransferNoteInfo {
  note: string;
  fromAgentId: string | null;
}

/**
 * The latest transfer note among a contact's messages (`GET /contacts/{id}/messages`): a call
 * has no conversation, but its transfers leave the same internal notice a chat's do.
 */
export function lastTransferNote(messages: readonly unknown[]): TransferNoteInfo | null {
  const list = toAgentMessages(messages);
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i];
    const n = noticeInfo(m.body);
    if (!n.internal || n.event !== 'transferred' || !n.note) continue;
    const from = (m.body as { from_agent_id?: unknown }).from_agent_id;
    return { note: n.note, fromAgentId: typeof from === 'string' ? from : null };
  }
  return null;
}
