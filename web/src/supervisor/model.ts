// Pure derivations for the supervisor wallboard.
import { AGENT_STATES, type AgentsPerState, type LiveAgent, type SupervisorLive } from '../api/types';

export interface Totals {
  agents: AgentsPerState;
  /** Agents signed in (every state but signed out). */
  signedIn: number;
  waiting: number;
  /** Earliest enqueue time over all queues with contacts waiting. */
  oldest: string | null;
}

export function emptyPerState(): AgentsPerState {
  return { signed_out: 0, idle: 0, talking: 0, wrap_up: 0, busy: 0, rest: 0 };
}

/** Agents per state (counted once each, from the agent list) and contacts waiting over all queues. */
export function totals(live: SupervisorLive | null): Totals {
  const agents = emptyPerState();
  let waiting = 0;
  let oldest: string | null = null;
  let oldestMs = Infinity;
  for (const a of live?.agents ?? []) {
    if (a.state in agents) agents[a.state] += 1;
  }
  for (const q of live?.queues ?? []) {
    waiting += q.waiting;
    if (q.waiting > 0 && q.oldest_enqueued_at) {
      const ms = Date.parse(q.oldest_enqueued_at);
      if (ms < oldestMs) {
        oldestMs = ms;
        oldest = q.oldest_enqueued_at;
      }
    }
  }
  const signedIn = AGENT_STATES.filter((s) => s !== 'signed_out').reduce((n, s) => n + agents[s], 0);
  return { agents, signedIn, waiting, oldest };
}

/** Events that change the wallboard (everything agent-, contact- and queue-related, plus resync). */
export function wallboardEvent(type: string): boolean {
  return type.startsWith('agent.') || type.startsWith('contact.') || type.startsWith('queue.') || type === 'resync' || type === 'user.updated' || type === 'session.ended';
}

/** Agents by login name, numbers compared as numbers (agent2 < agent10): rows stay put while states change. */
export function sortAgents(agents: readonly LiveAgent[]): LiveAgent[] {
  return [...agents].sort((a, b) => a.login.localeCompare(b.login, undefined, { numeric: true }));
}

/** Replace one agent row (the answer of a forced state change). */
export function replaceAgent(live: SupervisorLive, row: LiveAgent): SupervisorLive {
  if (!row || typeof row !== 'object' || !row.id) return live;
  return { ...live, agents: live.agents.map((a) => (a.id === row.id ? { ...a, ...row } : a)) };
}
