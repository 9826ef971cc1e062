import { describe, expect, it } from 'vitest';
import type { ColleagueStatus, Queue } from '../api/types';
import { dictionaries } from '../i18n';
import { transferAgents, transferQueues, transferTexts } from './transfer';

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
