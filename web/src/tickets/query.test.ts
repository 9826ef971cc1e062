import { describe, expect, it } from 'vitest';
import {
  activeFilterCount, columnOfSortKey, compactFilters, exportFileName, exportQueryString, filterPairs, fromViewFilters, isTab, listQueryString,
  sortKeyOfColumn, viewFilters,
} from './query';

describe('list query string', () => {
  it('puts the tab, the set filters, f.<code> fields, sort and paging in', () => {
    const qs = listQueryString({
      tab: 'processing',
      filters: { q: ' T0001 ', status: 'waiting', priority: '', fields: { city: 'sz', address: '  ', area: '广东/深圳' } },
      sort: { field: 'updated', desc: true },
      cursor: 'abc==',
      limit: 50,
    });
    const p = new URLSearchParams(qs);
    expect(p.get('tab')).toBe('processing');
    expect(p.get('q')).toBe('T0001');
    expect(p.get('status')).toBe('waiting');
    expect(p.has('priority')).toBe(false);
    expect(p.get('f.city')).toBe('sz');
    expect(p.has('f.address')).toBe(false);
    expect(p.get('f.area')).toBe('广东/深圳');
    expect(p.get('sort')).toBe('updated');
    expect(p.get('desc')).toBe('true');
    expect(p.get('cursor')).toBe('abc==');
    expect(p.get('limit')).toBe('50');
    // Encoded for a URL: Chinese, / and = are escaped.
    expect(qs).toContain('f.area=%E5%B9%BF%E4%B8%9C%2F%E6%B7%B1%E5%9C%B3');
    expect(qs).toContain('cursor=abc%3D%3D');
  });

  it('leaves out what is not set and caps the limit at 200', () => {
    expect(listQueryString({ filters: {} })).toBe('');
    expect(listQueryString({ tab: 'all', filters: {}, limit: 1000 })).toBe('tab=all&limit=200');
    expect(listQueryString({ tab: 'cc', filters: {}, sort: { field: 'due', desc: false } })).toBe('tab=cc&sort=due&desc=false');
    // An unknown sort key (e.g. from an old view) is left out rather than refused by the server.
    expect(listQueryString({ tab: 'cc', filters: {}, sort: { field: 'priority', desc: true } })).toBe('tab=cc');
  });

  it('export carries the format, the tab and the same filters', () => {
    expect(exportQueryString('csv', 'zh-CN', 'created', { text: '退款', group_id: 'g1' })).toBe('format=csv&lang=zh-CN&tab=created&text=%E9%80%80%E6%AC%BE&group_id=g1');
    expect(exportQueryString('xlsx', 'en', undefined, {})).toBe('format=xlsx&lang=en');
  });

  it('counts the drawer filters but not the two search boxes', () => {
    expect(activeFilterCount({ q: 'a', text: 'b' })).toBe(0);
    expect(activeFilterCount({ q: 'a', status: 'new', fields: { city: 'sz', x: '' } })).toBe(2);
  });

  it('orders f.<code> pairs by code', () => {
    expect(filterPairs({ fields: { b: '2', a: '1' } })).toEqual([['f.a', '1'], ['f.b', '2']]);
  });
});

describe('saved views', () => {
  it('stores the tab and the parameters as an object and reads them back', () => {
    const stored = viewFilters('unassigned', { q: 'x', flag: 'red', created_from: '2026-01-01T00:00:00+08:00', fields: { city: 'sz' } });
    expect(stored).toEqual({ tab: 'unassigned', q: 'x', created_from: '2026-01-01T00:00:00+08:00', flag: 'red', 'f.city': 'sz' });
    expect(fromViewFilters(stored)).toEqual({
      tab: 'unassigned',
      filters: { q: 'x', flag: 'red', created_from: '2026-01-01T00:00:00+08:00', fields: { city: 'sz' } },
    });
  });

  it('ignores unknown keys, bad tabs, bad flags and empty values', () => {
    expect(fromViewFilters({ tab: 'nope', flag: 'pink', status_category: 'x', colour: 'red', status: '', priority: 'high', limit: 5 })).toEqual({
      tab: undefined,
      filters: { priority: 'high' },
    });
    expect(fromViewFilters(null)).toEqual({ filters: {} });
    expect(fromViewFilters({ status: ['new', 'done'], type_id: 7 })).toEqual({ tab: undefined, filters: { status: 'new', type_id: '7' } });
  });

  it('compacts filters', () => {
    expect(compactFilters({ q: ' ', status: 'new', fields: { a: '' } })).toEqual({ status: 'new' });
  });

  it('knows the tabs', () => {
    expect(isTab('cc')).toBe(true);
    expect(isTab('mine')).toBe(false);
  });
});

describe('sort keys', () => {
  it('maps list columns to the server sort keys and back', () => {
    expect(sortKeyOfColumn('created_at')).toBe('created');
    expect(sortKeyOfColumn('updated_at')).toBe('updated');
    expect(sortKeyOfColumn('due_at')).toBe('due');
    expect(sortKeyOfColumn('number')).toBe('number');
    expect(sortKeyOfColumn('priority')).toBeNull();
    expect(columnOfSortKey('due')).toBe('due_at');
    expect(columnOfSortKey('nope')).toBeNull();
    expect(columnOfSortKey(null)).toBeNull();
  });
});

describe('export file name', () => {
  it('stamps local date and time', () => {
    expect(exportFileName('xlsx', new Date(2026, 10, 21, 9, 5))).toBe('tickets-20261121-0905.xlsx');
    expect(exportFileName('csv', new Date(2026, 0, 2, 23, 59))).toBe('tickets-20260102-2359.csv');
  });
});
