// Watching a chat from the wallboard (P3), as pure functions: which of an agent's contacts are
// chats a supervisor may watch, and how the read-only transcript follows the history and the
// live `chat.message` events (supervisors hear every conversation's messages).
import type { LiveAgent, LiveEvent } from '../api/types';
import { mergeAgentMessages, toAgentMessage, toAgentMessages, type AgentMessage } from '../workbench/chat/model';

/** The chat contacts an agent holds (offered, connected or wrapping up), in the row's order. */
export function watchableChats(a: Pick<LiveAgent, 'state' | 'activity'>): string[] {
  if (a.state === 'signed_out') return [];
  return a.activity.filter((c) => c.channel === 'chat' && c.state !== 'closed').map((c) => c.id);
}

/** The transcript after a live event: a message of the watched conversation is merged in. */
export function watchEvent(messages: readonly AgentMessage[], contactId: string, e: LiveEvent): readonly AgentMessage[] {
  if (e.type !== 'chat.message' || e.contact_id !== contactId) return messages;
  const m = toAgentMessage(e.message);
  return m ? mergeAgentMessages(messages, [m]) : messages;
}

/** The transcript after fetching the history: merged with what the live events brought meanwhile. */
export function withHistory(messages: readonly AgentMessage[], history: readonly unknown[]): readonly AgentMessage[] {
  return mergeAgentMessages(messages, toAgentMessages(history));
}

/** In the read-only view the agent's side is on the right, the customer's on the left. */
export const agentSide = (m: AgentMessage): boolean => m.sender === 'agent';
