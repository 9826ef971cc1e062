// Ticket fields in forms (pure): API value ↔ form value per field type, the form layout from a
// template, and client-side checks that mirror the server's (crates/engine/src/ticket/field.rs):
// text ≤ 500 and long text ≤ 10 000 characters without control characters, numbers finite and
// below 1e15, real calendar dates, phone numbers of 3-20 digits with only spaces, -, () and a
// leading +, a loose email shape, lists of at most 50 non-empty items of ≤ 200 characters, and
// select / cascade values among the options. Values are trimmed; blank is empty.
import dayjs, { type Dayjs } from 'dayjs';
import type { MessageKey } from '../i18n';
import type { FieldDef, FieldOption, FieldType, FieldValue, FieldWidth, TicketTemplate, TicketType } from './types';

export const MAX_TEXT = 500;
export const MAX_LONG_TEXT = 10_000;
export const MAX_LIST = 50;
export const MAX_LIST_ITEM = 200;

/** What an antd form item holds for a field. */
export type FormValue = string | number | string[] | Dayjs | null | undefined;

const LIST_TYPES: ReadonlySet<FieldType> = new Set(['multi_select', 'cascade', 'attachment']);

export const isListType = (t: FieldType) => LIST_TYPES.has(t);

// ---- API value → form value ----

function asList(v: unknown, sep: string): string[] {
  if (Array.isArray(v)) return v.map((x) => String(x).trim()).filter(Boolean);
  if (typeof v === 'string') return v.split(sep === ';' ? /[;；]/ : sep).map((x) => x.trim()).filter(Boolean);
  if (typeof v === 'number') return [String(v)];
  return [];
}

/** The form value for a field's API value (undefined when empty or unreadable). */
export function toFormValue(field: Pick<FieldDef, 'type'>, value: FieldValue | undefined): FormValue {
  if (value === null || value === undefined || value === '') return undefined;
  switch (field.type) {
    case 'number': {
      const n = typeof value === 'number' ? value : Number(String(value).trim());
      return Number.isFinite(n) ? n : undefined;
    }
    case 'date': {
      const d = dayjs(String(value), 'YYYY-MM-DD');
      return d.isValid() ? d : undefined;
    }
    case 'datetime': {
      const d = typeof value === 'number' ? dayjs(value) : dayjs(String(value));
      return d.isValid() ? d : undefined;
    }
    case 'multi_select':
    case 'attachment': {
      const l = asList(value, ';');
      return l.length ? l : undefined;
    }
    case 'cascade': {
      const l = asList(value, '/');
      return l.length ? l : undefined;
    }
    default:
      return Array.isArray(value) ? value.join(';') : String(value);
  }
}

// ---- form value → API value ----

/** The API value for a form value; null when empty. Strings are trimmed. */
export function toApiValue(field: Pick<FieldDef, 'type'>, value: FormValue): FieldValue {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'number': {
      if (typeof value === 'number') return Number.isFinite(value) ? value : null;
      const s = String(value).trim();
      if (!s) return null;
      const n = Number(s);
      return Number.isFinite(n) ? n : s; // a bad number goes to the server, which names the field
    }
    case 'date':
      if (dayjs.isDayjs(value)) return value.isValid() ? value.format('YYYY-MM-DD') : null;
      return String(value).trim() || null;
    case 'datetime':
      // Local time with its offset, to the second: 2026-11-21T09:30:00+08:00.
      if (dayjs.isDayjs(value)) return value.isValid() ? value.millisecond(0).format('YYYY-MM-DDTHH:mm:ssZ') : null;
      return String(value).trim() || null;
    case 'multi_select':
    case 'attachment':
    case 'cascade': {
      const l = asList(value, field.type === 'cascade' ? '/' : ';');
      return l.length ? l : null;
    }
    default: {
      if (dayjs.isDayjs(value)) return value.format();
      const s = Array.isArray(value) ? value.join(';') : String(value);
      return s.trim() || null;
    }
  }
}

