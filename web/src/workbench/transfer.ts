// Transfer targets for a connected contact, chat or call (M4): queues of the contact's channel
// and agents signed in to one of them, with the dialog's texts per channel.
import type { Channel, Queue, SupervisorLive } from '../api/types';
import type { MessageKey } from '../i18n';

export interface TransferAgent {
  id: string;
  name: string;
  state: string;
}

/** Transfer note limits (server: 1-500 characters). */
export const TRANSFER_NOTE_MAX = 500;

/** Queues a contact of `channel` may be transferred to (the server refuses another channel's). */
export function transferQueues(queues: readonly Queue[], channel: Channel): Queue[] {
  return queues.filter((q) => q.channel === channel).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Agents to transfer to (from the supervisor view, when I may see it): signed in to one of the
 * given queues, not me; idle ones first. The server still refuses one who cannot take it now.
 */
export function transferAgents(live: SupervisorLive | null, queueIds: readonly string[], myId: string): TransferAgent[] {
  if (!live) return [];
  const queues = new Set(queueIds);
  const rank = (s: string) => (s === 'idle' ? 0 : s === 'talking' ? 1 : 2);
  return live.agents
    .filter((a) => a.id !== myId && a.state !== 'signed_out' && a.signed_in_queues.some((q) => queues.has(q)))
    .map((a) => ({ id: a.id, name: a.display_name || a.login, state: a.state }))
    .sort((a, b) => rank(a.state) - rank(b.state) || a.name.localeCompare(b.name));
}

/** The dialog's texts that name what is transferred (a chat, a call) and its kind of queue. */
export interface TransferTexts {
  title: MessageKey;
  pickQueue: MessageKey;
  noAgents: MessageKey;
  queueOnly: MessageKey;
}

const CHAT_TEXTS: TransferTexts = {
  title: 'wb.chat.transfer.title',
  pickQueue: 'wb.chat.transfer.pickQueue',
  noAgents: 'wb.chat.transfer.noAgents',
  queueOnly: 'wb.chat.transfer.queueOnly',
};

const CALL_TEXTS: TransferTexts = {
  title: 'wb.call.transfer.title',
  pickQueue: 'wb.call.transfer.pickQueue',
  noAgents: 'wb.call.transfer.noAgents',
  queueOnly: 'wb.call.transfer.queueOnly',
};

/** Only chats and calls are transferred on the workbench; anything else reads as a chat's. */
export function transferTexts(channel: Channel): TransferTexts {
  return channel === 'voice' ? CALL_TEXTS : CHAT_TEXTS;
}
