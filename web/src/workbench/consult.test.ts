import { describe, expect, it } from 'vitest';
import type { ColleagueStatus } from '../api/types';
import { translator } from '../i18n';
import {
  CONSULT_IDLE, consultBody, consultButtons, consultColleagues, consultEndLabel, consultEventOf, consultJoinHint, consultReducer, consultStateText,
  consultTargetName, type ConsultAction, type ConsultState,
} from './consult';

const ZHANG = { kind: 'agent', id: 'a2', name: '小张' } as const;
const run = (...actions: ConsultAction[]): ConsultState => actions.reduce(consultReducer, CONSULT_IDLE);

describe('consult phase', () => {
  it('follows the request and the events: ringing, consulting, three-way, back', () => {
    let s = run({ type: 'request' }, { type: 'started', target: ZHANG });
    expect(s).toMatchObject({ phase: 'ringing', target: ZHANG, requesting: false });
    s = consultReducer(s, { type: 'event', event: 'consult_answered' });
    expect(s.phase).toBe('consulting');
    s = consultReducer(s, { type: 'event', event: 'conference_started' });
    expect(s.phase).toBe('conference');
    s = consultReducer(s, { type: 'event', event: 'consult_ended' });
    expect(s).toEqual(CONSULT_IDLE);
  });

  it('does not go back when the answer comes after a later event', () => {
    const s = run({ type: 'request' }, { type: 'event', event: 'consult_started' }, { type: 'event', event: 'consult_answered' }, { type: 'started', target: ZHANG });
    expect(s.phase).toBe('consulting');
    expect(s.target).toEqual(ZHANG);
  });

  it('stays idle when the consult ended before its answer arrived', () => {
    const s = run({ type: 'request' }, { type: 'event', event: 'consult_started' }, { type: 'event', event: 'consult_ended' }, { type: 'started', target: ZHANG });
    expect(s).toEqual(CONSULT_IDLE);
    // …but a later consult starts normally.
    expect(consultReducer(consultReducer(s, { type: 'request' }), { type: 'started', target: ZHANG }).phase).toBe('ringing');
  });

  it('joins, ends and completes from the API answers', () => {
    const talking = run({ type: 'started', target: ZHANG }, { type: 'event', event: 'consult_answered' });
    expect(consultReducer(talking, { type: 'joined' }).phase).toBe('conference');
    expect(consultReducer(talking, { type: 'ended' })).toEqual(CONSULT_IDLE);
    // An answer event after the join keeps the three-way call.
    expect(consultReducer(consultReducer(talking, { type: 'joined' }), { type: 'event', event: 'consult_answered' }).phase).toBe('conference');
  });

  it('recovers from refusals that say what the server knows', () => {
    const refused = run({ type: 'request' }, { type: 'refused', code: 'target_unavailable' });
    expect(refused).toEqual(CONSULT_IDLE);
    // "Already consulting" (a reloaded page): the consult's buttons come back.
    expect(run({ type: 'request' }, { type: 'refused', code: 'consulting' }).phase).toBe('consulting');
    expect(run({ type: 'conflict', code: 'consulting', action: 'hold' }).phase).toBe('consulting');
    // Joining before the colleague answered: still ringing.
    const ringing = run({ type: 'started', target: ZHANG });
    expect(consultReducer(ringing, { type: 'conflict', code: 'not_consulting', action: 'join' }).phase).toBe('ringing');
    // Nothing to end: over.
    expect(consultReducer(ringing, { type: 'conflict', code: 'not_consulting', action: 'end' })).toEqual(CONSULT_IDLE);
    expect(consultReducer(ringing, { type: 'conflict', code: 'no_call', action: 'end' }).phase).toBe('ringing');
  });

  it('reads only consult events of its own call', () => {
    const ev = (contact_id: string, event: string) => ({ type: 'contact.media', contact_id, agent_id: 'me', event, by_id: null, at: '' });
    expect(consultEventOf(ev('c1', 'consult_answered'), 'c1')).toBe('consult_answered');
    expect(consultEventOf(ev('c2', 'consult_answered'), 'c1')).toBeNull();
    expect(consultEventOf(ev('c1', 'held'), 'c1')).toBeNull();
    expect(consultEventOf(ev('c1', 'listen_started'), 'c1')).toBeNull();
    expect(consultEventOf({ type: 'contact.connected', contact_id: 'c1', event: 'consult_started' }, 'c1')).toBeNull();
  });
});

