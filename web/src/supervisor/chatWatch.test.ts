import { describe, expect, it } from 'vitest';
import type { LiveAgent } from '../api/types';
import { agentSide, watchableChats, watchEvent, withHistory } from './chatWatch';

const wire = (id: string, seq: number, sender: string, body: string) => ({ id, seq, sender, kind: 'text', body, client_id: null, at: '2026-01-01T10:00:00Z', recalled: false });

describe('watching a chat', () => {
  it('offers the chats an agent holds, not calls or closed ones', () => {
    const a: Pick<LiveAgent, 'state' | 'activity'> = {
      state: 'talking',
      activity: [
        { id: 'c1', channel: 'chat', state: 'connected' },
        { id: 'v1', channel: 'voice', state: 'connected' },
        { id: 'c2', channel: 'chat', state: 'wrap_up' },
        { id: 'c3', channel: 'chat', state: 'closed' },
      ],
    };
    expect(watchableChats(a)).toEqual(['c1', 'c2']);
    expect(watchableChats({ ...a, state: 'signed_out' })).toEqual([]);
  });

  it('merges the history and the live messages of the watched conversation only', () => {
    let list = withHistory([], [wire('m1', 1, 'customer', '你好')]);
    list = watchEvent(list, 'c1', { type: 'chat.message', contact_id: 'c2', message: wire('x', 1, 'customer', 'other') });
    expect(list.map((m) => m.id)).toEqual(['m1']);
    list = watchEvent(list, 'c1', { type: 'chat.message', contact_id: 'c1', message: wire('m3', 3, 'agent', '好的') });
    list = withHistory(list, [wire('m1', 1, 'customer', '你好'), wire('m2', 2, 'customer', '在吗')]);
    expect(list.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(list.map(agentSide)).toEqual([false, false, true]);
    const same = watchEvent(list, 'c1', { type: 'contact.closed', contact_id: 'c1' });
    expect(same).toBe(list);
  });
});