export function isEmptyValue(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

// ---- checks (mirroring the server) ----

export interface FieldProblem {
  key: MessageKey;
  vars?: Record<string, string | number>;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** The server's phone rule: 3-20 digits; only digits, spaces, -, ( and ), and + as the first character. */
export function isPhone(raw: string): boolean {
  const s = raw.trim();
  const digits = (s.match(/[0-9]/g) ?? []).length;
  if (digits < 3 || digits > 20) return false;
  return [...s].every((c, i) => /[0-9 ()-]/.test(c) || (c === '+' && i === 0));
}

/** The server's email rule: something@domain.tld, no spaces, commas or semicolons, ≤ 254 characters. */
export function isEmail(raw: string): boolean {
  const s = raw.trim();
  const at = s.indexOf('@');
  if (at <= 0) return false;
  const domain = s.slice(at + 1);
  return (
    new TextEncoder().encode(s).length <= 254 &&
    domain.includes('.') &&
    !domain.startsWith('.') &&
    !domain.endsWith('.') &&
    !domain.includes('@') &&
    !/[\s,;]/.test(s)
  );
}

/** A real calendar date written as YYYY-MM-DD. */
export function isDate(raw: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw.trim());
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function findOption(options: FieldOption[] | undefined, value: string): FieldOption | undefined {
  return (options ?? []).find((o) => o.value === value) ?? (options ?? []).find((o) => o.label === value);
}

const charCount = (s: string) => [...s].length;

/** Check one API value against its field; null when it is fine (empty is fine unless required). */
export function checkValue(field: FieldDef, value: FieldValue): FieldProblem | null {
  const required = field.required || field.code === 'title';
  if (isEmptyValue(value)) return required ? { key: 'tk.v.required' } : null;
  const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : null;
  const textual = (max: number): FieldProblem | null => {
    if (text === null) return { key: 'tk.v.single' };
    if (charCount(text) > max) return { key: 'tk.v.maxChars', vars: { n: max } };
    if (CONTROL.test(text)) return { key: 'tk.v.control' };
    return null;
  };
  switch (field.type) {
    case 'text':
    case 'address':
    case 'member':
      return textual(MAX_TEXT);
    case 'long_text':
      return textual(MAX_LONG_TEXT);
    case 'number': {
      const n = typeof value === 'number' ? value : Number(text ?? NaN);
      return text !== null && text !== '' && Number.isFinite(n) && Math.abs(n) < 1e15 ? null : { key: 'tk.v.number' };
    }
    case 'date':
      return text !== null && isDate(text) ? null : { key: 'tk.v.date' };
    case 'datetime':
      return text !== null && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text) && Number.isFinite(Date.parse(text)) ? null : { key: 'tk.v.datetime' };
    case 'phone':
      return text !== null && isPhone(text) ? null : { key: 'tk.v.phone' };
    case 'email':
      return text !== null && isEmail(text) ? null : { key: 'tk.v.email' };
    case 'single_select':
      if (text === null) return { key: 'tk.v.single' };
      return findOption(field.options, text) ? null : { key: 'tk.v.option' };
    case 'multi_select':
    case 'attachment':
    case 'cascade': {
      const items = Array.isArray(value) ? value.map((x) => String(x).trim()) : asList(value, field.type === 'cascade' ? '/' : ';');
      if (items.length > MAX_LIST || items.some((i) => !i || charCount(i) > MAX_LIST_ITEM)) return { key: 'tk.v.list', vars: { n: MAX_LIST } };
      if (field.type === 'multi_select' && items.some((i) => !findOption(field.options, i))) return { key: 'tk.v.option' };
      if (field.type === 'cascade') {
        let level = field.options ?? [];
        for (const step of items) {
          const o = findOption(level, step);
          if (!o) return { key: 'tk.v.option' };
          level = o.children ?? [];
        }
      }
      return null;
    }
    default:
      return null;
  }
}

/** Check a form value (converted first). */
export function checkFormValue(field: FieldDef, value: FormValue): FieldProblem | null {
  return checkValue(field, toApiValue(field, value));
}

// ---- layout ----

export interface LayoutItem {
  field: FieldDef;
  width: FieldWidth;
}

const WIDE: ReadonlySet<FieldType> = new Set(['long_text', 'address', 'attachment']);

/**
 * The form's fields in order: the template's (unknown codes skipped), `title` first if the
 * template lacks it, then required fields without a default that the template leaves out (the
 * server would refuse the ticket without them). Without a template: every field of the type,
 * long ones full width.
 */
export function formLayout(type: Pick<TicketType, 'fields'>, template?: Pick<TicketTemplate, 'fields'> | null): LayoutItem[] {
  const byCode = new Map(type.fields.map((f) => [f.code, f]));
  if (!template) return type.fields.map((f) => ({ field: f, width: WIDE.has(f.type) ? 'full' : 'half' }));
  const out: LayoutItem[] = [];
  const seen = new Set<string>();
  for (const tf of template.fields) {
    const f = byCode.get(tf.code);
    if (!f || seen.has(f.code)) continue;
    seen.add(f.code);
    out.push({ field: f, width: tf.width === 'half' ? 'half' : 'full' });
  }
  const title = byCode.get('title');
  if (title && !seen.has('title')) {
    out.unshift({ field: title, width: 'full' });
    seen.add('title');
  }
  for (const f of type.fields) {
    if (!seen.has(f.code) && (f.required || f.code === 'title') && isEmptyValue(f.default)) {
      out.push({ field: f, width: WIDE.has(f.type) ? 'full' : 'half' });
      seen.add(f.code);
    }
  }
  return out;
}

/** The detail's fields: the template's layout, then any other field that has a value (nothing is hidden). */
export function detailLayout(
  type: Pick<TicketType, 'fields'>,
  template: Pick<TicketTemplate, 'fields'> | null | undefined,
  values: Record<string, unknown>,
): LayoutItem[] {
  const out = formLayout(type, template);
  const seen = new Set(out.map((i) => i.field.code));
  for (const f of type.fields) {
    if (!seen.has(f.code) && !isEmptyValue(values[f.code])) out.push({ field: f, width: WIDE.has(f.type) ? 'full' : 'half' });
  }
  return out;
}

/**
 * Spans for showing a layout in two columns: half-width fields pair up; a full-width field, or
 * a half-width one without a partner before the next full-width one, fills its own line.
 */
export function viewSpans(items: Pick<LayoutItem, 'width'>[]): ('filled' | 1)[] {
  const out: ('filled' | 1)[] = [];
  let open = false; // a half-width field waits for its partner on the current line
  items.forEach((it, i) => {
    if (it.width === 'full') {
      out.push('filled');
      open = false;
    } else if (open) {
      out.push(1);
      open = false;
    } else if (items[i + 1]?.width === 'half') {
      out.push(1);
      open = true;
    } else {
      out.push('filled');
    }
  });
  return out;
}

/** Initial form values: the fields' defaults. */
export function defaultFormValues(items: LayoutItem[]): Record<string, FormValue> {
  const out: Record<string, FormValue> = {};
  for (const { field } of items) {
    const v = toFormValue(field, field.default);
    if (v !== undefined) out[field.code] = v;
  }
  return out;
}

/** Form values for a ticket's (or a prefill's) API values, for the fields in `items`. */
export function formValuesOf(items: LayoutItem[], values: Record<string, FieldValue>): Record<string, FormValue> {
  const out: Record<string, FormValue> = {};
  for (const { field } of items) {
    if (field.code in values) out[field.code] = toFormValue(field, values[field.code]);
  }
  return out;
}

/** API values for a create: empty fields left out. */
export function apiValuesForCreate(items: LayoutItem[], form: Record<string, FormValue>): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const { field } of items) {
    const v = toApiValue(field, form[field.code]);
    if (!isEmptyValue(v)) out[field.code] = v;
  }
  return out;
}

