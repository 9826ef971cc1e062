import { describe, expect, it } from 'vitest';
import type { Queue } from '../api/types';
import { categoryPath, categoryTree } from './categories';
import { buildDirectory, peopleOptions } from './directory';
import { ticketAlert, ticketPath, touchesTickets } from './events';
import { BOM, csvCell, importErrorCsv, importFileProblem } from './importReport';
import type { TicketCategory } from './types';

describe('import error report', () => {
  it('is CSV with a BOM, CRLF, quoting and defused formulas', () => {
    const csv = importErrorCsv(
      [
        { row: 5, column: 'phone', message: 'must be a phone number: digits, optionally with +' },
        { row: 3, column: 'title', message: '必填' },
        { row: 3, column: 'city', message: 'say "hi"\nnow' },
        { row: 4, column: 'x', message: '=HYPERLINK("http://evil")' },
      ],
      ['行', '列', '错误'],
    );
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      '行,列,错误',
      '3,city,"say ""hi""\nnow"',
      '3,title,必填',
      `4,x,"'=HYPERLINK(""http://evil"")"`,
      '5,phone,"must be a phone number: digits, optionally with +"',
      '',
    ]);
  });

  it('leaves numbers alone and defuses text that starts like a formula', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('-3')).toBe("'-3");
    expect(csvCell('@x')).toBe("'@x");
    expect(csvCell(null)).toBe('');
  });

  it('checks the file before upload', () => {
    expect(importFileProblem({ name: 'a.XLSX', size: 10 })).toBeNull();
    expect(importFileProblem({ name: 'a.csv', size: 10 })).toBeNull();
    expect(importFileProblem({ name: 'a.xls', size: 10 })).toBe('type');
    expect(importFileProblem({ name: 'a.csv', size: 0 })).toBe('empty');
    expect(importFileProblem({ name: 'a.csv', size: 10 * 1024 * 1024 + 1 })).toBe('size');
  });
});

describe('categories', () => {
  const list: TicketCategory[] = [
    { id: 'c2', name: '售后', parent_id: null, position: 2 },
    { id: 'c1', name: '售前', parent_id: null, position: 1 },
    { id: 'c3', name: '退款', parent_id: 'c2', position: 1 },
    { id: 'c4', name: '孤儿', parent_id: 'gone', position: 0 },
    { id: 'x1', name: '环1', parent_id: 'x2', position: 0 },
    { id: 'x2', name: '环2', parent_id: 'x1', position: 0 },
  ];

  it('builds a tree by parent and position; orphans and cycles go to the root', () => {
    expect(categoryTree(list)).toEqual([
      { value: 'c4', title: '孤儿' },
      { value: 'c1', title: '售前' },
      { value: 'c2', title: '售后', children: [{ value: 'c3', title: '退款' }] },
      { value: 'x1', title: '环1' },
      { value: 'x2', title: '环2' },
    ]);
  });

  it('writes a path', () => {
    expect(categoryPath(list, 'c3')).toBe('售后 / 退款');
    expect(categoryPath(list, 'x1')).toBe('环2 / 环1');
    expect(categoryPath(list, null)).toBe('');
    expect(categoryPath(list, 'nope')).toBe('');
  });
});

describe('directory', () => {
  const queues = [
    { id: 'q1', name: '一线', agents: [{ user_id: 'me', skill_level: 1 }, { user_id: 'a2-0000-1111', skill_level: 1 }] },
    { id: 'q2', name: '二线', agents: [{ user_id: 'a3', skill_level: 1 }] },
  ] as unknown as Queue[];

  it('names whom it can and shows short ids for the rest', () => {
    const dir = buildDirectory({ me: { id: 'me', display_name: '我', login: 'agent1' }, queues });
    expect(dir.userName('me')).toBe('我');
    expect(dir.userName('a2-0000-1111')).toBe('a2-0000-');
    expect(dir.userName(null)).toBe('');
    expect(dir.groupName('q2')).toBe('二线');
    expect(dir.people.map((p) => [p.id, p.known])).toEqual([['me', true], ['a2-0000-1111', false], ['a3', false]]);
  });

  it('uses users or the live agents when allowed, and drops inactive users', () => {
    const dir = buildDirectory({
      users: [
        { id: 'a3', display_name: '', login: 'agent3', active: true },
        { id: 'old', display_name: 'Gone', login: 'gone', active: false },
      ],
      agents: [{ id: 'a2-0000-1111', display_name: '小王', login: 'agent2' }],
      queues,
    });
    expect(dir.userName('a3')).toBe('agent3');
    expect(dir.userName('a2-0000-1111')).toBe('小王');
    expect(dir.people.some((p) => p.id === 'old')).toBe(false);
    expect(peopleOptions(dir, ['zz-extra-id'], ['a3']).map((o) => o.value)).toEqual(['a2-0000-1111', 'me', 'zz-extra-id']);
  });
});

describe('live ticket events', () => {
  it('reads reminders and notices', () => {
    expect(ticketAlert({ type: 'ticket.reminder', reminder_id: 'r1', ticket_id: 't1', number: 'T000123', title: '退款', note: '回电', at: '2026-11-21T10:00:00Z' })).toEqual({
      kind: 'reminder', key: 'ticket-reminder-r1', ticketId: 't1', number: 'T000123', title: '退款', note: '回电', rule: '', at: '2026-11-21T10:00:00Z',
    });
    expect(ticketAlert({ type: 'ticket.notice', ticket_id: 't1', number: 'T000123', title: '退款', rule: '超时提醒' })).toMatchObject({
      kind: 'notice', key: 'ticket-notice-t1-超时提醒', rule: '超时提醒',
    });
    expect(ticketAlert({ type: 'ticket.notice', ticket_id: 't1', rule: { name: 'R' } })?.rule).toBe('R');
  });

  it('ignores other events and broken ones', () => {
    expect(ticketAlert({ type: 'agent.state' })).toBeNull();
    expect(ticketAlert({ type: 'ticket.reminder' })).toBeNull();
    expect(touchesTickets({ type: 'ticket.updated' })).toBe(true);
    expect(touchesTickets({ type: 'queue.stats' })).toBe(false);
    expect(ticketPath('a/b')).toBe('/tickets/a%2Fb');
  });
});
