import { describe, expect, it } from 'vitest';
import type { CallHandoff } from '../api/types';
import { translator } from '../i18n';
import { callQuery, clockTime, customerNumber, formatDuration, handoffKind, handoffText, localTime, mosLevel, recordingUrl, surveyText } from './model';

describe('call records model', () => {
  it('builds the list query from the filters set, trimmed', () => {
    expect(callQuery({})).toBe('');
    expect(callQuery({ number: ' 138 ', agentId: 'a1', queueId: '' })).toBe('?number=138&agent_id=a1');
    expect(callQuery({ from: '2026-12-01T00:00:00+08:00' }, { cursor: 'c1', limit: undefined })).toBe(
      '?from=2026-12-01T00%3A00%3A00%2B08%3A00&cursor=c1',
    );
  });

  it('formats durations as m:ss or h:mm:ss', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(-5)).toBe('—');
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(8_993)).toBe('0:09');
    expect(formatDuration(62_000)).toBe('1:02');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });

  it('reads MOS on the G.107 scale', () => {
    expect(mosLevel(4.38)).toBe('good');
    expect(mosLevel(3.8)).toBe('fair');
    expect(mosLevel(2.1)).toBe('poor');
    expect(mosLevel(null)).toBe('unknown');
  });

  it('puts the token in the recording URL for the audio element', () => {
    expect(recordingUrl('c-1', 'a+b/c')).toBe('/api/v1/calls/c-1/recording?token=a%2Bb%2Fc');
    expect(recordingUrl('c-1', null)).toBe('/api/v1/calls/c-1/recording');
  });

  it('shows local times', () => {
    expect(localTime(null)).toBe('—');
    expect(localTime('nonsense')).toBe('—');
    expect(localTime('2026-12-04T20:54:44.753Z')).toMatch(/^2026-12-0[45] \d\d:54:44$/);
    expect(clockTime('2026-12-04T20:54:44.753Z')).toMatch(/^\d\d:54:44$/);
    expect(clockTime(undefined)).toBe('—');
  });
});

describe('the customer of a call', () => {
  it('is the caller of an inbound call and the dialled number of an outbound one', () => {
    expect(customerNumber({ direction: 'inbound', caller: '13800138000', dialled: '4000' })).toBe('13800138000');
    expect(customerNumber({ direction: 'outbound', caller: '1001', dialled: '13900139000' })).toBe('13900139000');
  });
});

describe('survey and hand-overs', () => {
  const zh = translator('zh-CN');
  const en = translator('en');

  it('shows the score, "not rated", or nothing without a survey', () => {
    expect(surveyText({ survey: 'rated', survey_score: 4 }, zh)).toBe('4/5');
    expect(surveyText({ survey: 'not_rated', survey_score: null }, zh)).toBe('未评价');
    expect(surveyText({ survey: 'not_rated', survey_score: null }, en)).toBe('Not rated');
    expect(surveyText({ survey: null, survey_score: null }, zh)).toBe('');
    // A rating without its score is not shown as one.
    expect(surveyText({ survey: 'rated', survey_score: null }, en)).toBe('');
  });

  const h = (kind: string, to: Partial<CallHandoff>): CallHandoff => ({
    at: '2025-01-01T10:00:00Z', kind, from_agent_id: 'a1', from_agent_name: '小红', to_agent_id: null, to_agent_name: null, to_queue_id: null, to_queue_name: null, to_target: null, ...to,
  });

  it('says who handed the call to whom', () => {
    expect(handoffText(h('blind', { to_queue_id: 'q', to_queue_name: '售前队列' }), zh)).toBe('盲转 小红 → 售前队列');
    expect(handoffText(h('blind', { to_agent_id: 'a2', to_agent_name: '张伟' }), zh)).toBe('盲转 小红 → 张伟');
    expect(handoffText(h('attended', { to_agent_id: 'a2', to_agent_name: '张伟' }), zh)).toBe('咨询后转接 小红 → 张伟');
    expect(handoffText({ ...h('attended', { to_agent_name: 'Zhang Wei' }), from_agent_name: 'Xiaohong' }, en)).toBe('Attended: Xiaohong → Zhang Wei');
    expect(handoffText({ ...h('blind', { to_queue_name: 'Presales' }), from_agent_name: 'Xiaohong' }, en)).toBe('Blind: Xiaohong → Presales');
    expect(handoffText({ ...h('blind', {}), from_agent_name: null }, en)).toBe('Blind: unknown → unknown');
  });

  it('says hand-overs out of the center with their target: an outside number, an IVR flow, the survey', () => {
    expect(handoffText(h('external', { to_target: '+861088886666' }), zh)).toBe('转外线 小红 → +861088886666');
    expect(handoffText(h('ivr', { to_target: '主菜单' }), zh)).toBe('转语音导航 小红 → 主菜单');
    expect(handoffText(h('ivr', { to_target: 'survey' }), zh)).toBe('转满意度评价（小红）');
    expect(handoffText({ ...h('external', { to_target: '95001' }), from_agent_name: 'Xiaohong' }, en)).toBe('To an outside number: Xiaohong → 95001');
    expect(handoffText({ ...h('ivr', { to_target: 'Main menu' }), from_agent_name: 'Xiaohong' }, en)).toBe('To IVR: Xiaohong → Main menu');
    expect(handoffText({ ...h('ivr', { to_target: 'survey' }), from_agent_name: 'Xiaohong' }, en)).toBe('To the satisfaction survey (Xiaohong)');
    // A target the record lost (an older row) still reads.
    expect(handoffText({ ...h('external', {}), from_agent_name: null }, en)).toBe('To an outside number: unknown → unknown');
    // The survey is marked apart from the other IVR hand-overs; the others keep their kind.
    expect(handoffKind(h('ivr', { to_target: 'survey' }))).toBe('survey');
    expect(handoffKind(h('ivr', { to_target: '主菜单' }))).toBe('ivr');
    expect(handoffKind(h('external', { to_target: '95001' }))).toBe('external');
    expect(handoffKind(h('blind', {}))).toBe('blind');
  });
});