describe('consult buttons and texts', () => {
  it('offers join once answered, complete once answered, end throughout; no hold meanwhile', () => {
    expect(consultButtons('idle')).toEqual({ callButtons: true, join: false, complete: false, end: false });
    expect(consultButtons('ringing')).toEqual({ callButtons: false, join: false, complete: false, end: true });
    expect(consultButtons('consulting')).toEqual({ callButtons: false, join: true, complete: true, end: true });
    expect(consultButtons('conference')).toEqual({ callButtons: false, join: false, complete: true, end: true });
  });

  it('says the state in each language, naming the colleague or the queue', () => {
    const zh = translator('zh-CN');
    const en = translator('en');
    const line = (s: Pick<ConsultState, 'phase' | 'target'>, t: typeof zh) => {
      const x = consultStateText(s);
      return x ? t(x.key, { name: consultTargetName(x.target, t) }) : null;
    };
    expect(line({ phase: 'idle', target: null }, zh)).toBeNull();
    expect(line({ phase: 'ringing', target: { kind: 'agent', id: 'a2', name: '张伟' } }, zh)).toBe('正在呼叫 张伟…');
    expect(line({ phase: 'consulting', target: { kind: 'agent', id: 'a2', name: '张伟' } }, zh)).toBe('与 张伟 咨询中');
    expect(line({ phase: 'conference', target: { kind: 'agent', id: 'a2', name: '张伟' } }, zh)).toMatch(/^三方通话中/);
    expect(line({ phase: 'ringing', target: { kind: 'queue', id: 'q', name: '售前咨询' } }, zh)).toBe('正在呼叫 售前咨询的座席…');
    expect(line({ phase: 'consulting', target: null }, en)).toBe('Consulting a colleague');
    expect(line({ phase: 'ringing', target: { kind: 'agent', id: 'a2', name: 'Zhang Wei' } }, en)).toBe('Calling Zhang Wei…');
    expect(zh(consultEndLabel('ringing'))).toBe('取消咨询');
    expect(zh(consultEndLabel('consulting'))).toBe('返回客户');
    expect(en(consultEndLabel('conference'))).toMatch(/Drop/);
  });

  it('lists every signed-in colleague, free ones first and choosable', () => {
    const c = (id: string, display_name: string, state: ColleagueStatus['state'], free: boolean): ColleagueStatus => ({ id, display_name, state, free, queue_ids: [] });
    const list = consultColleagues([c('b', 'Busy', 'busy', false), c('z', 'Zed', 'idle', true), c('a', 'Ann', 'idle', true), c('o', 'Out', 'signed_out', false)]);
    expect(list.map((x) => [x.id, x.disabled])).toEqual([
      ['a', false],
      ['z', false],
      ['b', true],
    ]);
  });

  it('consults an outside number: the request names it and the caller number, the bar shows the number', () => {
    const zh = translator('zh-CN');
    const en = translator('en');
    const outside = { kind: 'number', id: '+861088886666', name: '+861088886666' } as const;
    expect(consultBody(outside, '95000')).toEqual({ number: '+861088886666', caller_number: '95000' });
    expect(consultBody(outside, null)).toEqual({ number: '+861088886666' });
    expect(consultBody({ kind: 'agent', id: 'a2', name: '小张' }, '95000')).toEqual({ agent_id: 'a2' });
    expect(consultBody({ kind: 'queue', id: 'q1', name: '售前' })).toEqual({ queue_id: 'q1' });
    const s = run({ type: 'request' }, { type: 'started', target: outside }, { type: 'event', event: 'consult_answered' });
    const line = consultStateText(s)!;
    expect(zh(line.key, { name: consultTargetName(line.target, zh) })).toBe('与 外线 +861088886666 咨询中');
    expect(en(line.key, { name: consultTargetName(line.target, en) })).toBe('Consulting outside number +861088886666');
    expect(zh(consultEndLabel('conference', 'number'))).toBe('挂断外线');
    expect(zh(consultEndLabel('conference', 'agent'))).toBe('请同事退出');
    expect(zh(consultEndLabel('ringing', 'number'))).toBe('取消咨询');
    expect(zh(consultJoinHint('number'))).toBe('对方接听后才能发起三方通话');
    expect(en(consultJoinHint('agent'))).toMatch(/colleague/);
  });
});
