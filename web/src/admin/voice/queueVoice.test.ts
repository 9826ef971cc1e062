import { describe, expect, it } from 'vitest';
import { queueVoiceBody } from './queueVoice';

describe('the queue voice settings form', () => {
  it('sends no interval when announcements are off, and no queue for no voicemail', () => {
    const form = { announce: false, announce_every_s: 45, languages: ['en' as const], voicemail_queue_id: undefined, voicemail_max_s: 90 };
    expect(queueVoiceBody(form)).toEqual({ announce_every_s: null, languages: ['en'], voicemail_queue_id: null, voicemail_max_s: 90 });
  });

  it('keeps the interval, the languages in order and the callback queue', () => {
    const form = { announce: true, announce_every_s: 20, languages: ['en' as const, 'zh' as const], voicemail_queue_id: 'q1', voicemail_max_s: null };
    expect(queueVoiceBody(form)).toEqual({ announce_every_s: 20, languages: ['en', 'zh'], voicemail_queue_id: 'q1', voicemail_max_s: 120 });
  });
});
