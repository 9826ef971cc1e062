// Transfer targets for a connected contact, chat or call (M4): queues of the contact's channel
// and colleagues signed in to one of them, with the dialog's texts per channel.
import type { AgentState, Channel, ColleagueStatus, Queue } from '../api/types';
import type { MessageKey } from '../i18n';

export interface TransferAgent {
  id: string;
  name: string;
  state: AgentState;
  /** Shown but not choosable: the server would refuse it now. */
  disabled: boolean;
}

/** Transfer note limits (server: 1-500 characters). */
export const TRANSFER_NOTE_MAX = 500;

/** Queues a contact of `channel` may be transferred to (the server refuses another channel's). */
export function transferQueues(queues: readonly Queue[], channel: Channel): Queue[] {
  return queues.filter((q) => q.channel === channel).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Colleagues to transfer to (`GET /agent/colleagues`, any agent may list them): signed in to
 * one of the given queues; free ones first. A call can only go to a free colleague (idle and
 * ready), so the others are shown disabled with their state; a chat may still go to someone
 * busy with other chats, so there the server decides.
 */
export function transferAgents(colleagues: readonly ColleagueStatus[], queueIds: readonly string[], channel: Channel): TransferAgent[] {
  const queues = new Set(queueIds);
  return colleagues
    .filter((c) => c.state !== 'signed_out' && c.queue_ids.some((q) => queues.has(q)))
    .sort((a, b) => Number(b.free) - Number(a.free) || a.display_name.localeCompare(b.display_name))
    .map((c) => ({ id: c.id, name: c.display_name, state: c.state, disabled: channel === 'voice' && !c.free }));
}

/** The dialog's texts that name what is transferred (a chat, a call) and its kind of queue. */
export interface TransferTexts {
  title: MessageKey;
  pickQueue: MessageKey;
  noAgents: MessageKey;
  /** What happens when it goes to a queue. */
  queueHint: MessageKey;
}

const CHAT_TEXTS: TransferTexts = {
  title: 'wb.chat.transfer.title',
  pickQueue: 'wb.chat.transfer.pickQueue',
  noAgents: 'wb.chat.transfer.noAgents',
  queueHint: 'wb.chat.transfer.queueOnly',
};

const CALL_TEXTS: TransferTexts = {
  title: 'wb.call.transfer.title',
  pickQueue: 'wb.call.transfer.pickQueue',
  noAgents: 'wb.call.transfer.noAgents',
  queueHint: 'wb.call.transfer.queueOnly',
};

/** Only chats and calls are transferred on the workbench; anything else reads as a chat's. */
export function transferTexts(channel: Channel): TransferTexts {
  return channel === 'voice' ? CALL_TEXTS : CHAT_TEXTS;
}
