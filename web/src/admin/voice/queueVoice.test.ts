import { describe, expect, it } from 'vitest';
import { queueVoiceBody, voicemailKind, type QueueVoiceForm } from './queueVoice';

const form = (v: Partial<QueueVoiceForm>): QueueVoiceForm => ({
  announce: false,
  announce_every_s: 45,
  languages: ['en'],
  voicemail_kind: 'task',
  voicemail_queue_id: undefined,
  voicemail_ticket_type_id: undefined,
  voicemail_max_s: 90,
  ...v,
});

describe('the queue voice settings form', () => {
  it('sends no interval when announcements are off, and no queue for no voicemail', () => {
    expect(queueVoiceBody(form({}))).toEqual({
      announce_every_s: null, languages: ['en'], voicemail_queue_id: null, voicemail_ticket_type_id: null, voicemail_max_s: 90,
    });
  });

  it('keeps the interval, the languages in order and the callback queue', () => {
    const v = form({ announce: true, announce_every_s: 20, languages: ['en', 'zh'], voicemail_queue_id: 'q1', voicemail_max_s: null });
    expect(queueVoiceBody(v)).toEqual({
      announce_every_s: 20, languages: ['en', 'zh'], voicemail_queue_id: 'q1', voicemail_ticket_type_id: null, voicemail_max_s: 120,
    });
  });

  it('sends only the chosen destination: a ticket type clears the callback queue, and back', () => {
    const both = { voicemail_queue_id: 'q1', voicemail_ticket_type_id: 't1' };
    const ticket = queueVoiceBody(form({ ...both, voicemail_kind: 'ticket' }));
    expect([ticket.voicemail_queue_id, ticket.voicemail_ticket_type_id]).toEqual([null, 't1']);
    const task = queueVoiceBody(form({ ...both, voicemail_kind: 'task' }));
    expect([task.voicemail_queue_id, task.voicemail_ticket_type_id]).toEqual(['q1', null]);
    const none = queueVoiceBody(form({ voicemail_kind: 'ticket', voicemail_queue_id: 'q1' }));
    expect([none.voicemail_queue_id, none.voicemail_ticket_type_id]).toEqual([null, null]);
  });

  it('opens on the kind the stored settings name', () => {
    expect(voicemailKind({ voicemail_ticket_type_id: 't1' })).toBe('ticket');
    expect(voicemailKind({ voicemail_ticket_type_id: null })).toBe('task');
    expect(voicemailKind(null)).toBe('task');
  });
});
