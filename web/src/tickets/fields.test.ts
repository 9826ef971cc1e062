import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import {
  apiValuesForCreate, changedValues, checkFormValue, checkValue, defaultFormValues, detailLayout, displayValue, filterableField,
  filterText, formLayout, formValuesOf, viewSpans, isDate, isEmail, isPhone, toApiValue, toFormValue, type LayoutItem,
} from './fields';
import type { FieldDef, FieldOption, FieldValue } from './types';

const f = (code: string, type: FieldDef['type'], extra: Partial<FieldDef> = {}): FieldDef => ({
  code, label: code.toUpperCase(), kind: 'custom', type, required: false, ...extra,
});

const colors: FieldOption[] = [
  { value: 'red', label: '红色' },
  { value: 'blue', label: '蓝色' },
];
const tree: FieldOption[] = [
  { value: 'gd', label: '广东', children: [{ value: 'sz', label: '深圳' }, { value: 'gz', label: '广州' }] },
  { value: 'bj', label: '北京' },
];

const SYSTEM: FieldDef[] = [
  f('title', 'text', { kind: 'system', required: true }),
  f('description', 'long_text', { kind: 'system' }),
  f('priority', 'single_select', { kind: 'system', options: [{ value: 'low', label: '低' }, { value: 'normal', label: '普通' }], default: 'normal' }),
  f('customer', 'member', { kind: 'system' }),
  f('phone', 'phone', { kind: 'system' }),
  f('email', 'email', { kind: 'system' }),
  f('due_at', 'datetime', { kind: 'system' }),
];

describe('server rules, mirrored', () => {
  it('phone: 3-20 digits, spaces, -, () and a leading +', () => {
    for (const ok of ['+86 138-0013-8000', '(010) 6552-9988', '110', '12345678901234567890']) expect(isPhone(ok), ok).toBe(true);
    for (const bad of ['call me', '12', '86+138', '123456789012345678901', '138.0013', '１３８']) expect(isPhone(bad), bad).toBe(false);
  });

  it('email: a loose shape like the server', () => {
    for (const ok of ['li.lei@example.cn', 'a@b.co', '王@例子.中国']) expect(isEmail(ok), ok).toBe(true);
    for (const bad of ['li.lei@', '@x.cn', 'a@b', 'a@.cn', 'a@b.', 'a b@c.cn', 'a@b@c.cn', 'a,b@c.cn']) expect(isEmail(bad), bad).toBe(false);
  });

  it('dates must exist', () => {
    expect(isDate('2026-02-28')).toBe(true);
    expect(isDate('2024-02-29')).toBe(true);
    expect(isDate('2026-02-30')).toBe(false);
    expect(isDate('2026-2-3')).toBe(false);
  });

  it('checks values by type', () => {
    expect(checkValue(f('t', 'text'), '字'.repeat(500))).toBeNull();
    expect(checkValue(f('t', 'text'), '字'.repeat(501))).toEqual({ key: 'tk.v.maxChars', vars: { n: 500 } });
    expect(checkValue(f('t', 'long_text'), 'a\nb\tc')).toBeNull();
    expect(checkValue(f('t', 'text'), 'a\u0007b')?.key).toBe('tk.v.control');
    expect(checkValue(f('t', 'text'), ['a'])?.key).toBe('tk.v.single');
    expect(checkValue(f('n', 'number'), 12.5)).toBeNull();
    expect(checkValue(f('n', 'number'), 'twelve')?.key).toBe('tk.v.number');
    expect(checkValue(f('n', 'number'), 1e15)?.key).toBe('tk.v.number');
    expect(checkValue(f('d', 'date'), '2026-02-30')?.key).toBe('tk.v.date');
    expect(checkValue(f('d', 'datetime'), '2026-11-21T09:30:00+08:00')).toBeNull();
    expect(checkValue(f('d', 'datetime'), 'tomorrow')?.key).toBe('tk.v.datetime');
    expect(checkValue(f('p', 'phone'), 'call me')?.key).toBe('tk.v.phone');
    expect(checkValue(f('e', 'email'), 'x@')?.key).toBe('tk.v.email');
  });

  it('selects take values or labels among the options', () => {
    const single = f('c', 'single_select', { options: colors });
    expect(checkValue(single, 'red')).toBeNull();
    expect(checkValue(single, '蓝色')).toBeNull();
    expect(checkValue(single, 'green')?.key).toBe('tk.v.option');
    const multi = f('m', 'multi_select', { options: colors });
    expect(checkValue(multi, ['red', 'blue'])).toBeNull();
    expect(checkValue(multi, ['red', 'green'])?.key).toBe('tk.v.option');
    const cascade = f('area', 'cascade', { options: tree });
    expect(checkValue(cascade, ['gd', 'sz'])).toBeNull();
    expect(checkValue(cascade, ['gd'])).toBeNull();
    expect(checkValue(cascade, ['gd', 'bj'])?.key).toBe('tk.v.option');
    expect(checkValue(cascade, ['bj', 'x'])?.key).toBe('tk.v.option');
  });

  it('lists: at most 50 non-empty items of 200 characters', () => {
    const att = f('files', 'attachment');
    expect(checkValue(att, Array.from({ length: 50 }, (_, i) => `f${i}`))).toBeNull();
    expect(checkValue(att, Array.from({ length: 51 }, (_, i) => `f${i}`))?.key).toBe('tk.v.list');
    expect(checkValue(att, ['a'.repeat(201)])?.key).toBe('tk.v.list');
  });

  it('required: empty, blank and [] are missing; title is always required', () => {
    const req = f('x', 'text', { required: true });
    expect(checkValue(req, null)?.key).toBe('tk.v.required');
    expect(checkValue(req, '   ')?.key).toBe('tk.v.required');
    expect(checkValue(f('x', 'multi_select', { required: true, options: colors }), [])?.key).toBe('tk.v.required');
    expect(checkValue(f('title', 'text'), '')?.key).toBe('tk.v.required');
    expect(checkValue(f('x', 'text'), '')).toBeNull();
    expect(checkFormValue(req, '  ok  ')).toBeNull();
  });
});

