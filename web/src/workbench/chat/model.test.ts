import { describe, expect, it } from 'vitest';
import type { Contact } from '../../api/types';
import {
  ackPending, addPending, customerLabel, agentClientId, applyChatEvent, applyHistory, applyRecalled, attemptPending, canRecall, clientIdPrefix,
  customerTyping, documentBody, dropPending, emptyConversation, failPending, fileBody, formatBytes, insertAt, isMine, isRetryable,
  lastMessagePreview, markSeen, mergeAgentMessages, newCustomerMessages, noticeInfo, pickSelected, readDue, recallSecondsLeft, retryDelay,
  safeUrl, sortChats, toAgentMessage, typingDue, unreadCount, unreadTotal, wrapUpTitleKey, type AgentMessage, type Conversation,
} from './model';
import { translator } from '../../i18n';

const ME = '0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const T0 = Date.parse('2026-01-01T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function wire(seq: number, sender: 'customer' | 'agent' | 'system', body: unknown, extra: Record<string, unknown> = {}) {
  return { id: `m${seq}`, contact_id: 'c1', seq, sender, kind: 'text', body, client_id: null, at: iso(T0 + seq * 1000), recalled: false, ...extra };
}
const msg = (seq: number, sender: 'customer' | 'agent' | 'system', body: unknown, extra: Record<string, unknown> = {}) =>
  toAgentMessage(wire(seq, sender, body, extra)) as AgentMessage;

const conv = (messages: AgentMessage[], over: Partial<Conversation> = {}): Conversation => ({ ...emptyConversation, loaded: true, messages, ...over });

function contact(id: string, state: Contact['state'], created: number, channel: Contact['channel'] = 'chat'): Contact {
  return {
    id, channel, direction: 'inbound', queue_id: 'q', priority: 0, customer: 'cust', title: id, link: null, data: {}, state, agent_id: ME,
    offer_expires_at: null, created_at: iso(created), enqueued_at: iso(created), closed_at: null, outcome: null, summary: null, solution: null, disposition: null, rating: null, rating_comment: null, held_since: null, hold_ms: 0,
  };
}

