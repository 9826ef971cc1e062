// The queue voice settings form and the body the API takes: announcements off clears the
// interval; no callback queue means no voicemail.
import type { QueueVoiceInput } from '../../api/types';

export interface QueueVoiceForm {
  announce: boolean;
  announce_every_s: number | null;
  languages: QueueVoiceInput['languages'];
  voicemail_queue_id: string | null | undefined;
  voicemail_max_s: number | null;
}

export function queueVoiceBody(v: QueueVoiceForm): QueueVoiceInput {
  return {
    announce_every_s: v.announce ? v.announce_every_s ?? 30 : null,
    languages: v.languages.length > 0 ? v.languages : ['zh', 'en'],
    voicemail_queue_id: v.voicemail_queue_id ?? null,
    voicemail_max_s: v.voicemail_max_s ?? 120,
  };
}
