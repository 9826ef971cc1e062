// The screen pop of a call (V3) in words: where the number belongs (号码归属地) in the page's
// language, the IVR variables, the caller's earlier contacts as rows, and the notices of a
// call (the browser notification's text, released and ended).
import type { CallerInfo, CallerLocation, Channel, PastContact } from '../api/types';
import type { Lang, MessageKey } from '../i18n';

/** Names without blanks and without a part repeating the one before it (Jamaica, Jamaica). */
function parts(...names: (string | null | undefined)[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    const v = n?.trim();
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

/**
 * Where a number belongs, as a person in that language writes it: in Chinese the region and
 * city (广东省 深圳市), with the country first for numbers abroad (美国); in English the city,
 * region and, abroad, the country (New York, NY, United States). Null when nothing is known.
 */
export function locationText(loc: CallerLocation | null | undefined, lang: Lang): string | null {
  if (!loc) return null;
  const home = loc.country === 'CN';
  if (lang === 'zh-CN') {
    const z = loc.zh;
    const names = home ? parts(z.region, z.city) : parts(z.country, z.region, z.city);
    return names.length > 0 ? names.join(' ') : null;
  }
  const e = loc.en;
  const names = home ? parts(e.city, e.region) : parts(e.city, e.region, e.country);
  return names.length > 0 ? names.join(', ') : null;
}

/** The IVR variables as `name = value` pairs, sorted by name. */
export function ivrVariables(vars: Record<string, string> | null | undefined): { name: string; value: string }[] {
  return Object.entries(vars ?? {})
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface PastRow {
  id: string;
  at: string;
  channel: Channel;
  queue: string;
  agent: string;
  /** The summary's problem, else the outcome's key. */
  what: string | null;
  outcome: MessageKey | null;
  disposition: string | null;
  /** Where it opens: a call's record; other contacts do not open. */
  href: string | null;
}

/** The caller's earlier contacts as the pop lists them. */
export function pastRows(recent: readonly PastContact[]): PastRow[] {
  return recent.map((c) => ({
    id: c.id,
    at: c.created_at,
    channel: c.channel,
    queue: c.queue_name ?? '—',
    agent: c.agent_name ?? '—',
    what: c.summary?.trim() || null,
    outcome: c.outcome ? (`outcome.${c.outcome}` as MessageKey) : null,
    disposition: c.disposition_label ?? c.disposition ?? null,
    href: c.call_id ? `/calls?open=${encodeURIComponent(c.call_id)}` : null,
  }));
}

/** The browser notification's body for a ringing call: the number and where it belongs. */
export function callNoticeBody(info: Pick<CallerInfo, 'number' | 'location' | 'name'>, lang: Lang): string {
  return parts(info.name, info.number, locationText(info.location, lang)).join(' · ');
}

/**
 * The notice when a contact I serve is released by someone else: for a call, the customer
 * hung up (released) or the call ended otherwise; other channels keep their own words.
 */
export function releaseNoticeKey(channel: Channel | undefined, releasedBy: unknown): MessageKey | null {
  if (releasedBy === 'agent') return channel === 'voice' ? 'wb.call.ended' : null;
  if (channel === 'voice') return releasedBy === 'customer' ? 'wb.call.released' : 'wb.call.ended';
  return releasedBy === 'customer' ? 'wb.contact.releasedByCustomer' : 'wb.contact.releasedBySystem';
}