describe('messages', () => {
  it('keeps a withdrawn message\'s text for the agent', () => {
    const m = toAgentMessage(wire(3, 'agent', 'oops', { recalled: true }));
    expect(m).toMatchObject({ recalled: true, body: 'oops', kind: 'text' });
  });

  it('drops what is not a message', () => {
    expect(toAgentMessage({ id: 'x' })).toBeNull();
    expect(toAgentMessage(null)).toBeNull();
    expect(toAgentMessage({ id: 'x', seq: 'one' })).toBeNull();
  });

  it('merges by id in seq order, without duplicates', () => {
    const a = [msg(1, 'customer', 'a'), msg(3, 'agent', 'c')];
    const merged = mergeAgentMessages(a, [msg(2, 'customer', 'b'), msg(3, 'agent', 'c'), msg(1, 'customer', 'a')]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(new Set(merged.map((m) => m.id)).size).toBe(3);
  });

  it('returns the same list when nothing changes (no re-render)', () => {
    const a = [msg(1, 'customer', 'a')];
    expect(mergeAgentMessages(a, [msg(1, 'customer', 'a')])).toBe(a);
    expect(mergeAgentMessages(a, [])).toBe(a);
  });

  it('never undoes a withdrawal when an older copy arrives late, and keeps the text', () => {
    const recalled = msg(2, 'agent', 'oops', { recalled: true });
    const merged = mergeAgentMessages([recalled], [msg(2, 'agent', 'oops')]);
    expect(merged[0]).toMatchObject({ recalled: true, body: 'oops' });
    const withoutBody = mergeAgentMessages([msg(2, 'agent', 'oops')], [msg(2, 'agent', null, { recalled: true })]);
    expect(withoutBody[0]).toMatchObject({ recalled: true, body: 'oops' });
  });

  it('history merges with live messages received before it', () => {
    let c: Conversation = { ...emptyConversation };
    c = applyChatEvent({ c1: c }, { type: 'chat.message', contact_id: 'c1', message: wire(4, 'customer', 'live') }, new Set(['c1']), 0).c1;
    c = applyHistory(c, [wire(1, 'customer', 'q'), wire(2, 'agent', 'a'), wire(4, 'customer', 'live')]);
    expect(c.loaded).toBe(true);
    expect(c.messages.map((m) => m.seq)).toEqual([1, 2, 4]);
  });
});

describe('live events', () => {
  const mine = new Set(['c1']);
  it('adds chat.message to its conversation only', () => {
    const convs = { c1: conv([]) };
    const next = applyChatEvent(convs, { type: 'chat.message', contact_id: 'c1', message: wire(1, 'customer', 'hi') }, mine, 0);
    expect(next.c1.messages).toHaveLength(1);
    // Someone else's chat (a supervisor hears them all) is ignored.
    expect(applyChatEvent(convs, { type: 'chat.message', contact_id: 'c9', message: wire(1, 'customer', 'hi') }, mine, 0)).toBe(convs);
    // A malformed message is ignored.
    expect(applyChatEvent(convs, { type: 'chat.message', contact_id: 'c1', message: { nope: 1 } }, mine, 0)).toBe(convs);
  });

  it('tracks typing (5 s) and the customer read mark (only forward)', () => {
    let convs: Record<string, Conversation> = { c1: conv([]) };
    convs = applyChatEvent(convs, { type: 'chat.typing', contact_id: 'c1' }, mine, 1000);
    expect(customerTyping(convs.c1, 3000)).toBe(true);
    expect(customerTyping(convs.c1, 6001)).toBe(false);
    // A message from the customer ends the indicator.
    convs = applyChatEvent(convs, { type: 'chat.message', contact_id: 'c1', message: wire(1, 'customer', 'x') }, mine, 1500);
    expect(customerTyping(convs.c1, 2000)).toBe(false);
    convs = applyChatEvent(convs, { type: 'chat.read', contact_id: 'c1', seq: 5 }, mine, 0);
    expect(convs.c1.customerReadSeq).toBe(5);
    const same = applyChatEvent(convs, { type: 'chat.read', contact_id: 'c1', seq: 3 }, mine, 0);
    expect(same).toBe(convs);
  });

  it('tells whether the customer left, ended the chat or came back', () => {
    let convs: Record<string, Conversation> = { c1: conv([]) };
    convs = applyChatEvent(convs, { type: 'chat.typing', contact_id: 'c1' }, mine, 1000);
    convs = applyChatEvent(convs, { type: 'chat.customer_left', contact_id: 'c1', reason: 'disconnected' }, mine, 0);
    expect(convs.c1.customerPresence).toBe('disconnected');
    expect(customerTyping(convs.c1, 1500)).toBe(false);
    convs = applyChatEvent(convs, { type: 'chat.customer_back', contact_id: 'c1' }, mine, 0);
    expect(convs.c1.customerPresence).toBe('back');
    expect(applyChatEvent(convs, { type: 'chat.customer_back', contact_id: 'c1' }, mine, 0)).toBe(convs);
    convs = applyChatEvent(convs, { type: 'chat.message', contact_id: 'c1', message: wire(1, 'customer', 'hi') }, mine, 0);
    expect(convs.c1.customerPresence).toBeNull();
    convs = applyChatEvent(convs, { type: 'chat.customer_left', contact_id: 'c1', reason: 'left' }, mine, 0);
    expect(convs.c1.customerPresence).toBe('left');
  });

  it('ignores other event types', () => {
    const convs = { c1: conv([]) };
    expect(applyChatEvent(convs, { type: 'contact.offered', contact_id: 'c1' }, mine, 0)).toBe(convs);
  });
});

describe('unread', () => {
  it('counts customer messages after the last seen seq', () => {
    const c = conv([msg(1, 'customer', 'a'), msg(2, 'agent', 'b'), msg(3, 'customer', 'c'), msg(4, 'system', { text: 'n' }, { kind: 'notice' })]);
    expect(unreadCount(c)).toBe(2);
    const seen = markSeen(c);
    expect(seen.seenSeq).toBe(4);
    expect(unreadCount(seen)).toBe(0);
    expect(markSeen(seen)).toBe(seen);
    const more = applyChatEvent({ c1: seen }, { type: 'chat.message', contact_id: 'c1', message: wire(5, 'customer', 'd') }, new Set(['c1']), 0);
    expect(unreadCount(more.c1)).toBe(1);
    expect(unreadTotal({ c1: more.c1, c2: c }, ['c1', 'c2'])).toBe(3);
    expect(unreadTotal({ c1: more.c1, c2: c }, ['c1'])).toBe(1);
    expect(unreadCount(undefined)).toBe(0);
  });

  it('reports the newest customer message once for read receipts', () => {
    const c = conv([msg(1, 'customer', 'a'), msg(2, 'agent', 'b')]);
    expect(readDue(c)).toBe(1);
    expect(readDue({ ...c, readSent: 1 })).toBeNull();
    expect(readDue(conv([msg(2, 'agent', 'b')]))).toBeNull();
  });

  it('rings only for customer messages that are new after the history', () => {
    const before = conv([msg(1, 'customer', 'a')]);
    const after = conv([msg(1, 'customer', 'a'), msg(2, 'agent', 'b'), msg(3, 'customer', 'c')]);
    expect(newCustomerMessages(before, after).map((m) => m.seq)).toEqual([3]);
    expect(newCustomerMessages({ ...before, loaded: false }, after)).toEqual([]);
    expect(newCustomerMessages(undefined, after)).toEqual([]);
  });
});

describe('pending and ack', () => {
  it('keeps a message pending until its 201, then shows the stored copy once', () => {
    let c = conv([msg(1, 'customer', 'q')]);
    c = addPending(c, { clientId: 'k1', text: 'hello', createdAt: 0 });
    c = addPending(c, { clientId: 'k1', text: 'hello', createdAt: 0 });
    expect(c.pending).toHaveLength(1);
    c = attemptPending(c, 'k1');
    expect(c.pending[0]).toMatchObject({ attempts: 1, status: 'sending' });
    c = ackPending(c, 'k1', wire(2, 'agent', 'hello', { client_id: 'k1' }));
    expect(c.pending).toHaveLength(0);
    expect(c.messages.map((m) => m.body)).toEqual(['q', 'hello']);
    // The same message again (history after a reconnect) is not duplicated.
    c = applyHistory(c, [wire(1, 'customer', 'q'), wire(2, 'agent', 'hello', { client_id: 'k1' })]);
    expect(c.messages).toHaveLength(2);
  });

  it('a fetched copy of my message acknowledges its pending entry (the 201 was lost)', () => {
    let c = addPending(conv([]), { clientId: 'k2', text: 'lost ack', createdAt: 0 });
    c = applyHistory(c, [wire(5, 'agent', 'lost ack', { client_id: 'k2' })]);
    expect(c.pending).toHaveLength(0);
    expect(c.messages).toHaveLength(1);
    // A customer message with the same client id does not.
    let d = addPending(conv([]), { clientId: 'k3', text: 'x', createdAt: 0 });
    d = applyHistory(d, [wire(6, 'customer', 'y', { client_id: 'k3' })]);
    expect(d.pending).toHaveLength(1);
  });

  it('marks failures and drops discarded messages', () => {
    let c = addPending(conv([]), { clientId: 'k1', text: 'x', createdAt: 0 });
    c = failPending(c, 'k1', 'not connected');
    expect(c.pending[0]).toMatchObject({ status: 'failed', error: 'not connected' });
    c = attemptPending(c, 'k1');
    expect(c.pending[0]).toMatchObject({ status: 'sending', error: undefined, attempts: 1 });
    expect(dropPending(c, 'k1').pending).toHaveLength(0);
    expect(dropPending(c, 'nope')).toBe(c);
  });

  it('retries network and server failures with the same id, not refusals', () => {
    expect(isRetryable({ status: 0 })).toBe(true);
    expect(isRetryable({ status: 503 })).toBe(true);
    expect(isRetryable({ status: 429 })).toBe(true);
    expect(isRetryable({ status: 409 })).toBe(false);
    expect(isRetryable({ status: 400 })).toBe(false);
    expect(isRetryable(new Error('boom'))).toBe(true);
    expect([1, 2, 3, 4, 5, 6].map(retryDelay)).toEqual([1000, 2000, 4000, 8000, 15000, 15000]);
  });

  it('throttles typing to one request every 3 s', () => {
    expect(typingDue(0, 5)).toBe(true);
    expect(typingDue(1000, 3999)).toBe(false);
    expect(typingDue(1000, 4000)).toBe(true);
  });
});

describe('client ids and recall', () => {
  it('client ids carry my prefix and fit the server limit', () => {
    const id = agentClientId(ME, () => 0.5);
    expect(id.startsWith(clientIdPrefix(ME))).toBe(true);
    expect(clientIdPrefix(ME)).toBe('wb-0a1b2c3d4e5f6789abcdef0123456789-');
    // Time-ordered ids created together share their first digits: the whole id counts.
    expect(clientIdPrefix('0a1b2c3d-4e5f-6789-abcd-000000000001')).not.toBe(clientIdPrefix(ME));
    expect(id.length).toBeLessThanOrEqual(64);
    expect(agentClientId(ME)).not.toBe(agentClientId(ME));
  });

  it('recognises my messages by prefix or by what this page sent', () => {
    const mineMsg = msg(2, 'agent', 'x', { client_id: agentClientId(ME) });
    const other = msg(3, 'agent', 'y', { client_id: 'wb-0a1b2c3d4e5f6789abcdef0000000000-abc' });
    expect(isMine(mineMsg, ME)).toBe(true);
    expect(isMine(other, ME)).toBe(false);
    expect(isMine(other, ME, new Set(['m3']))).toBe(true);
    expect(isMine(msg(4, 'customer', 'z', { client_id: agentClientId(ME) }), ME)).toBe(false);
  });

  it('allows recall of my own messages younger than the limit', () => {
    const m = msg(2, 'agent', 'x'); // sent at T0 + 2 s
    const sent = T0 + 2000;
    expect(canRecall(m, true, 120, sent + 1000)).toBe(true);
    expect(recallSecondsLeft(m, 120, sent + 1000)).toBe(119);
    expect(canRecall(m, true, 120, sent + 119_500)).toBe(true);
    expect(canRecall(m, true, 120, sent + 120_000)).toBe(false);
    expect(canRecall(m, false, 120, sent + 1000)).toBe(false);
    expect(canRecall({ ...m, recalled: true }, true, 120, sent + 1000)).toBe(false);
    expect(canRecall(m, true, 0, sent)).toBe(false);
    expect(canRecall(msg(3, 'customer', 'x'), true, 120, sent)).toBe(false);
    expect(canRecall({ ...m, at: 'garbage' }, true, 120, sent)).toBe(false);
  });

  it('applies the recalled copy, or marks it when the copy is odd', () => {
    const c = conv([msg(2, 'agent', 'x')]);
    expect(applyRecalled(c, 'm2', wire(2, 'agent', 'x', { recalled: true })).messages[0]).toMatchObject({ recalled: true, body: 'x' });
    expect(applyRecalled(c, 'm2', undefined).messages[0].recalled).toBe(true);
    expect(applyRecalled(c, 'nope', undefined)).toBe(c);
  });
});

describe('bodies', () => {
  it('reads internal transfer notes', () => {
    const n = noticeInfo({ event: 'transferred', internal: true, note: '客户要退款', to_queue_id: 'q2', to_agent_id: null });
    expect(n).toMatchObject({ internal: true, event: 'transferred', note: '客户要退款', toQueueId: 'q2', toAgentId: null });
    expect(noticeInfo('plain').text).toBe('plain');
    expect(noticeInfo(null).internal).toBe(false);
  });

  it('reads document cards and files, following only safe URLs', () => {
    expect(documentBody({ document_id: 'd', title: 'Returns', url: 'https://ex.com/r', description: 'How' })).toEqual({ title: 'Returns', url: 'https://ex.com/r', description: 'How' });
    expect(documentBody({ title: 'Bad', url: 'javascript:alert(1)' })).toEqual({ title: 'Bad', url: null, description: null });
    expect(documentBody(null)).toBeNull();
    const img = fileBody({ name: 'a.png', content_type: 'image/png', size: 2048, url: '/api/v1/files/demo/1?key=k' });
    expect(img).toMatchObject({ image: true, size: 2048, url: '/api/v1/files/demo/1?key=k' });
    expect(fileBody({ name: 'a.pdf', content_type: 'application/pdf', size: 1, url: '/f' })?.image).toBe(false);
    expect(safeUrl('data:text/html,x')).toBeNull();
    expect(formatBytes(500)).toBe('500 B');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatBytes(15 * 1024 * 1024)).toBe('15 MB');
    expect(formatBytes(null)).toBe('');
  });

  it('previews the last real message', () => {
    expect(lastMessagePreview(conv([msg(1, 'customer', 'hi'), msg(2, 'system', { internal: true }, { kind: 'notice' })]))).toEqual({ text: 'hi' });
    expect(lastMessagePreview(conv([msg(1, 'agent', 'x', { recalled: true })]))).toEqual({ kind: 'recalled' });
    expect(lastMessagePreview(conv([msg(1, 'agent', {}, { kind: 'document' })]))).toEqual({ kind: 'document' });
    expect(lastMessagePreview(conv([]))).toBeNull();
  });

  it('inserts at the caret', () => {
    expect(insertAt('hello world', '👍', 5, 5)).toEqual({ value: 'hello👍 world', caret: 7 });
    expect(insertAt('abc', 'X')).toEqual({ value: 'abcX', caret: 4 });
    expect(insertAt('abcdef', 'X', 1, 4)).toEqual({ value: 'aXef', caret: 2 });
  });
});

