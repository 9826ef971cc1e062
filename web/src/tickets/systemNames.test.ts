import { describe, expect, it } from 'vitest';
import { translator } from '../i18n';
import { localizeType, systemName } from './systemNames';
import type { TicketType } from './types';

const en = translator('en');
const zh = translator('zh-CN');

/** The built-in type as the server sends it: Chinese system names, a bilingual custom field. */
const builtIn = {
  id: 't1', name: '售后工单 After-sales ticket', description: '', active: true, version: 1, facet_fields: [],
  fields: [
    { code: 'title', label: '标题', kind: 'system', type: 'text', required: true, options: [], default: null },
    { code: 'priority', label: '优先级', kind: 'system', type: 'single_select', required: false, default: 'normal',
      options: [{ value: 'low', label: '低', children: [] }, { value: 'urgent', label: '紧急', children: [] }] },
    { code: 'customer', label: '顾客', kind: 'system', type: 'member', required: false, options: [], default: null },
    { code: 'address', label: '地址 Address', kind: 'business', type: 'address', required: false, options: [], default: null },
  ],
  workflow: {
    initial: 'new',
    statuses: [{ code: 'new', label: '新建', category: 'open' }, { code: 'done', label: '已完结', category: 'closed' }],
    actions: [
      { code: 'complete', label: '完结', from: ['new'], to: 'done', requires_note: false, required_fields: [] },
      { code: 'escalate', label: '升级二线 Escalate to tier 2', from: ['new'], to: 'new', requires_note: true, required_fields: [] },
    ],
  },
  rules: [],
} as unknown as TicketType;

describe('system names', () => {
  it('names built-in fields, options, statuses and actions in English', () => {
    const t = localizeType(builtIn, en);
    expect(t.fields.map((f) => f.label)).toEqual(['Title', 'Priority', '顾客', '地址 Address']);
    expect(t.fields[1].options?.map((o) => o.label)).toEqual(['Low', 'Urgent']);
    expect(t.workflow.statuses.map((s) => s.label)).toEqual(['New', 'Done']);
    expect(t.workflow.actions.map((a) => a.label)).toEqual(['Complete', '升级二线 Escalate to tier 2']);
  });
  it('keeps labels an administrator changed, and Chinese in the Chinese UI', () => {
    expect(systemName('field', 'customer', '顾客', en)).toBe('顾客');
    expect(localizeType(builtIn, zh).workflow.statuses.map((s) => s.label)).toEqual(['新建', '已完结']);
    expect(systemName('action', 'complete', '完结', en)).toBe('Complete');
    expect(systemName('action', null, '', en)).toBe('');
  });
  it('leaves the stored type alone', () => {
    localizeType(builtIn, en);
    expect(builtIn.fields[0].label).toBe('标题');
  });
});