describe('API value ↔ form value', () => {
  it('round-trips every type', () => {
    const cases: [FieldDef, FieldValue][] = [
      [f('t', 'text'), 'hello'],
      [f('n', 'number'), 12.5],
      [f('d', 'date'), '2026-11-21'],
      [f('m', 'multi_select', { options: colors }), ['red', 'blue']],
      [f('c', 'cascade', { options: tree }), ['gd', 'sz']],
      [f('a', 'attachment'), ['file-1', 'file-2']],
      [f('p', 'phone'), '+86 138 0013 8000'],
      [f('s', 'single_select', { options: colors }), 'red'],
    ];
    for (const [field, v] of cases) expect(toApiValue(field, toFormValue(field, v)), field.type).toEqual(v);
  });

  it('datetimes keep the instant, to the second, with the local offset', () => {
    const field = f('due_at', 'datetime');
    const form = toFormValue(field, '2026-11-21T01:30:15Z');
    expect(dayjs.isDayjs(form)).toBe(true);
    const back = toApiValue(field, form) as string;
    expect(back).toMatch(/^2026-11-2\dT\d{2}:\d{2}:15[+-]\d{2}:\d{2}$/);
    expect(Date.parse(back)).toBe(Date.parse('2026-11-21T01:30:15Z'));
    expect(toApiValue(field, dayjs('2026-11-21T01:30:15.678Z'))).toBe(back);
  });

  it('numbers served as text become numbers; text is trimmed; blank is null', () => {
    expect(toFormValue(f('n', 'number'), '12.50')).toBe(12.5);
    expect(toFormValue(f('n', 'number'), 'abc')).toBeUndefined();
    expect(toApiValue(f('t', 'text'), '  hi ')).toBe('hi');
    expect(toApiValue(f('t', 'text'), '   ')).toBeNull();
    expect(toApiValue(f('n', 'number'), undefined)).toBeNull();
    expect(toApiValue(f('m', 'multi_select'), [])).toBeNull();
  });

  it('reads lists written as text (a;b, 广东/深圳)', () => {
    expect(toFormValue(f('m', 'multi_select'), 'red；blue')).toEqual(['red', 'blue']);
    expect(toFormValue(f('c', 'cascade'), 'gd/sz')).toEqual(['gd', 'sz']);
    expect(toFormValue(f('t', 'text'), null)).toBeUndefined();
  });
});

