import { describe, expect, it } from 'vitest';
import type { AgentStatus, Contact } from '../api/types';
import { translator } from '../i18n';
import { reasonLabel } from './labels';
import {
  activity, activityText, missedOfferKey, ringingOffers, forcedNotice, applyQueueStats, barControls, contactHeadline, contactsIn, needsRefetch, newOffers, queueName, safeLink, waitingSummary,
} from './model';

const ME = 'me-1';

function contact(id: string, state: Contact['state'], extra: Partial<Contact> = {}): Contact {
  return {
    id, channel: 'task', direction: 'inbound', queue_id: 'q1', priority: 0, customer: null, title: null, link: null, data: {},
    state, agent_id: ME, offer_expires_at: null, created_at: '2025-01-01T10:00:00Z', enqueued_at: '2025-01-01T10:00:00Z',
    closed_at: null, outcome: null, summary: null, solution: null, disposition: null, rating: null, rating_comment: null, held_since: null, hold_ms: 0, ...extra,
  };
}

function status(extra: Partial<AgentStatus> = {}): AgentStatus {
  return {
    state: 'idle', state_since: '2025-01-01T10:00:00Z', reason: null, ready: true, sign_in_mode: 'automatic', auto_answer: false,
    bound_queues: [
      { id: 'q1', name: '工单任务 Tasks', channel: 'task', skill_level: 5 },
      { id: 'q2', name: '语音 Voice', channel: 'voice', skill_level: 3 },
      { id: 'q3', name: 'Chat', channel: 'chat', skill_level: 1 },
    ],
    signed_in_queues: ['q1', 'q2'],
    contacts: [],
    waiting: [
      { queue_id: 'q1', waiting: 2, oldest_enqueued_at: '2025-01-01T09:59:00Z' },
      { queue_id: 'q2', waiting: 1, oldest_enqueued_at: '2025-01-01T09:58:00Z' },
    ],
    can_reset_queues: true, summary_required: false, wrap_up_limit_s: 0, server_time: '2025-01-01T10:00:05Z',
    ...extra,
  };
}

describe('needsRefetch', () => {
  it('re-fetches on my agent and contact events', () => {
    for (const type of ['agent.state', 'agent.signed_in', 'agent.signed_out', 'agent.queues', 'contact.connected', 'contact.wrap_up', 'contact.closed', 'contact.offer_timeout']) {
      expect(needsRefetch({ type, agent_id: ME }, ME), type).toBe(true);
    }
    expect(needsRefetch({ type: 'contact.offered', contact: { agent_id: ME }, agent_id: ME }, ME)).toBe(true);
  });
  it("ignores other agents' events (a supervisor-agent receives everyone's)", () => {
    expect(needsRefetch({ type: 'agent.state', agent_id: 'other' }, ME)).toBe(false);
    expect(needsRefetch({ type: 'contact.offered', contact: { agent_id: 'other' } }, ME)).toBe(false);
  });
  it('re-fetches when my call is held or resumed, not when a colleague\'s is', () => {
    const at = '2025-01-01T10:00:00Z';
    expect(needsRefetch({ type: 'contact.media', contact_id: 'c1', agent_id: ME, event: 'held', at }, ME)).toBe(true);
    expect(needsRefetch({ type: 'contact.media', contact_id: 'c1', agent_id: ME, event: 'resumed', at }, ME)).toBe(true);
    expect(needsRefetch({ type: 'contact.media', contact_id: 'c2', agent_id: 'other', event: 'held', at }, ME)).toBe(false);
  });
  it('re-fetches on a transfer from me or to me (the event names no agent_id)', () => {
    expect(needsRefetch({ type: 'contact.transferred', from_agent_id: ME, to_agent_id: null }, ME)).toBe(true);
    expect(needsRefetch({ type: 'contact.transferred', from_agent_id: 'other', to_agent_id: ME }, ME)).toBe(true);
    expect(needsRefetch({ type: 'contact.transferred', from_agent_id: 'other', to_agent_id: null }, ME)).toBe(false);
  });
  it('re-fetches on configuration changes and resync, not on queue.stats or unrelated events', () => {
    expect(needsRefetch({ type: 'queue.updated' }, ME)).toBe(true);
    expect(needsRefetch({ type: 'params.updated' }, ME)).toBe(true);
    expect(needsRefetch({ type: 'resync', missed: 3 }, ME)).toBe(true);
    expect(needsRefetch({ type: 'queue.stats', queue_id: 'q1' }, ME)).toBe(false);
    expect(needsRefetch({ type: 'contact.created' }, ME)).toBe(false);
    expect(needsRefetch({ type: 'contact.overflowed' }, ME)).toBe(false);
  });
});

