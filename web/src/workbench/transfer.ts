// Transfer targets for a connected contact, chat or call (M4): queues of the contact's channel
// and colleagues signed in to one of them, with the dialog's texts per channel; a call may also
// be handed out of the center (V5): to an outside number, an IVR flow or the survey.
import type { AgentIvrFlow, AgentState, Channel, ColleagueStatus, Queue } from '../api/types';
import type { MessageKey, TFunc } from '../i18n';
import { dialErrorText, isDialable } from './dial';

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

/**
 * Where a contact may go from the transfer dialog. A chat: a queue or an agent. A call also out
 * of the center (V5): to an outside number (only with `calls.outbound`), into an IVR flow, or to
 * the satisfaction survey.
 */
export type TransferKind = 'queue' | 'agent' | 'number' | 'ivr' | 'survey';

export function transferKinds(channel: Channel, canCallOut: boolean): TransferKind[] {
  if (channel !== 'voice') return ['queue', 'agent'];
  return canCallOut ? ['queue', 'agent', 'number', 'ivr', 'survey'] : ['queue', 'agent', 'ivr', 'survey'];
}

export const TRANSFER_KIND_LABEL: Record<TransferKind, MessageKey> = {
  queue: 'wb.chat.transfer.queue',
  agent: 'wb.chat.transfer.agent',
  number: 'wb.call.transfer.number',
  ivr: 'wb.call.transfer.ivr',
  survey: 'wb.call.transfer.survey',
};

/** Whether the customer leaves the center's agents (no note to write; the agent wraps up). */
export function handsOut(kind: TransferKind): boolean {
  return kind === 'number' || kind === 'ivr' || kind === 'survey';
}

/** What the dialog holds. */
export interface TransferForm {
  kind: TransferKind;
  queueId?: string;
  agentId?: string;
  note: string;
  /** Cleaned (see `cleanNumber`). */
  number: string;
  caller: string | null;
  flowId?: string;
  /** A node of the flow; none: its start. */
  node?: string;
}

/** The request the form makes, by endpoint. */
export type TransferCall =
  | { kind: 'queue' | 'agent'; body: { queue_id: string; note: string } | { agent_id: string; note: string } }
  | { kind: 'number'; body: { number: string; caller_number: string } }
  | { kind: 'ivr'; body: { flow_id: string; node: string | null } }
  | { kind: 'survey' };

/** What the form still lacks, to say under its field; null when it can be sent. */
export type TransferMissing = 'target' | 'note' | 'number' | 'caller' | 'flow';

export function transferMissing(f: TransferForm): TransferMissing | null {
  switch (f.kind) {
    case 'queue':
    case 'agent':
      if (!(f.kind === 'queue' ? f.queueId : f.agentId)) return 'target';
      return f.note.trim() ? null : 'note';
    case 'number':
      if (!isDialable(f.number)) return 'number';
      return f.caller ? null : 'caller';
    case 'ivr':
      return f.flowId ? null : 'flow';
    case 'survey':
      return null;
  }
}

/** The request for a complete form (null when something is missing). */
export function transferCall(f: TransferForm): TransferCall | null {
  if (transferMissing(f)) return null;
  const note = f.note.trim();
  switch (f.kind) {
    case 'queue':
      return { kind: 'queue', body: { queue_id: f.queueId!, note } };
    case 'agent':
      return { kind: 'agent', body: { agent_id: f.agentId!, note } };
    case 'number':
      return { kind: 'number', body: { number: f.number, caller_number: f.caller! } };
    case 'ivr':
      return { kind: 'ivr', body: { flow_id: f.flowId!, node: f.node || null } };
    case 'survey':
      return { kind: 'survey' };
  }
}

/** The message once done: transferred, or handed out (the agent is in wrap-up now). */
export function transferDoneKey(kind: TransferKind, channel: Channel): MessageKey {
  switch (kind) {
    case 'number':
      return 'wb.call.transfer.doneNumber';
    case 'ivr':
      return 'wb.call.transfer.doneIvr';
    case 'survey':
      return 'wb.call.transfer.doneSurvey';
    default:
      return channel === 'voice' ? 'wb.call.transferred' : 'wb.chat.transferred';
  }
}

/** A flow's node as the picker shows it: its label, the start marked; the start's value is none. */
export interface IvrNodeChoice {
  /** Empty for the start: the request leaves `node` out. */
  value: string;
  label: string;
  start: boolean;
}

/** The nodes of a flow to start at: its start first (the server lists it first), then the others. */
export function ivrNodeChoices(flow: Pick<AgentIvrFlow, 'nodes'> | undefined): IvrNodeChoice[] {
  if (!flow) return [];
  return flow.nodes.map((n, i) => ({ value: i === 0 ? '' : n.id, label: n.label, start: i === 0 }));
}

/**
 * A refusal of a transfer or a hand-out in words. Those of an outside number are said as the
 * dial pad says them (the destination rules name their label); the rest by their code.
 */
export function transferErrorText(err: unknown, t: TFunc): string {
  return dialErrorText(err, t);
}