describe('layout', () => {
  const type = { fields: [...SYSTEM, f('city', 'single_select', { options: colors, required: true }), f('note2', 'long_text')] };

  it('follows the template, title first, then required fields the template left out', () => {
    const items = formLayout(type, { fields: [{ code: 'priority', width: 'half' }, { code: 'nope', width: 'half' }, { code: 'phone', width: 'half' }] });
    expect(items.map((i) => [i.field.code, i.width])).toEqual([
      ['title', 'full'],
      ['priority', 'half'],
      ['phone', 'half'],
      ['city', 'half'],
    ]);
  });

  it('without a template shows every field, long ones full width', () => {
    const items = formLayout(type, null);
    expect(items.length).toBe(type.fields.length);
    expect(items.find((i) => i.field.code === 'description')?.width).toBe('full');
    expect(items.find((i) => i.field.code === 'phone')?.width).toBe('half');
  });

  it('the detail adds fields that have a value', () => {
    const items = detailLayout(type, { fields: [{ code: 'title', width: 'full' }] }, { title: 'x', email: 'a@b.cn', note2: '' });
    expect(items.map((i) => i.field.code)).toEqual(['title', 'city', 'email']);
  });

  it('pairs half-width fields for the two-column view', () => {
    const w = (...ws: ('half' | 'full')[]) => viewSpans(ws.map((width) => ({ width })));
    expect(w('full', 'half', 'half', 'half', 'full', 'half')).toEqual(['filled', 1, 1, 'filled', 'filled', 'filled']);
    expect(w('half', 'half', 'half', 'half')).toEqual([1, 1, 1, 1]);
    expect(w()).toEqual([]);
  });

  it('defaults and values fill the form', () => {
    const items = formLayout(type, null);
    expect(defaultFormValues(items)).toEqual({ priority: 'normal' });
    expect(formValuesOf(items, { title: 'T', nope: 1, phone: null })).toEqual({ title: 'T', phone: undefined });
  });

  it('a create sends only filled fields', () => {
    const items: LayoutItem[] = formLayout(type, null);
    expect(apiValuesForCreate(items, { title: ' 退款 ', description: '', priority: 'normal', city: undefined })).toEqual({ title: '退款', priority: 'normal' });
  });

  it('an edit sends the changed fields, cleared ones as null', () => {
    const items = formLayout(type, null);
    const before = { title: 'A', due_at: '2026-11-21T01:30:00Z', phone: '110', description: 'x' };
    const form = {
      title: 'A',
      due_at: toFormValue(f('due_at', 'datetime'), '2026-11-21T09:30:00+08:00'),
      phone: '120',
      description: '',
    };
    expect(changedValues(items, before, form)).toEqual({ phone: '120', description: null });
  });
});

describe('display', () => {
  it('shows labels and paths', () => {
    expect(displayValue(f('c', 'single_select', { options: colors }), 'red')).toBe('红色');
    expect(displayValue(f('m', 'multi_select', { options: colors }), ['red', 'blue'])).toBe('红色、蓝色');
    expect(displayValue(f('a', 'cascade', { options: tree }), ['gd', 'sz'])).toBe('广东 / 深圳');
    expect(displayValue(f('a', 'cascade', { options: tree }), ['gd', 'xx'])).toBe('广东 / xx');
    expect(displayValue(f('x', 'text'), null)).toBe('');
    expect(displayValue(undefined, ['a', 'b'])).toBe('a; b');
    expect(displayValue(f('d', 'datetime'), '2026-11-21T09:30:00+08:00')).toMatch(/^2026-11-2\d \d{2}:30$/);
  });

  it('filters: which fields, and how their value is written', () => {
    expect(filterableField(f('city', 'single_select'))).toBe(true);
    expect(filterableField(f('due_at', 'datetime'))).toBe(false);
    expect(filterableField(f('files', 'attachment'))).toBe(false);
    expect(filterableField(f('title', 'text'))).toBe(false);
    expect(filterText(f('a', 'cascade'), ['gd', 'sz'])).toBe('gd/sz');
    expect(filterText(f('m', 'multi_select'), 'red')).toBe('red');
    expect(filterText(f('d', 'date'), dayjs('2026-11-21'))).toBe('2026-11-21');
    expect(filterText(f('n', 'number'), 3)).toBe('3');
    expect(filterText(f('t', 'text'), '  ')).toBe('');
  });
});
