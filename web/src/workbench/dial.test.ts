import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { DIAL_ERROR_CODES, type AgentStatus, type CallerNumber, type Contact } from '../api/types';
import { hasKey, translator } from '../i18n';
import zhCN from '../i18n/zh-CN';
import en from '../i18n/en';
import { shortId, trailText } from '../tickets/trail';
import {
  backspace, callerChoices, callRecordCustomer, cleanNumber, contactCustomerNumber, dialBlock, dialBlockKey, dialErrorText, isDialable,
  preselectedCaller, pressKey, summaryLabelKey, type DialBlock,
} from './dial';

function contact(state: Contact['state'], extra: Partial<Contact> = {}): Contact {
  return {
    id: 'c1', channel: 'voice', direction: 'inbound', queue_id: 'q1', priority: 0, customer: null, title: null, link: null, data: {},
    state, agent_id: 'me', offer_expires_at: null, created_at: '2025-01-01T10:00:00Z', enqueued_at: '2025-01-01T10:00:00Z',
    closed_at: null, outcome: null, summary: null, solution: null, disposition: null, rating: null, rating_comment: null, held_since: null, hold_ms: 0, ...extra,
  };
}

function status(state: AgentStatus['state'], contacts: Contact[] = []): AgentStatus {
  return {
    state, state_since: '2025-01-01T10:00:00Z', reason: null, ready: true, sign_in_mode: 'automatic', auto_answer: false,
    bound_queues: [], signed_in_queues: [], contacts, waiting: [],
    can_reset_queues: false, summary_required: false, wrap_up_limit_s: 0, server_time: '2025-01-01T10:00:05Z',
  };
}

const num = (number: string, group: string, dflt = false, id = number): CallerNumber => ({ number_id: id, number, group, default: dflt });

describe('the number typed or pasted', () => {
  it('keeps digits and a leading +, whatever the punctuation', () => {
    expect(cleanNumber('138 0013 8000')).toBe('13800138000');
    expect(cleanNumber(' 138-0013-8000 ')).toBe('13800138000');
    expect(cleanNumber('(010) 1234.5678')).toBe('01012345678');
    expect(cleanNumber('+1 (650) 555-0100')).toBe('+16505550100');
    expect(cleanNumber('tel:+8613800138000')).toBe('+8613800138000');
    // A Chinese input method's full-width digits and plus.
    expect(cleanNumber('＋８６ １３８００１３８０００')).toBe('+8613800138000');
    // A + inside the number is not a leading one.
    expect(cleanNumber('86+138')).toBe('86138');
    expect(cleanNumber('电话：13800138000')).toBe('13800138000');
    expect(cleanNumber('')).toBe('');
    expect(cleanNumber('1'.repeat(30))).toBe('1'.repeat(20));
  });

  it('is dialable with 3-20 digits', () => {
    expect(isDialable('13800138000')).toBe(true);
    expect(isDialable('+16505550100')).toBe(true);
    expect(isDialable('110')).toBe(true);
    expect(isDialable('12')).toBe(false);
    expect(isDialable('+')).toBe(false);
    expect(isDialable('')).toBe(false);
    expect(isDialable('1'.repeat(21))).toBe(false);
  });

  it('takes pad keys: + only first, backspace drops the last', () => {
    expect(pressKey('', '+')).toBe('+');
    expect(pressKey('138', '+')).toBe('138');
    expect(pressKey('+', '8')).toBe('+8');
    expect(pressKey('1380013800', '0')).toBe('13800138000');
    expect(pressKey('1'.repeat(20), '2')).toBe('1'.repeat(20));
    expect(backspace('138')).toBe('13');
    expect(backspace('')).toBe('');
  });
});

describe('whether the agent may call out', () => {
  it('allows idle and busy agents with no call', () => {
    expect(dialBlock(status('idle'), true)).toBeNull();
    expect(dialBlock(status('busy'), true)).toBeNull();
    // A chat in progress does not stop a call.
    expect(dialBlock(status('talking', [contact('connected', { channel: 'chat' })]), true)).toBeNull();
  });

  it('says why not otherwise', () => {
    const cases: [AgentStatus | null, boolean, DialBlock][] = [
      [status('idle'), false, 'noPermission'],
      [null, true, 'loading'],
      [status('signed_out'), true, 'signedOut'],
      [status('rest'), true, 'resting'],
      [status('talking', [contact('connected')]), true, 'onCall'],
      [status('idle', [contact('offered')]), true, 'onCall'],
      [status('wrap_up', [contact('wrap_up')]), true, 'wrapUp'],
    ];
    for (const [s, permitted, block] of cases) expect(dialBlock(s, permitted), block).toBe(block);
  });

  it('explains every block in both languages', () => {
    for (const b of ['noPermission', 'loading', 'signedOut', 'resting', 'onCall', 'wrapUp'] as DialBlock[]) expect(hasKey(dialBlockKey(b)), b).toBe(true);
  });
});

describe('caller numbers', () => {
  it('lists each number once, defaults first', () => {
    const list = [num('95001', 'B'), num('95000', 'A', true), num('95002', 'C'), num('95001', 'D', false, 'x')];
    expect(callerChoices(list).map((n) => [n.number, n.group, n.default])).toEqual([
      ['95000', 'A', true],
      ['95001', 'B', false],
      ['95002', 'C', false],
    ]);
    // A number that is a default in one of its groups counts as a default.
    expect(callerChoices([num('95001', 'B'), num('95001', 'C', true)]).map((n) => [n.group, n.default])).toEqual([['C', true]]);
    expect(callerChoices([])).toEqual([]);
  });

  it('preselects the one asked for, else the default, else the first', () => {
    const list = [num('95001', 'B'), num('95000', 'A', true)];
    expect(preselectedCaller(list)).toBe('95000');
    expect(preselectedCaller(list, '95001')).toBe('95001');
    expect(preselectedCaller(list, '12345')).toBe('95000');
    expect(preselectedCaller([num('95002', 'C')])).toBe('95002');
    expect(preselectedCaller([])).toBeNull();
  });
});

