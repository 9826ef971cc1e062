import { describe, expect, it } from 'vitest';
import {
  applyFrame, checkMessage, checkPrechat, customerLeft, dueFrames, emptyState, fromPersisted, mergeMessages, queueMessage,
  requestStart, resetConversation, resumeAfter, timeline, toPersisted, toShown, type ChatState,
} from './model';
import { parseFrame, type ServerFrame, type WireMessage } from './protocol';

const wire = (seq: number, sender: WireMessage['sender'] = 'agent', extra: Partial<WireMessage> = {}): WireMessage => ({
  id: `m${seq}`, contact_id: 'conv', seq, sender, kind: 'text', body: `text ${seq}`, client_id: null, at: `2026-01-01T10:00:0${seq % 10}Z`, recalled: false, ...extra,
});
const msg = (seq: number, sender: WireMessage['sender'] = 'agent', extra: Partial<WireMessage> = {}): ServerFrame => ({ type: 'message', ...wire(seq, sender, extra) });
const run = (s: ChatState, ...frames: ServerFrame[]) => frames.reduce((acc, f) => applyFrame(acc, f, new Date('2026-01-01T10:00:00Z')), s);
const welcome = (conversation: string | null = null): ServerFrame => ({ type: 'welcome', customer_id: 'c', title: 'Support', prechat_form: true, conversation });
const inConversation = () => run(emptyState, welcome(), { type: 'conversation', id: 'conv' });

