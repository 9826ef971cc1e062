import { describe, expect, it } from 'vitest';
import type { LiveAgent, SupervisorLive } from '../api/types';
import { replaceAgent, sortAgents, totals, wallboardEvent } from './model';

const per = (o: Partial<Record<string, number>> = {}) => ({ signed_out: 0, idle: 0, talking: 0, wrap_up: 0, busy: 0, rest: 0, ...o });
const agent = (id: string, state: LiveAgent['state'], extra: Partial<LiveAgent> = {}): LiveAgent => ({
  id, login: id, display_name: id.toUpperCase(), state, state_since: '2025-01-01T10:00:00Z', reason: null, signed_in_queues: [], contacts: 0, activity: [], ...extra,
});

const live: SupervisorLive = {
  server_time: '2025-01-01T10:00:00Z',
  agents: [agent('a1', 'idle'), agent('a2', 'busy'), agent('a3', 'signed_out'), agent('a4', 'talking'), agent('a5', 'idle')],
  queues: [
    // Agents in several queues appear in each queue's counts; totals count agents once.
    { id: 'q1', name: 'Voice', channel: 'voice', waiting: 3, oldest_enqueued_at: '2025-01-01T09:55:00Z', agents: per({ idle: 2, talking: 1 }) },
    { id: 'q2', name: 'Tasks', channel: 'task', waiting: 1, oldest_enqueued_at: '2025-01-01T09:50:00Z', agents: per({ idle: 2, busy: 1 }) },
    { id: 'q3', name: 'Chat', channel: 'chat', waiting: 0, oldest_enqueued_at: '2025-01-01T09:00:00Z', agents: per() },
  ],
};

describe('totals', () => {
  it('counts each agent once per state and sums waiting over queues', () => {
    const s = totals(live);
    expect(s.agents).toEqual(per({ idle: 2, busy: 1, signed_out: 1, talking: 1 }));
    expect(s.signedIn).toBe(4);
    expect(s.waiting).toBe(4);
    expect(s.oldest).toBe('2025-01-01T09:50:00Z'); // q3 is empty, its stale time is ignored
  });
  it('handles no data yet', () => {
    expect(totals(null)).toEqual({ agents: per(), signedIn: 0, waiting: 0, oldest: null });
  });
});

describe('agent rows', () => {
  it('sorts by login, numbers as numbers, whatever the state', () => {
    const rows = sortAgents([agent('agent10', 'idle'), agent('agent2', 'signed_out'), agent('admin', 'busy'), agent('agent1', 'talking')]);
    expect(rows.map((a) => a.id)).toEqual(['admin', 'agent1', 'agent2', 'agent10']);
  });
  it('replaces one row from a forced state answer', () => {
    const next = replaceAgent(live, agent('a2', 'idle'));
    expect(next.agents.find((a) => a.id === 'a2')!.state).toBe('idle');
    expect(live.agents.find((a) => a.id === 'a2')!.state).toBe('busy');
  });
});

describe('wallboardEvent', () => {
  it('reacts to agent, contact and queue events', () => {
    for (const t of ['agent.state', 'agent.signed_in', 'contact.created', 'contact.queued', 'contact.overflowed', 'queue.stats', 'queue.updated', 'resync']) {
      expect(wallboardEvent(t), t).toBe(true);
    }
    expect(wallboardEvent('params.updated')).toBe(false);
    expect(wallboardEvent('hello')).toBe(false);
  });
});
