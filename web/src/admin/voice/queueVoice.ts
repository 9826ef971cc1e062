// The queue voice settings form and the body the API takes: announcements off clears the
// interval; a message becomes a callback task in a task queue or a ticket of a ticket type
// (one of them is sent, the other null); nothing chosen means no voicemail.
import type { QueueVoice, QueueVoiceInput } from '../../api/types';

/** What a message left becomes. */
export type VoicemailKind = 'task' | 'ticket';

export interface QueueVoiceForm {
  announce: boolean;
  announce_every_s: number | null;
  languages: QueueVoiceInput['languages'];
  voicemail_kind: VoicemailKind;
  voicemail_queue_id: string | null | undefined;
  voicemail_ticket_type_id: string | null | undefined;
  voicemail_max_s: number | null;
}

/** The kind a queue's settings choose; callback tasks when voicemail is off. */
export function voicemailKind(q: Pick<QueueVoice, 'voicemail_ticket_type_id'> | null | undefined): VoicemailKind {
  return q?.voicemail_ticket_type_id ? 'ticket' : 'task';
}

export function queueVoiceBody(v: QueueVoiceForm): QueueVoiceInput {
  const ticket = v.voicemail_kind === 'ticket';
  return {
    announce_every_s: v.announce ? v.announce_every_s ?? 30 : null,
    languages: v.languages.length > 0 ? v.languages : ['zh', 'en'],
    voicemail_queue_id: ticket ? null : v.voicemail_queue_id ?? null,
    voicemail_ticket_type_id: ticket ? v.voicemail_ticket_type_id ?? null : null,
    voicemail_max_s: v.voicemail_max_s ?? 120,
  };
}
