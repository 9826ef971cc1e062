// Timelines (X3) laid out for the screen: an agent's day as a strip of state blocks (and the
// contacts they held as a second lane) placed in percent of the day, and a contact's life
// steps said in words (the translation keys and their values; the components translate).
import type { AgentTimeline, LifeStep } from '../api/types';
import type { MessageKey } from '../i18n';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface Block {
  left: number;
  width: number;
  from: string;
  to: string;
}

export interface StateBlock extends Block {
  state: AgentTimeline['spans'][number]['state'];
  reason: string | null;
}

export interface ContactBlock extends Block {
  contactId: string;
  /** Where wrap-up starts inside the block, percent of the block; null without wrap-up. */
  wrapAt: number | null;
}

export interface Strip {
  states: StateBlock[];
  contacts: ContactBlock[];
  /** Hour marks: percent of the day and the local hour they stand for. */
  hours: { left: number; hour: number }[];
}

/** Percent of [start, end) for [from, to), clipped to the day; null when outside it or unreadable. */
function place(from: string, to: string, start: number, end: number): { left: number; width: number } | null {
  const a = Math.max(Date.parse(from), start);
  const b = Math.min(Date.parse(to), end);
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= a) return null;
  const span = end - start;
  return { left: ((a - start) / span) * 100, width: ((b - a) / span) * 100 };
}

/**
 * The whole day on one scale (today included, which the server ends at its now: the rest of the
 * strip stays empty). `startHour` is the local hour the day starts at, for the hour marks.
 */
export function layoutDay(day: AgentTimeline, startHour = 0): Strip {
  const start = Date.parse(day.day_start);
  const end = Math.max(Date.parse(day.day_end), start + DAY);
  const states: StateBlock[] = [];
  for (const s of day.spans) {
    const at = place(s.from, s.to, start, end);
    if (at) states.push({ ...at, from: s.from, to: s.to, state: s.state, reason: s.reason });
  }
  const contacts: ContactBlock[] = [];
  for (const c of day.contacts) {
    const at = place(c.from, c.to, start, end);
    if (!at) continue;
    const total = Date.parse(c.to) - Date.parse(c.from);
    const wrap = c.wrap_up_from ? Date.parse(c.wrap_up_from) - Date.parse(c.from) : NaN;
    const wrapAt = Number.isFinite(wrap) && total > 0 ? Math.min(100, Math.max(0, (wrap / total) * 100)) : null;
    contacts.push({ ...at, from: c.from, to: c.to, contactId: c.contact_id, wrapAt });
  }
  const hours: Strip['hours'] = [];
  for (let h = 0; h * HOUR < end - start; h += 3) hours.push({ left: ((h * HOUR) / (end - start)) * 100, hour: (startHour + h) % 24 });
  return { states, contacts, hours };
}

/** Milliseconds of each state over the day (the strip's legend). */
export function timeInStates(day: AgentTimeline): Partial<Record<StateBlock['state'], number>> {
  const out: Partial<Record<StateBlock['state'], number>> = {};
  for (const s of day.spans) {
    const ms = Date.parse(s.to) - Date.parse(s.from);
    if (Number.isFinite(ms) && ms > 0) out[s.state] = (out[s.state] ?? 0) + ms;
  }
  return out;
}

const KINDS = ['created', 'queued', 'reserved', 'offered', 'offer_timeout', 'connected', 'media', 'wrap_up', 'transferred', 'overflowed', 'closed'] as const;
const MEDIA = [
  'held', 'resumed', 'consult_started', 'consult_answered', 'consult_ended', 'conference_started', 'conference_ended',
  'listen_started', 'whisper_started', 'barge_started', 'monitor_ended', 'customer_answered',
] as const;
const OUTCOMES = ['completed', 'abandoned', 'timed_out', 'cancelled'] as const;
const RELEASERS = ['agent', 'customer', 'system'] as const;

const known = <T extends string>(list: readonly T[], v: unknown): v is T => typeof v === 'string' && (list as readonly string[]).includes(v);

/** What a step says: the step's name, and its detail's words when they are known. */
export interface StepWords {
  title: MessageKey | null;
  /** Keys to show beside the title (the media event, who released, the outcome). */
  notes: MessageKey[];
}

export function stepWords(step: LifeStep): StepWords {
  const kind = step.kind.replace(/^contact\./, '');
  const title = known(KINDS, kind) ? (`life.kind.${kind}` as MessageKey) : null;
  const d = step.detail ?? {};
  const notes: MessageKey[] = [];
  if (kind === 'media' && known(MEDIA, d.event)) notes.push(`life.media.${d.event}` as MessageKey);
  if (kind === 'wrap_up' && known(RELEASERS, d.released_by)) notes.push(`life.releasedBy.${d.released_by}` as MessageKey);
  if (kind === 'closed' && known(OUTCOMES, d.outcome)) notes.push(`outcome.${d.outcome}` as MessageKey);
  if (kind === 'connected' && d.auto_answered === true) notes.push('life.autoAnswered');
  return { title, notes };
}

/** The step's colour on the timeline: ended badly red, answered green, the rest blue or grey. */
export function stepColor(step: LifeStep): string {
  const d = step.detail ?? {};
  if (step.kind === 'contact.offer_timeout' || (step.kind === 'contact.closed' && d.outcome !== 'completed')) return 'red';
  if (step.kind === 'contact.connected') return 'green';
  if (step.kind === 'contact.closed') return 'gray';
  return 'blue';
}