describe('applyQueueStats', () => {
  it('updates the waiting count of a signed-in queue in place', () => {
    const s = status();
    const next = applyQueueStats(s, { type: 'queue.stats', queue_id: 'q1', waiting: 5, oldest_enqueued_at: '2025-01-01T09:50:00Z', agents: {} });
    expect(next).not.toBe(s);
    expect(next!.waiting[0]).toEqual({ queue_id: 'q1', waiting: 5, oldest_enqueued_at: '2025-01-01T09:50:00Z' });
    expect(s.waiting[0].waiting).toBe(2); // not mutated
  });
  it('adds a missing entry, ignores queues I am not signed in to and no-op updates', () => {
    const s = status({ waiting: [] });
    expect(applyQueueStats(s, { type: 'queue.stats', queue_id: 'q2', waiting: 1, oldest_enqueued_at: null })!.waiting).toEqual([
      { queue_id: 'q2', waiting: 1, oldest_enqueued_at: null },
    ]);
    const s2 = status();
    expect(applyQueueStats(s2, { type: 'queue.stats', queue_id: 'q3', waiting: 9 })).toBe(s2);
    expect(applyQueueStats(s2, { type: 'queue.stats', queue_id: 'q1', waiting: 2, oldest_enqueued_at: '2025-01-01T09:59:00Z' })).toBe(s2);
    expect(applyQueueStats(s2, { type: 'agent.state' })).toBe(s2);
    expect(applyQueueStats(null, { type: 'queue.stats', queue_id: 'q1', waiting: 1 })).toBeNull();
  });
});

describe('waitingSummary', () => {
  it('sums my signed-in queues and finds the oldest', () => {
    expect(waitingSummary(status())).toEqual({ waiting: 3, oldest: '2025-01-01T09:58:00Z' });
  });
  it('skips queues I left and empty queues for the oldest', () => {
    const s = status({
      signed_in_queues: ['q1'],
      waiting: [
        { queue_id: 'q1', waiting: 0, oldest_enqueued_at: '2025-01-01T09:00:00Z' },
        { queue_id: 'q2', waiting: 4, oldest_enqueued_at: '2025-01-01T09:58:00Z' },
      ],
    });
    expect(waitingSummary(s)).toEqual({ waiting: 0, oldest: null });
    expect(waitingSummary(null)).toEqual({ waiting: 0, oldest: null });
  });
});

