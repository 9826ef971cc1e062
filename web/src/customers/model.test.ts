// The customer directory's pure logic.
import { describe, expect, it } from 'vitest';
import type { CustomerRecord, CustomerTrailEntry } from '../api/types';
import { customerQuery, formOf, inputOf, lines, mergePreview, trailTarget } from './model';

const record = (over: Partial<CustomerRecord>): CustomerRecord => ({
  id: 'c1',
  name: null,
  phones: [],
  emails: [],
  host_id: null,
  tags: [],
  notes: '',
  fields: {},
  version: 1,
  merged_into: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  ...over,
});

describe('customers model', () => {
  it('builds the list query', () => {
    expect(customerQuery(' 退货 ')).toBe('?q=%E9%80%80%E8%B4%A7&limit=50');
    expect(customerQuery('', 50, 10)).toBe('?offset=50&limit=10');
  });

  it('reads lines and separators', () => {
    expect(lines('138 0013 8000\n, 021-61234567；\n')).toEqual(['138 0013 8000', '021-61234567']);
    expect(lines(undefined)).toEqual([]);
  });

  it('turns the form into the record and drops undefined fields', () => {
    const defs = [
      { code: 'level', label: '等级', type: 'option' as const, options: ['金'] },
      { code: 'spent', label: '消费', type: 'number' as const, options: [] },
    ];
    const form = formOf(record({ name: '张三', phones: ['+8613800138000'], fields: { level: '金', gone: 'x' } }));
    form.fields = { ...form.fields, spent: '12.5' };
    const input = inputOf(form, defs);
    expect(input.phones).toEqual(['+8613800138000']);
    expect(input.fields).toEqual({ level: '金', spent: 12.5 });
    expect(inputOf({ name: '  ' }, []).name).toBeNull();
  });

  it('opens each trail entry where it belongs', () => {
    const e = (over: Partial<CustomerTrailEntry>): CustomerTrailEntry => ({
      kind: 'task', at: '', contact_id: 'k', state: 'closed', title: null, agent_name: null, summary: null,
      score: null, call_id: null, recording_playable: false, ticket_id: null, ticket_number: null, ...over,
    });
    expect(trailTarget(e({ kind: 'ticket', contact_id: null, ticket_id: 't' }))).toEqual({ kind: 'ticket', id: 't' });
    expect(trailTarget(e({ kind: 'chat' }))).toEqual({ kind: 'chat', contactId: 'k' });
    expect(trailTarget(e({ kind: 'call', call_id: 'r' }))).toEqual({ kind: 'call', id: 'r' });
    expect(trailTarget(e({}))).toEqual({ kind: 'none' });
  });

  it('previews a merge as the server makes it', () => {
    const into = record({ phones: ['+861'], tags: ['VIP'] });
    const from = record({ name: '王女士', phones: ['+861', '+862'], tags: ['投诉'] });
    expect(mergePreview(into, from)).toEqual({ name: '王女士', phones: ['+861', '+862'], emails: [], tags: ['VIP', '投诉'] });
  });
});