describe('message list merging', () => {
  it('orders by seq and keeps one copy per id', () => {
    const a = mergeMessages([], [toShown(wire(3)), toShown(wire(1))]);
    const b = mergeMessages(a, [toShown(wire(2)), toShown(wire(1)), toShown(wire(3))]);
    expect(b.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(new Set(b.map((m) => m.id)).size).toBe(3);
  });

  it('a replay after reconnecting adds nothing twice', () => {
    let s = run(inConversation(), msg(1, 'customer'), msg(2), msg(3));
    s = run(s, welcome('conv'), msg(1, 'customer'), msg(2), msg(3), msg(4));
    expect(s.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(s.lastSeq).toBe(4);
  });

  it('tolerates gaps in seq (notices for agents only are not sent to customers)', () => {
    const s = run(inConversation(), msg(1), msg(4), msg(2));
    expect(s.messages.map((m) => m.seq)).toEqual([1, 2, 4]);
    expect(resumeAfter(s)).toBe(4);
  });

  it('withdraws a message by event and keeps it withdrawn when an old copy comes again', () => {
    let s = run(inConversation(), msg(1), msg(2));
    s = run(s, { type: 'recalled', id: 'm2', seq: 2 });
    expect(s.messages[1]).toMatchObject({ recalled: true, body: null });
    s = run(s, msg(2));
    expect(s.messages[1]).toMatchObject({ recalled: true, body: null });
    s = run(s, msg(1, 'agent', { recalled: true, body: null }));
    expect(s.messages[0].recalled).toBe(true);
  });
});

describe('pending messages and acks', () => {
  it('a message stays pending until its ack, then shows with the server id and seq', () => {
    let s = queueMessage(inConversation(), 'hello', 'c-1', 1);
    expect(s.pending.map((p) => p.clientId)).toEqual(['c-1']);
    expect(dueFrames(s)).toEqual([{ type: 'message', client_id: 'c-1', text: 'hello' }]);
    s = run(s, { type: 'ack', client_id: 'c-1', id: 'srv-1', seq: 5 });
    expect(s.pending).toEqual([]);
    expect(s.messages).toMatchObject([{ id: 'srv-1', seq: 5, sender: 'customer', body: 'hello', clientId: 'c-1' }]);
    expect(s.lastSeq).toBe(5);
  });

  it('the echo of the message clears the pending one; a later ack adds no copy', () => {
    let s = queueMessage(inConversation(), 'hello', 'c-1', 1);
    s = run(s, msg(2, 'customer', { id: 'srv-1', client_id: 'c-1', body: 'hello' }), { type: 'ack', client_id: 'c-1', id: 'srv-1', seq: 2 });
    expect(s.pending).toEqual([]);
    expect(s.messages.map((m) => m.id)).toEqual(['srv-1']);
  });

  it('an ack for the same client_id twice (a resend after reconnecting) stores nothing twice', () => {
    let s = queueMessage(inConversation(), 'once', 'c-1', 1);
    s = run(s, { type: 'ack', client_id: 'c-1', id: 'srv-1', seq: 2 }, { type: 'ack', client_id: 'c-1', id: 'srv-1', seq: 2 });
    expect(s.messages).toHaveLength(1);
  });

  it('after reconnecting, every message still pending is due again with the same client_id', () => {
    let s = queueMessage(queueMessage(inConversation(), 'a', 'c-a', 1), 'b', 'c-b', 2);
    s = run(s, { type: 'ack', client_id: 'c-a', id: 'x', seq: 2 }, welcome('conv'));
    expect(dueFrames(s)).toEqual([{ type: 'message', client_id: 'c-b', text: 'b' }]);
  });

  it('pending messages come after the stored ones, in the order written', () => {
    let s = run(inConversation(), msg(1));
    s = queueMessage(queueMessage(s, 'x', 'c-x', 1), 'y', 'c-y', 2);
    expect(timeline(s).map((i) => i.key)).toEqual(['m1', 'p-c-x', 'p-c-y']);
  });
});

describe('starting a conversation', () => {
  it('the pre-chat form sends start; the question is pending until its ack (client_id "question")', () => {
    let s = run(emptyState, welcome());
    expect(s.prechatForm).toBe(true);
    s = requestStart(s, { name: 'Wang', question: 'Where is my order?' }, 1);
    expect(s.phase).toBe('starting');
    expect(dueFrames(s)).toEqual([{ type: 'start', name: 'Wang', question: 'Where is my order?' }]);
    s = run(s, { type: 'conversation', id: 'conv' });
    expect(s.phase).toBe('waiting');
    expect(dueFrames(s)).toEqual([]); // the question is never sent as a message
    s = run(s, { type: 'ack', client_id: 'question', id: 'q', seq: 1 });
    expect(s.messages).toMatchObject([{ seq: 1, body: 'Where is my order?', sender: 'customer' }]);
    expect(s.pending).toEqual([]);
  });

  it('without the form, the first message starts the conversation and follows it', () => {
    let s = requestStart(queueMessage(run(emptyState, welcome()), 'hi', 'c-1', 1), {}, 1);
    expect(dueFrames(s)).toEqual([{ type: 'start' }]);
    s = run(s, { type: 'conversation', id: 'conv' });
    expect(dueFrames(s)).toEqual([{ type: 'message', client_id: 'c-1', text: 'hi' }]);
  });

  it('a conversation the server does not resume is forgotten, keeping unsent messages for a new start', () => {
    let s = queueMessage(run(inConversation(), msg(1)), 'still here', 'c-9', 1);
    s = run(s, welcome(null));
    expect(s.conversation).toBeNull();
    expect(s.messages).toEqual([]);
    expect(s.pending.map((p) => p.clientId)).toEqual(['c-9']);
    expect(dueFrames(s)).toEqual([{ type: 'start' }]);
  });
});

describe('phases and notices', () => {
  it('waiting → agent joined → agent left, with notices where they happened', () => {
    let s = run(inConversation(), { type: 'queued' }, msg(1, 'customer'));
    expect(s.phase).toBe('waiting');
    s = run(s, { type: 'agent_joined', agent_id: 'a', at: 't1' }, msg(2), { type: 'agent_left', released_by: 'agent', at: 't2' });
    expect(s.phase).toBe('ended');
    expect(timeline(s).map((i) => (i.type === 'notice' ? i.notice.kind : i.key))).toEqual(['m1', 'joined', 'm2', 'left']);
    // the closing after the agent's wrap-up adds nothing more
    expect(run(s, { type: 'closed', outcome: 'completed' }).notices).toHaveLength(2);
  });

  it('the customer leaving ends the conversation once', () => {
    let s = customerLeft(run(inConversation(), { type: 'agent_joined' }));
    s = run(s, { type: 'agent_left', released_by: 'customer' }, { type: 'closed' });
    expect(s.phase).toBe('ended');
    expect(s.notices.map((n) => n.kind)).toEqual(['joined', 'you_left']);
    expect(dueFrames(queueMessage(s, 'late', 'c-l', 1))).toEqual([]);
  });

  it('a closed conversation while waiting ends it; starting over keeps the entry settings', () => {
    let s = run(inConversation(), { type: 'closed', outcome: 'abandoned' });
    expect(s.phase).toBe('ended');
    s = resetConversation(s);
    expect(s).toMatchObject({ conversation: null, phase: 'idle', messages: [], notices: [], prechatForm: true, title: 'Support' });
  });

  it('agent read receipts only move forward', () => {
    const s = run(inConversation(), { type: 'read', seq: 4 }, { type: 'read', seq: 2 });
    expect(s.agentReadSeq).toBe(4);
  });
});

describe('persistence', () => {
  it('keeps the conversation, last seq, pending and notices, not the messages', () => {
    let s = run(inConversation(), msg(1), { type: 'agent_joined', at: 't' });
    s = queueMessage(s, 'p', 'c-p', 1);
    const back = fromPersisted(JSON.parse(JSON.stringify(toPersisted(s))));
    expect(back).toMatchObject({ conversation: 'conv', phase: 'connected', lastSeq: 1, messages: [] });
    expect(back.pending.map((p) => p.clientId)).toEqual(['c-p']);
    expect(back.notices.map((n) => n.kind)).toEqual(['joined']);
    expect(resumeAfter(back)).toBe(0); // after a reload the whole conversation is asked for again
  });

  it('tolerates garbage', () => {
    expect(fromPersisted('nope')).toEqual(emptyState);
    expect(fromPersisted({ conversation: 5, pending: [null, { clientId: 1 }], phase: 'weird' })).toMatchObject({ conversation: null, phase: 'idle', pending: [] });
  });
});

describe('validation', () => {
  it('messages: trimmed, 1-5000 characters counted like the server (code points)', () => {
    expect(checkMessage('  hi  ')).toEqual({ ok: true, text: 'hi' });
    expect(checkMessage('   ')).toEqual({ ok: false, reason: 'empty' });
    expect(checkMessage('😀'.repeat(5000)).ok).toBe(true);
    expect(checkMessage('x'.repeat(5001))).toEqual({ ok: false, reason: 'too_long' });
  });

  it('pre-chat fields: empty ones dropped, limits and formats checked', () => {
    expect(checkPrechat({ name: ' Wang ', phone: '', email: '', question: 'q' })).toEqual({ req: { name: 'Wang', question: 'q' }, errors: [] });
    expect(checkPrechat({ name: 'x'.repeat(65), phone: 'abc', email: 'nope', question: '' }).errors).toEqual(['name', 'phone', 'email']);
  });
});

describe('frames', () => {
  it('parses known frames and drops anything else', () => {
    expect(parseFrame('{"type":"ack","client_id":"c","id":"i","seq":1}')).toEqual({ type: 'ack', client_id: 'c', id: 'i', seq: 1 });
    expect(parseFrame('{"type":"welcome","customer_id":"c","title":"T","prechat_form":true,"conversation":null}')).toMatchObject({ conversation: null, prechat_form: true });
    expect(parseFrame('{"type":"ack","client_id":"c"}')).toBeNull();
    expect(parseFrame('{"type":"surprise"}')).toBeNull();
    expect(parseFrame('not json')).toBeNull();
    expect(parseFrame(42)).toBeNull();
  });
});