/** Two API values mean the same (times compared as instants, numbers as numbers). */
export function sameValue(field: Pick<FieldDef, 'type'>, a: unknown, b: unknown): boolean {
  if (isEmptyValue(a) && isEmptyValue(b)) return true;
  if (isEmptyValue(a) || isEmptyValue(b)) return false;
  if (field.type === 'datetime') return Date.parse(String(a)) === Date.parse(String(b));
  if (field.type === 'number') return Number(a) === Number(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    const la = asList(a, field.type === 'cascade' ? '/' : ';');
    const lb = asList(b, field.type === 'cascade' ? '/' : ';');
    return la.length === lb.length && la.every((x, i) => x === lb[i]);
  }
  return String(a).trim() === String(b).trim();
}

/** The fields an edit changes: cleared ones are sent as null. */
export function changedValues(items: LayoutItem[], before: Record<string, unknown>, form: Record<string, FormValue>): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const { field } of items) {
    if (!(field.code in form)) continue;
    const next = toApiValue(field, form[field.code]);
    if (!sameValue(field, before[field.code], next)) out[field.code] = next;
  }
  return out;
}

// ---- display ----

function optionPathLabels(options: FieldOption[] | undefined, path: string[]): string[] {
  let level = options ?? [];
  return path.map((step) => {
    const o = findOption(level, step);
    level = o?.children ?? [];
    return o?.label ?? step;
  });
}

/** Local `YYYY-MM-DD HH:mm`, or '' for a missing or bad time. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = dayjs(iso);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : String(iso);
}

/** One line for a value ('' when empty): option labels, cascade paths "广东 / 深圳", local times. */
export function displayValue(field: Pick<FieldDef, 'type' | 'options'> | undefined, value: unknown): string {
  if (isEmptyValue(value)) return '';
  if (!field) return Array.isArray(value) ? value.join('; ') : typeof value === 'string' ? value : JSON.stringify(value);
  switch (field.type) {
    case 'single_select':
      return findOption(field.options, String(value))?.label ?? String(value);
    case 'multi_select':
      return asList(value, ';').map((v) => findOption(field.options, v)?.label ?? v).join('、');
    case 'cascade':
      return optionPathLabels(field.options, asList(value, '/')).join(' / ');
    case 'attachment':
      return asList(value, ';').join('; ');
    case 'datetime':
      return formatTime(String(value));
    default:
      return Array.isArray(value) ? value.join('; ') : String(value);
  }
}

/** antd Cascader / Select options from field options. */
export interface UiOption {
  value: string;
  label: string;
  children?: UiOption[];
}

export function uiOptions(options: FieldOption[] | undefined): UiOption[] {
  return (options ?? []).map((o) => (o.children?.length ? { value: o.value, label: o.label, children: uiOptions(o.children) } : { value: o.value, label: o.label }));
}

/** Which field types a per-field filter input is offered for (exact match; times and files are not). */
export function filterableField(f: FieldDef): boolean {
  return !['datetime', 'attachment', 'long_text'].includes(f.type) && !['title', 'priority', 'customer', 'phone'].includes(f.code);
}

/** A filter input's value as the `f.<code>` query text: cascade paths joined with '/'. */
export function filterText(field: Pick<FieldDef, 'type'>, value: FormValue): string {
  const v = toApiValue(field, value);
  if (v === null) return '';
  if (Array.isArray(v)) return v.join(field.type === 'cascade' ? '/' : ';');
  return String(v);
}
