import { describe, expect, it } from 'vitest';
import { valueValid } from './values';
import type { FieldType } from '../../tickets/types';

const v = (type: FieldType, value: Parameters<typeof valueValid>[1], options = [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }]) =>
  valueValid({ type, options }, value);

describe('field values', () => {
  it('empty is always valid', () => {
    for (const t of ['text', 'number', 'date', 'single_select', 'multi_select', 'cascade'] as FieldType[]) {
      expect(v(t, ''), t).toBe(true);
      expect(v(t, undefined), t).toBe(true);
      expect(v(t, []), t).toBe(true);
    }
  });

  it('checks each type like the server', () => {
    expect(v('text', 'x'.repeat(500))).toBe(true);
    expect(v('text', 'x'.repeat(501))).toBe(false);
    expect(v('long_text', 'x'.repeat(10_000))).toBe(true);
    expect(v('number', '12.5')).toBe(true);
    expect(v('number', 7)).toBe(true);
    expect(v('number', 'seven')).toBe(false);
    expect(v('date', '2026-02-28')).toBe(true);
    expect(v('date', '2026-02-30')).toBe(false);
    expect(v('date', '2026/02/01')).toBe(false);
    expect(v('datetime', '2026-11-21T09:30:00+08:00')).toBe(true);
    expect(v('datetime', 'tomorrow')).toBe(false);
    expect(v('phone', '+86 (755) 1234-5678')).toBe(true);
    expect(v('phone', '12')).toBe(false);
    expect(v('phone', '12+34')).toBe(false);
    expect(v('email', 'a@b.cn')).toBe(true);
    expect(v('email', 'a@b')).toBe(false);
    expect(v('email', 'a b@c.cn')).toBe(false);
    expect(v('single_select', 'a')).toBe(true);
    expect(v('single_select', 'B')).toBe(true);
    expect(v('single_select', 'c')).toBe(false);
    expect(v('single_select', ['a'])).toBe(false);
    expect(v('multi_select', ['a', 'B'])).toBe(true);
    expect(v('multi_select', 'a;b')).toBe(true);
    expect(v('multi_select', ['a', 'z'])).toBe(false);
  });

  it('walks cascade paths level by level', () => {
    const tree = [{ value: 'gd', label: '广东', children: [{ value: 'sz', label: '深圳' }] }];
    expect(v('cascade', ['gd', 'sz'], tree)).toBe(true);
    expect(v('cascade', '广东/深圳', tree)).toBe(true);
    expect(v('cascade', ['gd'], tree)).toBe(true);
    expect(v('cascade', ['sz'], tree)).toBe(false);
    expect(v('cascade', ['gd', 'sz', 'x'], tree)).toBe(false);
  });
});
