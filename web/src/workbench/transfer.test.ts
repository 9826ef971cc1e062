import { describe, expect, it } from 'vitest';
import type { ColleagueStatus, Queue } from '../api/types';
import { ApiError } from '../api/client';
import { HANDOUT_ERROR_CODES, HANDOUT_ERROR_FIELDS } from '../api/types';
import { dictionaries, hasKey, translator } from '../i18n';
import {
  handsOut, ivrNodeChoices, TRANSFER_KIND_LABEL, transferAgents, transferCall, transferDoneKey, transferErrorText, transferKinds, transferMissing,
  transferQueues, transferTexts, type TransferForm,
} from './transfer';

const q = (id: string, name: string, channel: Queue['channel']) => ({ id, name, channel }) as Queue;
const QUEUES = [q('1', 'Voice', 'voice'), q('2', 'B chat', 'chat'), q('3', 'A chat', 'chat'), q('4', 'After-sales', 'voice')];

describe('transfer targets', () => {
  it("offers the queues of the contact's channel, by name", () => {
    expect(transferQueues(QUEUES, 'chat').map((x) => x.id)).toEqual(['3', '2']);
    expect(transferQueues(QUEUES, 'voice').map((x) => x.id)).toEqual(['4', '1']);
    expect(transferQueues(QUEUES, 'task')).toEqual([]);
  });

  it('offers colleagues signed in to those queues, free first; a call only to a free one', () => {
    const c = (id: string, display_name: string, state: ColleagueStatus['state'], free: boolean, queue_ids: string[]): ColleagueStatus => ({ id, display_name, state, free, queue_ids });
    const colleagues = [
      c('a2', 'Zhang', 'talking', false, ['2']),
      c('a3', 'Chen', 'idle', true, ['3']),
      c('a4', 'Voice only', 'idle', true, ['1']),
      c('a6', 'Busy voice', 'busy', false, ['4']),
      c('a5', 'Out', 'signed_out', false, []),
    ];
    const chat = transferAgents(colleagues, ['2', '3'], 'chat');
    expect(chat.map((a) => a.id)).toEqual(['a3', 'a2']);
    // Someone busy with another chat may still take one: the server decides.
    expect(chat.map((a) => a.disabled)).toEqual([false, false]);
    const voice = transferAgents(colleagues, ['1', '4'], 'voice');
    expect(voice.map((a) => [a.id, a.state, a.disabled])).toEqual([
      ['a4', 'idle', false],
      ['a6', 'busy', true],
    ]);
    expect(transferAgents([], ['2'], 'chat')).toEqual([]);
  });

  it('names a call as a call and a chat as a chat', () => {
    const zh = dictionaries['zh-CN'];
    expect(zh[transferTexts('voice').title]).toBe('转接通话');
    expect(zh[transferTexts('voice').pickQueue]).toMatch(/语音/);
    expect(zh[transferTexts('chat').title]).toBe('转接会话');
    expect(dictionaries.en[transferTexts('voice').noAgents]).toMatch(/voice queue/);
  });
});

