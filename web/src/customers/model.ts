// The customer directory's pure logic: the list's query string, the edit form's lines turned
// into the record the API takes (and back), the custom fields' values, merging's union as the
// server makes it (shown before confirming), and where a trail entry opens.
import type { CustomerFieldDef, CustomerInput, CustomerRecord, CustomerTrailEntry } from '../api/types';

export const PAGE = 50;

/** `?q=…&offset=…&limit=…` for `GET /customers`. */
export function customerQuery(q: string, offset = 0, limit = PAGE): string {
  const params = new URLSearchParams();
  if (q.trim()) params.set('q', q.trim());
  if (offset) params.set('offset', String(offset));
  params.set('limit', String(limit));
  return `?${params.toString()}`;
}

/** One item a line (numbers, e-mails, tags are edited as lines), blanks dropped. */
export function lines(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[\n,，;；]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** What the edit form holds. */
export interface CustomerForm {
  name?: string;
  phones?: string;
  emails?: string;
  tags?: string[];
  notes?: string;
  host_id?: string;
  fields?: Record<string, unknown>;
}

export function formOf(c: CustomerRecord | null): CustomerForm {
  if (!c) return { tags: [], fields: {} };
  return {
    name: c.name ?? '',
    phones: c.phones.join('\n'),
    emails: c.emails.join('\n'),
    tags: c.tags,
    notes: c.notes,
    host_id: c.host_id ?? '',
    fields: { ...c.fields },
  };
}

/** The record the API takes; values of fields no longer defined are left out (the server refuses unknown codes). */
export function inputOf(f: CustomerForm, defs: CustomerFieldDef[]): CustomerInput {
  const fields: Record<string, unknown> = {};
  for (const d of defs) {
    const v = f.fields?.[d.code];
    if (v === undefined || v === null || v === '') continue;
    fields[d.code] = d.type === 'number' && typeof v === 'string' ? Number(v) : v;
  }
  return {
    name: f.name?.trim() || null,
    phones: lines(f.phones),
    emails: lines(f.emails),
    tags: f.tags ?? [],
    notes: f.notes ?? '',
    host_id: f.host_id?.trim() || null,
    fields,
  };
}

/** A field's label in the UI's language. */
export function fieldLabel(d: CustomerFieldDef, lang: string): string {
  return lang === 'en' && d.label_en ? d.label_en : d.label;
}

/** A stored value as shown. */
export function fieldText(v: unknown): string {
  if (typeof v === 'string') return v || '—';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '—';
}

/** Where a trail entry opens: a call's record, a chat's transcript, a ticket's page, or nothing. */
export type TrailTarget =
  | { kind: 'call'; id: string }
  | { kind: 'chat'; contactId: string }
  | { kind: 'ticket'; id: string }
  | { kind: 'none' };

export function trailTarget(e: CustomerTrailEntry): TrailTarget {
  if (e.ticket_id) return { kind: 'ticket', id: e.ticket_id };
  if (e.kind === 'chat' && e.contact_id) return { kind: 'chat', contactId: e.contact_id };
  if (e.call_id) return { kind: 'call', id: e.call_id };
  return { kind: 'none' };
}

/** The survivor's values after merging `from` into `into`, as the server makes them. */
export function mergePreview(into: CustomerRecord, from: CustomerRecord): Pick<CustomerRecord, 'name' | 'phones' | 'emails' | 'tags'> {
  const union = (a: string[], b: string[]) => [...a, ...b.filter((x) => !a.includes(x))];
  return {
    name: into.name ?? from.name,
    phones: union(into.phones, from.phones),
    emails: union(into.emails, from.emails),
    tags: union(into.tags, from.tags),
  };
}