describe('barControls', () => {
  it('signed out: only sign in', () => {
    const c = barControls(status({ state: 'signed_out', signed_in_queues: [] }));
    expect(c).toMatchObject({ signedIn: false, canSignIn: true, canSignOut: false, canIdle: false, canBusy: false, showResetQueues: false });
    expect(barControls(null).canSignIn).toBe(false); // not loaded yet
  });
  it('idle: busy, rest, reset, sign out', () => {
    const c = barControls(status());
    expect(c).toMatchObject({ signedIn: true, canSignIn: false, canSignOut: true, canIdle: false, canBusy: true, canRest: true, showResetQueues: true, showContinue: false });
  });
  it('reset skill queues only with the permission', () => {
    expect(barControls(status({ can_reset_queues: false })).showResetQueues).toBe(false);
  });
  it('busy can go idle or rest', () => {
    expect(barControls(status({ state: 'busy', reason: 'meeting', ready: false }))).toMatchObject({ canIdle: true, canBusy: false, canRest: true });
  });
  it('idle is offered only when my presence is not idle already', () => {
    expect(barControls(status({ state: 'talking', ready: true, contacts: [contact('c1', 'connected')] })).canIdle).toBe(false);
    expect(barControls(status({ state: 'talking', ready: false, contacts: [contact('c1', 'connected')] })).canIdle).toBe(true);
    // Post-sign-in wrap-up: presence is not ready, so idle (or continue working) ends it.
    expect(barControls(status({ state: 'wrap_up', ready: false })).canIdle).toBe(true);
  });
  it('blocks sign-out while a contact is connected or in wrap-up', () => {
    const c = barControls(status({ state: 'talking', contacts: [contact('c1', 'connected')] }));
    expect(c).toMatchObject({ canSignOut: false, signOutBlocked: true });
    expect(barControls(status({ state: 'idle', contacts: [contact('c1', 'offered')] })).canSignOut).toBe(true);
  });
  it('continue working in the bar only for wrap-up without a contact (post-sign-in state)', () => {
    expect(barControls(status({ state: 'wrap_up' })).showContinue).toBe(true);
    expect(barControls(status({ state: 'wrap_up', contacts: [contact('c1', 'wrap_up')] })).showContinue).toBe(false);
  });
});

describe('offers and contacts', () => {
  it('newOffers reports each offer once and forgets finished ones', () => {
    let seen: Set<string> = new Set();
    let r = newOffers(seen, [contact('a', 'offered'), contact('b', 'connected')]);
    expect(r.fresh.map((c) => c.id)).toEqual(['a']);
    seen = r.seen;
    r = newOffers(seen, [contact('a', 'offered'), contact('c', 'offered')]);
    expect(r.fresh.map((c) => c.id)).toEqual(['c']);
    seen = r.seen;
    r = newOffers(seen, [contact('a', 'connected')]);
    expect(r.fresh).toEqual([]);
    // Offered again later (after a timeout it came back): notify again.
    r = newOffers(r.seen, [contact('c', 'offered')]);
    expect(r.fresh.map((c) => c.id)).toEqual(['c']);
  });
  it('contactsIn filters by state', () => {
    const s = status({ contacts: [contact('a', 'offered'), contact('b', 'connected'), contact('c', 'wrap_up')] });
    expect(contactsIn(s, 'connected', 'wrap_up').map((c) => c.id)).toEqual(['b', 'c']);
    expect(contactsIn(null, 'offered')).toEqual([]);
  });
  it('headline prefers title, then customer, then a short id', () => {
    expect(contactHeadline(contact('0123456789ab', 'offered', { title: ' 退款 ', customer: '张三' }))).toBe('退款');
    expect(contactHeadline(contact('0123456789ab', 'offered', { customer: '张三' }))).toBe('张三');
    expect(contactHeadline(contact('0123456789ab', 'offered'))).toBe('#01234567');
    // A chat's customer is our internal id: never a headline.
    expect(contactHeadline(contact('0123456789ab', 'offered', { channel: 'chat', customer: '01a241ff-9d29-76b3' }))).toBe('#01234567');
  });
  it('lists ringing offers, the one expiring first on top', () => {
    const s = status({
      contacts: [
        contact('late', 'offered', { channel: 'chat', offer_expires_at: '2025-01-01T10:01:00Z' }),
        contact('busy', 'connected', { channel: 'chat' }),
        contact('soon', 'offered', { channel: 'voice', offer_expires_at: '2025-01-01T10:00:20Z' }),
      ],
    });
    expect(ringingOffers(s).map((c) => c.id)).toEqual(['soon', 'late']);
    expect(ringingOffers(null)).toEqual([]);
  });
  it('queue names come from the bound queues', () => {
    expect(queueName(status(), 'q2')).toBe('语音 Voice');
    expect(queueName(status(), 'zz')).toBe('zz');
  });
  it('only http(s) links are rendered', () => {
    expect(safeLink('https://crm.example/t/1')).toBe('https://crm.example/t/1');
    expect(safeLink('http://x')).toBe('http://x');
    expect(safeLink('javascript:alert(1)')).toBeNull();
    expect(safeLink('data:text/html,hi')).toBeNull();
    expect(safeLink(null)).toBeNull();
  });
});