describe('handing a call out of the center', () => {
  const zh = translator('zh-CN');
  const en = translator('en');
  const form = (f: Partial<TransferForm>): TransferForm => ({ kind: 'queue', note: '', number: '', caller: null, ...f });

  it('offers an outside number only to agents who may call out, and nothing out of the center for a chat', () => {
    expect(transferKinds('voice', true)).toEqual(['queue', 'agent', 'number', 'ivr', 'survey']);
    expect(transferKinds('voice', false)).toEqual(['queue', 'agent', 'ivr', 'survey']);
    expect(transferKinds('chat', true)).toEqual(['queue', 'agent']);
    expect(zh(TRANSFER_KIND_LABEL.number)).toBe('外线号码');
    expect(zh(TRANSFER_KIND_LABEL.ivr)).toBe('语音导航');
    expect(zh(TRANSFER_KIND_LABEL.survey)).toBe('满意度评价');
    expect(en(TRANSFER_KIND_LABEL.survey)).toBe('Satisfaction survey');
    expect(['queue', 'agent', 'number', 'ivr', 'survey'].filter((k) => handsOut(k as TransferForm['kind']))).toEqual(['number', 'ivr', 'survey']);
  });

  it('says what the form lacks and makes the request of each kind', () => {
    expect(transferMissing(form({ kind: 'queue', note: 'x' }))).toBe('target');
    expect(transferMissing(form({ kind: 'agent', agentId: 'a2', note: '  ' }))).toBe('note');
    expect(transferCall(form({ kind: 'queue', queueId: 'q1', note: ' 退款 ' }))).toEqual({ kind: 'queue', body: { queue_id: 'q1', note: '退款' } });
    expect(transferCall(form({ kind: 'agent', agentId: 'a2', note: 'n' }))).toEqual({ kind: 'agent', body: { agent_id: 'a2', note: 'n' } });
    // An outside number: dialable, with a caller number; no note (nobody of ours reads it).
    expect(transferMissing(form({ kind: 'number', number: '12', caller: '95000' }))).toBe('number');
    expect(transferMissing(form({ kind: 'number', number: '+861088886666', caller: null }))).toBe('caller');
    expect(transferCall(form({ kind: 'number', number: '+861088886666', caller: '95000' }))).toEqual({
      kind: 'number', body: { number: '+861088886666', caller_number: '95000' },
    });
    // An IVR flow at its start (no node) or at a node.
    expect(transferMissing(form({ kind: 'ivr' }))).toBe('flow');
    expect(transferCall(form({ kind: 'ivr', flowId: 'f1', node: '' }))).toEqual({ kind: 'ivr', body: { flow_id: 'f1', node: null } });
    expect(transferCall(form({ kind: 'ivr', flowId: 'f1', node: 'card' }))).toEqual({ kind: 'ivr', body: { flow_id: 'f1', node: 'card' } });
    expect(transferCall(form({ kind: 'survey' }))).toEqual({ kind: 'survey' });
    expect(transferCall(form({ kind: 'number', number: '1' }))).toBeNull();
  });

  it("lists a flow's nodes with its start first, which sends no node", () => {
    const flow = { nodes: [{ id: 'menu', label: '主菜单' }, { id: 'card', label: '请输入卡号' }] };
    expect(ivrNodeChoices(flow)).toEqual([
      { value: '', label: '主菜单', start: true },
      { value: 'card', label: '请输入卡号', start: false },
    ]);
    expect(ivrNodeChoices(undefined)).toEqual([]);
    expect(zh('wb.call.transfer.nodeStart', { label: '主菜单' })).toBe('主菜单（流程开头）');
  });

  it('says where the call went once done', () => {
    expect(zh(transferDoneKey('number', 'voice'))).toMatch(/外线号码.*整理/);
    expect(zh(transferDoneKey('ivr', 'voice'))).toMatch(/语音导航/);
    expect(zh(transferDoneKey('survey', 'voice'))).toMatch(/满意度评价/);
    expect(zh(transferDoneKey('queue', 'voice'))).toBe('通话已转接');
    expect(zh(transferDoneKey('agent', 'chat'))).toBe('会话已转接');
  });

  it('says every refusal in the language of the UI, and only in it', () => {
    const keys = [...HANDOUT_ERROR_CODES.map((c) => `error.${c}`), ...HANDOUT_ERROR_FIELDS.map((f) => `error.invalid_field.${f}`)];
    for (const k of keys) expect(hasKey(k), k).toBe(true);
    const refusals = [
      ...HANDOUT_ERROR_CODES.map((c) => new ApiError(409, c, 'the server says so in English')),
      ...HANDOUT_ERROR_FIELDS.map((f) => new ApiError(400, 'invalid_field', 'not a phone number', f)),
    ];
    for (const e of refusals) {
      const z = transferErrorText(e, zh);
      expect(z, e.code).not.toMatch(/[A-Za-z]/);
      expect(transferErrorText(e, en), e.code).not.toMatch(/[\u4e00-\u9fff]/);
    }
    expect(transferErrorText(new ApiError(400, 'invalid_field', 'no such IVR flow or node', 'flow_id'), zh)).toMatch(/语音导航流程或节点不存在/);
    expect(transferErrorText(new ApiError(409, 'no_trunk', "the caller number's trunk has no outbound proxy"), zh)).toMatch(/中继/);
    // The destination rules' refusal names the rule's label when the server gives it.
    expect(transferErrorText(new ApiError(403, 'destination_refused', 'the outbound rules forbid calls to this number'), zh)).toBe('外呼规则不允许拨打该号码');
    expect(transferErrorText(new ApiError(403, 'destination_refused', 'the outbound rules forbid calls to this number'), en)).not.toMatch(/[\u4e00-\u9fff]/);
  });
});
