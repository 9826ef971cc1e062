import { describe, expect, it } from 'vitest';
import type { Queue, SupervisorLive } from '../api/types';
import { dictionaries } from '../i18n';
import { transferAgents, transferQueues, transferTexts } from './transfer';

const ME = 'me-1';
const q = (id: string, name: string, channel: Queue['channel']) => ({ id, name, channel }) as Queue;
const QUEUES = [q('1', 'Voice', 'voice'), q('2', 'B chat', 'chat'), q('3', 'A chat', 'chat'), q('4', 'After-sales', 'voice')];

describe('transfer targets', () => {
  it("offers the queues of the contact's channel, by name", () => {
    expect(transferQueues(QUEUES, 'chat').map((x) => x.id)).toEqual(['3', '2']);
    expect(transferQueues(QUEUES, 'voice').map((x) => x.id)).toEqual(['4', '1']);
    expect(transferQueues(QUEUES, 'task')).toEqual([]);
  });

  it('offers signed-in agents of those queues other than me, idle first', () => {
    const live = {
      agents: [
        { id: ME, login: 'me', display_name: 'Me', state: 'idle', signed_in_queues: ['2'] },
        { id: 'a2', login: 'agent2', display_name: 'Zhang', state: 'talking', signed_in_queues: ['2'] },
        { id: 'a3', login: 'agent3', display_name: 'Chen', state: 'idle', signed_in_queues: ['3'] },
        { id: 'a4', login: 'agent4', display_name: 'Voice only', state: 'idle', signed_in_queues: ['1'] },
        { id: 'a5', login: 'agent5', display_name: 'Out', state: 'signed_out', signed_in_queues: [] },
      ],
      queues: [],
      server_time: '',
    } as unknown as SupervisorLive;
    expect(transferAgents(live, ['2', '3'], ME).map((a) => a.id)).toEqual(['a3', 'a2']);
    expect(transferAgents(live, ['1', '4'], ME).map((a) => a.id)).toEqual(['a4']);
    expect(transferAgents(null, ['2'], ME)).toEqual([]);
  });

  it('names a call as a call and a chat as a chat', () => {
    const zh = dictionaries['zh-CN'];
    expect(zh[transferTexts('voice').title]).toBe('转接通话');
    expect(zh[transferTexts('voice').pickQueue]).toMatch(/语音/);
    expect(zh[transferTexts('chat').title]).toBe('转接会话');
    expect(dictionaries.en[transferTexts('voice').noAgents]).toMatch(/voice queue/);
  });
});