describe('reasonLabel', () => {
  it('translates preset and system codes, keeps typed text', () => {
    expect(reasonLabel('meeting', translator('zh-CN'))).toBe('会议');
    expect(reasonLabel('lunch', translator('en'))).toBe('Lunch');
    expect(reasonLabel('no_answer', translator('zh-CN'))).toMatch(/未应答/);
    expect(reasonLabel('看医生', translator('en'))).toBe('看医生');
    expect(reasonLabel(null, translator('en'))).toBe('');
  });
});

describe('activity', () => {
  const zh = translator('zh-CN');
  const en = translator('en');
  it('says ringing, naming the channel, while an offer rings and nothing is connected (the engine says idle)', () => {
    expect(activity('idle', [{ channel: 'chat', state: 'offered' }])).toEqual({ label: 'activity.ringing', channel: 'chat', ringing: [] });
    expect(activityText('idle', [{ channel: 'chat', state: 'offered' }], zh)).toBe('振铃中（文字交谈）');
    expect(activityText('idle', [{ channel: 'voice', state: 'offered' }], en)).toBe('Ringing (Voice)');
    expect(activityText('idle', [], zh)).toBe('空闲');
  });
  it('names the connected channel instead of "call" for every contact', () => {
    expect(activityText('talking', [{ channel: 'chat', state: 'connected' }], zh)).toBe('交谈中');
    expect(activityText('talking', [{ channel: 'chat', state: 'connected' }], en)).toBe('On a chat');
    expect(activityText('talking', [{ channel: 'voice', state: 'connected' }], zh)).toBe('通话中');
    expect(activityText('talking', [{ channel: 'task', state: 'connected' }, { channel: 'voice', state: 'connected' }], en)).toBe('On a call');
    expect(activityText('talking', [], zh)).toBe('服务中');
  });
  it('keeps a second offer ringing beside a connected chat or a wrap-up as its own tag', () => {
    const two = [{ channel: 'chat', state: 'connected' }, { channel: 'chat', state: 'offered' }] as const;
    expect(activity('talking', two)).toEqual({ label: 'activity.talking.chat', ringing: ['chat'] });
    expect(activity('wrap_up', [{ channel: 'chat', state: 'wrap_up' }, { channel: 'chat', state: 'offered' }])).toEqual({ label: 'state.wrap_up', ringing: ['chat'] });
    expect(activity('signed_out', [])).toEqual({ label: 'state.signed_out', ringing: [] });
  });
  it('names the channel of a missed offer', () => {
    expect(zh(missedOfferKey('chat'))).toBe('文字交谈未接入，已回到队列');
    expect(en(missedOfferKey('voice'))).toBe('Missed call: it went back to the queue');
    expect(zh(missedOfferKey(undefined))).not.toMatch(/来话/);
  });
});

describe('forcedNotice', () => {
  it('says who set me to which state, and why', () => {
    const zh = translator('zh-CN');
    expect(forcedNotice({ type: 'agent.forced', state: 'busy', reason: '质检抽查', by_name: '王主管' }, zh)).toEqual({
      title: '王主管 已将您置为示忙',
      reason: '原因：质检抽查',
    });
    expect(forcedNotice({ type: 'agent.forced', state: 'signed_out', reason: 'meeting', by_name: 'Wang' }, translator('en'))).toEqual({
      title: 'Wang set you to Signed out',
      reason: 'Reason: Meeting',
    });
    expect(forcedNotice({ type: 'agent.forced', state: 'idle', reason: null, by_name: null }, zh)).toEqual({ title: '主管 已将您置为空闲', reason: null });
  });
});
