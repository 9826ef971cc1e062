import { describe, expect, it } from 'vitest';
import zhCN from './zh-CN';
import en from './en';
import { format, translator, hasKey } from './index';

function placeholders(s: string): string[] {
  return [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

describe('i18n dictionaries', () => {
  it('zh-CN and en have identical key sets', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
  });

  it('no value is empty', () => {
    for (const [k, v] of [...Object.entries(zhCN), ...Object.entries(en)]) {
      expect(v.trim(), k).not.toBe('');
    }
  });

  it('both languages use the same placeholders per key', () => {
    for (const k of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      expect(placeholders(en[k]), k).toEqual(placeholders(zhCN[k]));
    }
  });

  it('has a translated name for every permission code in the contract', async () => {
    const { PERMISSION_CODES } = await import('../api/types');
    for (const code of PERMISSION_CODES) expect(hasKey(`perm.${code}`), code).toBe(true);
  });

  it('translates every agent state and engine error code', async () => {
    const { AGENT_STATES, ENGINE_ERROR_CODES, CALL_ERROR_CODES, CONSULT_ERROR_CODES, MONITOR_ERROR_CODES } = await import('../api/types');
    for (const s of AGENT_STATES) expect(hasKey(`state.${s}`), s).toBe(true);
    for (const code of [...ENGINE_ERROR_CODES, ...CALL_ERROR_CODES, ...CONSULT_ERROR_CODES, ...MONITOR_ERROR_CODES]) expect(hasKey(`error.${code}`), code).toBe(true);
  });

  it('says call control in Chinese only in the Chinese UI, and in English only in the English one', () => {
    const keys = (Object.keys(zhCN) as (keyof typeof zhCN)[]).filter((k) => k.startsWith('wb.call.') || ['error.already_held', 'error.not_held', 'error.no_call', 'error.not_a_call', 'error.invalid_field.digits'].includes(k));
    expect(keys.length).toBeGreaterThan(15);
    for (const k of keys) {
      expect(zhCN[k].replace(/\{\w+\}/g, ''), k).not.toMatch(/[A-Za-z]/);
      expect(en[k], k).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('says consult, monitoring, the survey and hand-overs in one language each', async () => {
    const { CONSULT_ERROR_CODES, MONITOR_ERROR_CODES } = await import('../api/types');
    const errors = [...CONSULT_ERROR_CODES, ...MONITOR_ERROR_CODES].map((c) => `error.${c}`).concat('error.invalid_field.agent_id');
    const keys = (Object.keys(zhCN) as (keyof typeof zhCN)[]).filter(
      (k) => k.startsWith('wb.call.consult') || k.startsWith('sv.monitor') || k.startsWith('calls.survey') || k.startsWith('calls.handoff') || errors.includes(k),
    );
    expect(keys.length).toBeGreaterThan(50);
    for (const k of keys) {
      expect(zhCN[k].replace(/\{\w+\}/g, ''), k).not.toMatch(/[A-Za-z]/);
      expect(en[k], k).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('says chat watching and a ticket\'s calls in one language each', () => {
    const keys = (Object.keys(zhCN) as (keyof typeof zhCN)[]).filter((k) => k.startsWith('sv.watch.') || k.startsWith('tk.calls.') || k === 'calls.createTicket');
    expect(keys.length).toBe(13);
    for (const k of keys) {
      expect(zhCN[k].replace(/\{\w+\}/g, ''), k).not.toMatch(/[A-Za-z]/);
      expect(en[k], k).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('says outbound configuration in one language each', () => {
    const keys = (Object.keys(zhCN) as (keyof typeof zhCN)[]).filter(
      (k) => k.startsWith('voice.out.') || k.startsWith('voice.group.') || k.startsWith('voice.rules.') || ['menu.voiceNumberGroups', 'menu.voiceOutboundRules', 'perm.calls.outbound', 'error.outbound_trunk_required'].includes(k),
    );
    expect(keys.length).toBeGreaterThan(40);
    for (const k of keys) {
      expect(zhCN[k].replace(/\{\w+\}/g, ''), k).not.toMatch(/[A-Za-z]/);
      expect(en[k], k).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('uses the glossary terms in Chinese', () => {
    expect(zhCN['wb.bar.label']).toBe('接续条');
    expect(zhCN['queues.title']).toBe('技能队列');
    expect(zhCN['wb.bar.signIn']).toBe('签入');
    expect(zhCN['wb.bar.busy']).toBe('示忙');
    expect(zhCN['params.state.wrap_up']).toBe('整理态');
    expect(zhCN['params.title']).toBe('租户参数');
    expect(zhCN['roles.builtin.agent']).toBe('座席');
    expect(zhCN['wb.bar.signOut']).toBe('签出');
    expect(zhCN['state.idle']).toBe('空闲');
    // Talking covers every channel: "通话" would say "call" during a chat (the bar and wallboard rows name the channel).
    expect(zhCN['state.talking']).toBe('服务中');
    expect(zhCN['state.wrap_up']).toBe('整理');
    expect(zhCN['state.rest']).toBe('休息');
    expect(zhCN['wb.bar.label']).toBe('接续条');
    expect(zhCN['wb.continue']).toBe('继续工作');
    expect(zhCN['wb.bar.resetQueues']).toBe('重设技能队列');
    expect(zhCN['wb.summary.label']).toBe('服务小计');
  });

  it('formats placeholders and switches language', () => {
    expect(format('a {n} b {n}', { n: 3 })).toBe('a 3 b 3');
    expect(format('keep {x}', {})).toBe('keep {x}');
    expect(translator('en')('import.created', { n: 2 })).toBe('Imported: 2 users created');
    expect(translator('zh-CN')('login.submit')).toBe('登录');
  });
});
