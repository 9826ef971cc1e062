import { describe, expect, it } from 'vitest';
import {
  actionBody, actionFields, actionLabel, actionNeedsDialog, checkActionInput, isOverdue, sortedReminders, statusLabel, ticketButtons,
} from './actions';
import type { Ticket, TicketActionOption, TicketType } from './types';

const can = (over: Partial<Ticket['can']> = {}): Ticket['can'] => ({ claim: false, transfer: false, edit: false, cc: false, reopen: false, ...over });
const act = (code: string, extra: Partial<TicketActionOption> = {}): TicketActionOption => ({
  code, label: code, to: 'done', requires_note: false, required_fields: [], ...extra,
});

const type: Pick<TicketType, 'fields' | 'workflow'> = {
  fields: [
    { code: 'title', label: '标题', kind: 'system', type: 'text', required: true },
    { code: 'resolution', label: '处理结果', kind: 'custom', type: 'long_text', required: false },
  ],
  workflow: {
    initial: 'new',
    statuses: [
      { code: 'new', label: '新建', category: 'open' },
      { code: 'done', label: '已完成', category: 'closed' },
    ],
    actions: [{ code: 'complete', label: '完成', from: ['new'], to: 'done', requires_note: true, required_fields: ['resolution'] }],
  },
};

describe('buttons', () => {
  it('shows only what the server allows', () => {
    const b = ticketButtons({ actions: [act('start'), act('complete')], can: can({ claim: true, cc: true }), status_category: 'open' });
    expect(b.claim).toBe(true);
    expect(b.transfer).toBe(false);
    expect(b.edit).toBe(false);
    expect(b.cc).toBe(true);
    expect(b.note).toBe(true);
    expect(b.workflow.map((a) => a.code)).toEqual(['start', 'complete']);
  });

  it('reopen only on a closed ticket when allowed', () => {
    expect(ticketButtons({ actions: [], can: can({ reopen: true }), status_category: 'closed' }).reopen).toBe(true);
    expect(ticketButtons({ actions: [], can: can({ reopen: true }), status_category: 'open' }).reopen).toBe(false);
    expect(ticketButtons({ actions: [], can: can(), status_category: 'closed' }).reopen).toBe(false);
  });

  it('copes with a missing can / actions', () => {
    const b = ticketButtons({ status_category: 'open' } as unknown as Ticket);
    expect(b.claim).toBe(false);
    expect(b.workflow).toEqual([]);
  });
});

describe('workflow actions', () => {
  it('needs a dialog for a note or fields', () => {
    expect(actionNeedsDialog(act('a'))).toBe(false);
    expect(actionNeedsDialog(act('a', { requires_note: true }))).toBe(true);
    expect(actionNeedsDialog(act('a', { required_fields: ['x'] }))).toBe(true);
  });

  it('asks for the required fields as required inputs', () => {
    const fields = actionFields(act('complete', { required_fields: ['resolution', 'ghost'] }), type);
    expect(fields.map((f) => [f.code, f.required, f.type])).toEqual([
      ['resolution', true, 'long_text'],
      ['ghost', true, 'text'],
    ]);
  });

  it('checks the note and the fields like the server', () => {
    const a = act('complete', { requires_note: true, required_fields: ['resolution'] });
    const fields = actionFields(a, type);
    expect(checkActionInput(a, fields, ' ', {})).toEqual({ note: { key: 'tk.v.required' }, resolution: { key: 'tk.v.required' } });
    expect(checkActionInput(a, fields, 'ok', { resolution: 'fixed' })).toEqual({});
    expect(checkActionInput(act('x'), [], 'n'.repeat(4001), {}).note).toEqual({ key: 'tk.v.maxChars', vars: { n: 4000 } });
  });

  it('builds the body with the version', () => {
    expect(actionBody('  ', {}, 3)).toEqual({ version: 3 });
    expect(actionBody(' done ', { resolution: 'fixed' }, 4)).toEqual({ version: 4, note: 'done', fields: { resolution: 'fixed' } });
  });

  it('labels statuses and actions from the workflow', () => {
    expect(statusLabel(type, 'done')).toBe('已完成');
    expect(statusLabel(type, 'unknown')).toBe('unknown');
    expect(statusLabel(undefined, 'new')).toBe('new');
    expect(actionLabel(type, 'complete')).toBe('完成');
  });
});

describe('time helpers', () => {
  it('overdue only when not closed and past due', () => {
    const now = Date.parse('2026-01-02T00:00:00Z');
    expect(isOverdue('2026-01-01T00:00:00Z', 'open', now)).toBe(true);
    expect(isOverdue('2026-01-01T00:00:00Z', 'closed', now)).toBe(false);
    expect(isOverdue('2026-01-03T00:00:00Z', 'pending', now)).toBe(false);
    expect(isOverdue(null, 'open', now)).toBe(false);
  });

  it('sorts reminders by time', () => {
    expect(sortedReminders([{ at: '2026-01-02T00:00:00Z' }, { at: '2026-01-01T08:00:00+08:00' }]).map((r) => r.at)).toEqual([
      '2026-01-01T08:00:00+08:00',
      '2026-01-02T00:00:00Z',
    ]);
    expect(sortedReminders(null)).toEqual([]);
  });
});
