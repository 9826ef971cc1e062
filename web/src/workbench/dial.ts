// Outbound calling from the workbench (外呼, V9, V10, T4) as pure functions: what a typed or
// pasted number becomes, whether the agent may call out now (and why not), which caller
// number is preselected, whose number a past call or contact calls back, and each refusal of
// `POST /agent/calls` in the user's language.
import { ApiError } from '../api/client';
import { errorText } from '../api/errors';
import type { AgentStatus, CallerNumber, CallRecord, Contact } from '../api/types';
import type { MessageKey, TFunc } from '../i18n';

/** The keys of the dial pad, row by row; `+` leads an international number. */
export const DIAL_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '0'] as const;
export type DialKey = (typeof DIAL_KEYS)[number];

/** The most digits a number may have (the server's rule for phone numbers). */
export const DIAL_MAX_DIGITS = 20;

/**
 * A typed or pasted number as the dial pad keeps it: digits only, with a leading `+` kept.
 * Full-width digits and plus (from a Chinese input method), spaces, dashes, dots, brackets and
 * a `tel:` prefix go; so does anything else that is not a digit. At most
 * {@link DIAL_MAX_DIGITS} digits.
 */
export function cleanNumber(raw: string): string {
  const halfWidth = raw.replace(/[\uff10-\uff19\uff0b]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const text = halfWidth.trim().replace(/^tel:/i, '').trim();
  const plus = text.startsWith('+') ? '+' : '';
  const digits = text.replace(/\D/g, '').slice(0, DIAL_MAX_DIGITS);
  return plus + digits;
}

/** Whether a cleaned number can be dialled: 3-20 digits, optionally after a `+`. */
export function isDialable(number: string): boolean {
  return /^\+?\d{3,20}$/.test(number);
}

/** A key pressed on the pad: `+` only at the start of an empty number; digits up to the limit. */
export function pressKey(number: string, key: DialKey): string {
  if (key === '+') return number === '' ? '+' : number;
  return cleanNumber(number + key);
}

/** The number without its last character (the pad's backspace). */
export function backspace(number: string): string {
  return number.slice(0, -1);
}

/** Why the agent cannot call out now, as a translation key; null when they can. */
export type DialBlock = 'noPermission' | 'loading' | 'signedOut' | 'resting' | 'onCall' | 'wrapUp';

/**
 * Whether the agent may place an outbound call now. The server allows it signed in, idle or
 * busy (not at rest), with no call of theirs ringing, connected or in wrap-up (a call holds the
 * agent until its wrap-up ends); a chat in progress does not stop it.
 */
export function dialBlock(status: AgentStatus | null, permitted: boolean): DialBlock | null {
  if (!permitted) return 'noPermission';
  if (!status) return 'loading';
  if (status.state === 'signed_out') return 'signedOut';
  if (status.state === 'rest') return 'resting';
  const calls = status.contacts.filter((c) => c.channel === 'voice');
  if (calls.some((c) => c.state === 'offered' || c.state === 'connected' || c.state === 'reserved')) return 'onCall';
  if (calls.some((c) => c.state === 'wrap_up')) return 'wrapUp';
  return null;
}

/** The explanation of a {@link DialBlock}. */
export function dialBlockKey(block: DialBlock): MessageKey {
  return `dial.block.${block}`;
}

/** My caller numbers once each (several groups may give the same), defaults first. */
export function callerChoices(numbers: readonly CallerNumber[]): CallerNumber[] {
  const seen = new Map<string, CallerNumber>();
  for (const n of numbers) {
    const had = seen.get(n.number);
    if (!had || (n.default && !had.default)) seen.set(n.number, n);
  }
  return [...seen.values()].sort((a, b) => Number(b.default) - Number(a.default));
}

/** The caller number preselected: the one asked for when it is mine, else a default, else the first. */
export function preselectedCaller(numbers: readonly CallerNumber[], asked?: string | null): string | null {
  if (asked && numbers.some((n) => n.number === asked)) return asked;
  return (numbers.find((n) => n.default) ?? numbers[0])?.number ?? null;
}

/** The customer's number of a call record: whom an outbound call dialled, else who called. */
export function callRecordCustomer(r: Pick<CallRecord, 'direction' | 'caller' | 'dialled'>): string {
  return r.direction === 'outbound' ? r.dialled : r.caller;
}

/** The number a voice contact calls back (an outbound contact's is the number dialled), or null. */
export function contactCustomerNumber(c: Pick<Contact, 'channel' | 'customer' | 'data'>): string | null {
  if (c.channel !== 'voice') return null;
  const raw = c.data?.dialled || c.customer || '';
  const n = cleanNumber(raw);
  return isDialable(n) ? n : null;
}

/** The summary's heading: an outbound call's is its result note (外呼备注). */
export function summaryLabelKey(c: Pick<Contact, 'channel' | 'direction'>): MessageKey {
  return c.channel === 'voice' && c.direction === 'outbound' ? 'wb.summary.outboundLabel' : 'wb.summary.label';
}

/**
 * A refusal of `POST /agent/calls` in words. The destination rules' refusal names the rule's
 * label (an admin's words, e.g. 声讯台), which is kept; a number the rules do not cover says so.
 */
export function dialErrorText(err: unknown, t: TFunc): string {
  if (err instanceof ApiError && err.code === 'destination_refused') {
    const label = /\(([^()]+)\)\s*$/.exec(err.message)?.[1]?.trim();
    return label ? t('dial.refused.rule', { label }) : t('dial.refused.noRule');
  }
  return errorText(err, t);
}
