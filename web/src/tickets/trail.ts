// The service trail in words (pure): one headline and detail lines per entry, for every
// `action` of `GET /tickets/{id}/trail`, in the current language.
import { hasKey, type TFunc } from '../i18n';
import { displayValue, formatTime } from './fields';
import { systemName } from './systemNames';
import type { FieldDef, TrailEntry } from './types';

export interface TrailContext {
  t: TFunc;
  /** A user's display name (or a short id). */
  user: (id: string) => string;
  /** A skill group's (queue's) name. */
  group: (id: string) => string;
  /** A status code's label. */
  status: (code: string) => string;
  /** A workflow action code's label. */
  action: (code: string) => string;
  /** A field of the ticket's type. */
  field: (code: string) => FieldDef | undefined;
}

export interface TrailText {
  /** One line: who did what. */
  title: string;
  /** "Label: from → to" lines, rule actions, reminder details. */
  lines: string[];
  /** Free text written by a person (a note, a transfer reason); shown as a quote. */
  note?: string;
  /** Timeline dot colour. */
  color: string;
  /** A ticket opened from a caller's voicemail: its message, to play. */
  voicemail?: Voicemail;
}

/** What the `created` entry of a ticket opened from a voicemail says of the message. */
export interface Voicemail {
  /** The caller's number (or SIP name); '' when unknown. */
  caller: string;
  /** The message's length in milliseconds; null when absent or odd. */
  ms: number | null;
  /** The call record's id; '' when absent. */
  callRecord: string;
  /** The message's file (a path on this server); null when the call was not recorded. */
  recording: string | null;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** "Label: from → to" for one change of an `edited` entry (or a rule's `set_field`). */
export function changeLine(ctx: TrailContext, change: unknown): string {
  const c = obj(change);
  const code = str(c.field);
  const f = ctx.field(code);
  const empty = ctx.t('tk.trail.empty');
  const from = displayValue(f, c.from) || empty;
  const to = displayValue(f, c.to) || empty;
  return ctx.t('tk.trail.change', { field: f?.label ?? code, from, to });
}

function ruleAction(ctx: TrailContext, a: unknown): string {
  const o = typeof a === 'string' ? { type: a } : obj(a);
  const type = str(o.type);
  const f = ctx.field(str(o.field));
  const toKey = `tk.rule.to.${str(o.to)}`;
  const vars = {
    group: str(o.group_id) ? ctx.group(str(o.group_id)) : '—',
    field: f?.label ?? (str(o.field) || '—'),
    value: displayValue(f, o.value) || ctx.t('tk.trail.empty'),
    to: hasKey(toKey) ? ctx.t(toKey) : str(o.to) || '—',
  };
  const key = `tk.rule.${type}`;
  if (type && hasKey(key)) return ctx.t(key, vars);
  return type || JSON.stringify(a);
}

/** The voicemail facts of a `created` entry's detail (`detail.voicemail`), or null when it
 * has none; odd fields read as missing. Only a same-origin path is taken as the recording. */
export function voicemailOf(detail: unknown): Voicemail | null {
  const raw = obj(detail).voicemail;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const v = raw as Record<string, unknown>;
  const ms = typeof v.voicemail_ms === 'number' && Number.isFinite(v.voicemail_ms) && v.voicemail_ms >= 0 ? v.voicemail_ms : null;
  const rec = typeof v.recording === 'string' ? v.recording.trim() : '';
  return {
    caller: typeof v.caller === 'string' ? v.caller.trim() : '',
    ms,
    callRecord: typeof v.call_record === 'string' ? v.call_record : '',
    recording: rec.startsWith('/') && !rec.startsWith('//') ? rec : null,
  };
}

/** A length as m:ss, to the nearest second (as the server writes it). */
export function minutesSeconds(ms: number): string {
  const s = Math.floor((Math.max(0, ms) + 500) / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Words for one trail entry. */
export function trailText(entry: TrailEntry, ctx: TrailContext): TrailText {
  const { t } = ctx;
  const d = obj(entry.detail);
  const actor = entry.actor_id ? ctx.user(entry.actor_id) : t('tk.trail.system');
  const note = str(d.note) || undefined;
  switch (entry.action) {
    case 'created': {
      const voicemail = voicemailOf(d);
      if (!voicemail) return { title: t('tk.trail.created', { actor }), lines: [], color: 'green' };
      const title = voicemail.ms === null ? t('tk.trail.createdVoicemail') : t('tk.trail.createdVoicemailLength', { length: minutesSeconds(voicemail.ms) });
      const lines = voicemail.caller ? [t('tk.trail.voicemailCaller', { caller: voicemail.caller })] : [];
      return { title, lines, color: 'green', voicemail };
    }
    case 'imported':
      return { title: t('tk.trail.imported', { actor }), lines: [], color: 'green' };
    case 'edited': {
      const changes = Array.isArray(d.changes) ? d.changes : [];
      return { title: t('tk.trail.edited', { actor, n: changes.length }), lines: changes.map((c) => changeLine(ctx, c)), color: 'blue' };
    }
    case 'note':
      return { title: t('tk.trail.note', { actor }), lines: [], note: str(d.text) || note, color: 'gray' };
    case 'claimed':
      return { title: t('tk.trail.claimed', { actor }), lines: [], color: 'blue' };
    case 'transferred': {
      const toUser = str(d.to_assignee_id);
      const toGroup = str(d.to_group_id);
      const title = toUser
        ? t('tk.trail.transferredUser', { actor, user: ctx.user(toUser) })
        : toGroup
          ? t('tk.trail.transferredGroup', { actor, group: ctx.group(toGroup) })
          : t('tk.trail.transferred', { actor });
      return { title, lines: [], note, color: 'orange' };
    }
    case 'status': {
      const action = str(d.action);
      const from = ctx.status(str(d.from)) || t('tk.trail.empty');
      const to = ctx.status(str(d.to)) || t('tk.trail.empty');
      return {
        // The label the action had then (the server keeps it), else today's.
        title: t('tk.trail.status', { actor, action: systemName('action', action, str(d.label), t) || (action ? ctx.action(action) : '—') }),
        lines: [t('tk.trail.statusChange', { from, to })],
        note,
        color: 'blue',
      };
    }
    case 'reopened': {
      const lines = str(d.from) || str(d.to) ? [t('tk.trail.statusChange', { from: ctx.status(str(d.from)) || t('tk.trail.empty'), to: ctx.status(str(d.to)) || t('tk.trail.empty') })] : [];
      return { title: t('tk.trail.reopened', { actor }), lines, note, color: 'red' };
    }
    case 'cc_added':
      return { title: t('tk.trail.ccAdded', { actor, user: str(d.user_id) ? ctx.user(str(d.user_id)) : '—' }), lines: [], color: 'gray' };
    case 'cc_removed':
      return { title: t('tk.trail.ccRemoved', { actor, user: str(d.user_id) ? ctx.user(str(d.user_id)) : '—' }), lines: [], color: 'gray' };
    case 'contact_linked':
      return { title: t('tk.trail.contactLinked', { actor, contact: str(d.contact_id) ? shortId(str(d.contact_id)) : '—' }), lines: [], color: 'gray' };
    case 'call_placed':
      // An outbound call placed from the ticket (T4): the number called.
      return { title: t('tk.trail.callPlaced', { actor, number: str(d.number) || '—' }), lines: [], color: 'cyan' };
    case 'rule': {
      const actions = Array.isArray(d.actions) ? d.actions : [];
      return { title: t('tk.trail.rule', { rule: str(d.rule) || str(obj(d.rule).name) || '—' }), lines: actions.map((a) => ruleAction(ctx, a)), color: 'purple' };
    }
    case 'reminded': {
      const lines: string[] = [];
      if (str(d.at)) lines.push(t('tk.trail.remindAt', { at: formatTime(str(d.at)) }));
      return { title: t('tk.trail.reminded', { actor }), lines, note, color: 'gold' };
    }
    default: {
      const rest = Object.keys(d).length ? [JSON.stringify(d)] : [];
      return { title: t('tk.trail.other', { actor, action: String(entry.action) }), lines: rest, note, color: 'gray' };
    }
  }
}

/** The first 8 characters of an id, for people without a directory to look names up in. */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}