describe('list and transfer', () => {
  it('sorts offered, connected, wrap-up; only chats', () => {
    const list = sortChats([contact('w', 'wrap_up', 1), contact('c2', 'connected', 5), contact('o', 'offered', 9), contact('c1', 'connected', 2), contact('t', 'connected', 0, 'task')]);
    expect(list.map((c) => c.id)).toEqual(['o', 'c1', 'c2', 'w']);
  });

  it('names the customer by the name they gave, else Visitor and a short id', () => {
    const c = contact('c', 'connected', 0);
    const t = translator('en');
    expect(customerLabel(c, { customer: { id: 'x', verified: false, name: ' 王女士 ', phone: null, email: null }, customer_key: 'k', recent: [], directory: null }, t)).toBe('王女士');
    expect(customerLabel({ ...c, customer: 'visitor:abc-12f9' }, undefined, t)).toBe('Visitor 12F9');
    expect(customerLabel(c, { customer: null, customer_key: 'id:zz99', recent: [], directory: null }, translator('zh-CN'))).toBe('访客 ZZ99');
  });

  it('keeps the selection while the chat is mine, else picks a connected one', () => {
    const chats = sortChats([contact('o', 'offered', 1), contact('c', 'connected', 2)]);
    expect(pickSelected('o', chats)).toBe('o');
    expect(pickSelected('gone', chats)).toBe('c');
    expect(pickSelected(null, [contact('o', 'offered', 1)])).toBe('o');
    expect(pickSelected(null, [])).toBeNull();
  });

});

describe('wrap-up banner', () => {
  it('asks for a summary only when the tenant requires one', () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const t = translator(lang);
      const required = t(wrapUpTitleKey(true));
      const optional = t(wrapUpTitleKey(false));
      expect(required).not.toBe(optional);
      expect(optional).not.toBe(t('wb.chat.wrap.title'));
    }
    expect(translator('zh-CN')(wrapUpTitleKey(false))).toContain('可填写');
    expect(translator('en')(wrapUpTitleKey(true))).toContain('write the service summary');
  });
});