describe('calling back', () => {
  it("calls a record's customer: the caller, or whom an outbound call dialled", () => {
    expect(callRecordCustomer({ direction: 'inbound', caller: '+8613900139000', dialled: '4002' })).toBe('+8613900139000');
    expect(callRecordCustomer({ direction: 'outbound', caller: '95000', dialled: '+8613800138000' })).toBe('+8613800138000');
  });

  it("calls a voice contact's number", () => {
    expect(contactCustomerNumber(contact('wrap_up', { customer: '+8613900139000' }))).toBe('+8613900139000');
    expect(contactCustomerNumber(contact('wrap_up', { direction: 'outbound', customer: '+8613800138000', data: { dialled: '+8613800138000' } }))).toBe('+8613800138000');
    expect(contactCustomerNumber(contact('wrap_up', { customer: 'anonymous' }))).toBeNull();
    expect(contactCustomerNumber(contact('wrap_up', { channel: 'chat', customer: '13800138000' }))).toBeNull();
  });

  it('labels an outbound call’s summary as its notes', () => {
    expect(summaryLabelKey(contact('wrap_up', { direction: 'outbound' }))).toBe('wb.summary.outboundLabel');
    expect(summaryLabelKey(contact('wrap_up'))).toBe('wb.summary.label');
    expect(translator('zh-CN')(summaryLabelKey(contact('wrap_up', { direction: 'outbound' })))).toBe('外呼备注');
    expect(translator('en')(summaryLabelKey(contact('wrap_up', { direction: 'outbound' })))).toBe('Outbound call notes');
  });
});

describe('refusals in words', () => {
  const zh = translator('zh-CN');
  const english = translator('en');
  const err = (status: number, code: string, message: string, field?: string) => new ApiError(status, code, message, field);

  it('names the rule that refused the number', () => {
    const denied = err(403, 'destination_refused', 'the outbound rules forbid calls to this number (声讯台)');
    expect(dialErrorText(denied, zh)).toBe('外呼规则禁止拨打该号码（声讯台）');
    expect(dialErrorText(denied, english)).toBe('The outbound rules forbid calls to this number (声讯台)');
    const noRule = err(403, 'destination_refused', 'the outbound rules allow no calls to this number');
    expect(dialErrorText(noRule, zh)).toBe('外呼规则不允许拨打该号码');
    expect(dialErrorText(noRule, english)).toBe('The outbound rules do not allow calls to this number');
  });

  it('says every other refusal in the UI language', () => {
    const cases: [ApiError, string, string][] = [
      [err(400, 'invalid_field', 'not a phone number', 'number'), '号码无效：请输入 3-20 位数字，国际号码以 + 开头', 'Not a valid number: enter 3-20 digits; an international number starts with +'],
      [err(400, 'invalid_field', 'not a caller number of your skill queues\' number groups', 'caller_number'), '该外显号码不能用于外呼，请重新选择', 'This caller number cannot be used for outbound calls; pick another'],
      [err(409, 'agent_resting', 'resting'), '休息中不能外呼，请先置闲或示忙', 'You cannot call out while at rest: go idle or busy first'],
      [err(409, 'no_phone', 'register your phone'), '您的话机未注册，也没有打开常开线路：请先注册话机或打开线路再外呼', 'Your phone is not registered and your line is not open: register your phone or open your line before calling out'],
      [err(429, 'daily_limit_reached', "you placed today's limit of 5 outbound calls"), '您今天的外呼次数已达上限', "You have placed today's limit of outbound calls"],
    ];
    for (const [e, zhText, enText] of cases) {
      expect(dialErrorText(e, zh), e.code).toBe(zhText);
      expect(dialErrorText(e, english), e.code).toBe(enText);
    }
  });

  it('has a translation of every refusal code, in one language each', () => {
    const keys = [...DIAL_ERROR_CODES.map((c) => `error.${c}`), 'error.invalid_field.number', 'error.invalid_field.caller_number'];
    const all = (Object.keys(zhCN) as (keyof typeof zhCN)[]).filter((k) => k.startsWith('dial.') || keys.includes(k) || k === 'wb.summary.outboundLabel' || k === 'tk.call');
    for (const k of keys) expect(hasKey(k), k).toBe(true);
    expect(all.length).toBeGreaterThan(30);
    for (const k of all) {
      expect(zhCN[k].replace(/\{\w+\}/g, ''), k).not.toMatch(/[A-Za-z]/);
      expect(en[k], k).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe("a ticket's trail", () => {
  it('shows a call placed from the ticket with its number', () => {
    const entry = { seq: 3, at: '2026-11-21T09:30:00+08:00', actor_id: 'u1', action: 'call_placed', detail: { contact_id: 'c1', number: '+8613800138000' } };
    const ctx = (lang: 'zh-CN' | 'en') => ({
      t: translator(lang),
      user: (id: string) => ({ u1: '张三' })[id] ?? shortId(id),
      group: (id: string) => id,
      status: (code: string) => code,
      action: (code: string) => code,
      field: () => undefined,
    });
    expect(trailText(entry, ctx('zh-CN')).title).toBe('张三 外呼了 +8613800138000');
    expect(trailText(entry, ctx('en')).title).toBe('张三 called +8613800138000');
  });
});
