import { describe, expect, it } from 'vitest';
import { translator, type Lang } from '../i18n';
import { minutesSeconds, shortId, trailText, voicemailOf, type TrailContext } from './trail';
import { TRAIL_ACTIONS, type FieldDef, type TrailEntry } from './types';

const FIELDS: FieldDef[] = [
  { code: 'priority', label: '优先级', kind: 'system', type: 'single_select', required: false, options: [{ value: 'normal', label: '普通' }, { value: 'high', label: '高' }] },
  { code: 'area', label: '地区', kind: 'custom', type: 'cascade', required: false, options: [{ value: 'gd', label: '广东', children: [{ value: 'sz', label: '深圳' }] }] },
];

function ctx(lang: Lang): TrailContext {
  return {
    t: translator(lang),
    user: (id) => ({ u1: '张三', u2: '李四' })[id] ?? shortId(id),
    group: (id) => ({ g1: '二线支持' })[id] ?? id,
    status: (code) => ({ new: '新建', processing: '处理中', done: '已完成' })[code] ?? code,
    action: (code) => ({ complete: '完成' })[code] ?? code,
    field: (code) => FIELDS.find((f) => f.code === code),
  };
}

const entry = (action: string, detail: Record<string, unknown> | null = null, actor: string | null = 'u1'): TrailEntry => ({
  seq: 1, at: '2026-11-21T09:30:00+08:00', actor_id: actor, action, detail,
});

const DETAILS: Record<string, Record<string, unknown>> = {
  edited: { changes: [{ field: 'priority', from: 'normal', to: 'high' }, { field: 'area', from: null, to: ['gd', 'sz'] }] },
  note: { text: '客户已回电' },
  transferred: { to_group_id: 'g1', note: '需要二线' },
  status: { action: 'complete', from: 'processing', to: 'done', note: '已解决' },
  reopened: { from: 'done', to: 'new', note: '客户反馈未解决' },
  cc_added: { user_id: 'u2' },
  cc_removed: { user_id: 'u2' },
  contact_linked: { contact_id: '0190f3a2-aaaa-bbbb' },
  rule: { rule: '紧急升级', actions: [{ type: 'assign_group', group_id: 'g1' }, { type: 'notify', to: 'assignee' }, { type: 'set_field', field: 'priority', value: 'high' }, 'unknown_thing'] },
  reminded: { at: '2026-11-21T10:00:00+08:00', note: '回访' },
};

describe('service trail text', () => {
  for (const lang of ['zh-CN', 'en'] as Lang[]) {
    it(`renders every action readably in ${lang}`, () => {
      for (const action of TRAIL_ACTIONS) {
        const x = trailText(entry(action, DETAILS[action] ?? {}), ctx(lang));
        expect(x.title, action).not.toBe('');
        for (const s of [x.title, ...x.lines, x.note ?? '']) expect(s, `${action}: ${s}`).not.toMatch(/\{\w+\}|undefined|\[object/);
      }
    });
  }

  it('shows field changes as from → to with labels', () => {
    const x = trailText(entry('edited', DETAILS.edited), ctx('zh-CN'));
    expect(x.title).toBe('张三 修改了 2 个字段');
    expect(x.lines).toEqual(['优先级：普通 → 高', '地区：（空） → 广东 / 深圳']);
    const en = trailText(entry('edited', DETAILS.edited), ctx('en'));
    expect(en.lines[1]).toBe('地区: (empty) → 广东 / 深圳');
  });

  it('names transfer targets, status moves and notes', () => {
    const c = ctx('zh-CN');
    expect(trailText(entry('transferred', DETAILS.transferred), c)).toMatchObject({ title: '张三 将工单转交给技能组 二线支持', note: '需要二线' });
    expect(trailText(entry('transferred', { to_assignee_id: 'u2', note: 'x' }), c).title).toBe('张三 将工单转交给 李四');
    expect(trailText(entry('status', DETAILS.status), c)).toMatchObject({ title: '张三 执行了“完成”', lines: ['状态：处理中 → 已完成'], note: '已解决' });
    expect(trailText(entry('note', DETAILS.note), c).note).toBe('客户已回电');
    expect(trailText(entry('status', { ...DETAILS.status, label: '办结' }), c).title).toBe('张三 执行了“办结”');
    expect(trailText(entry('reopened', DETAILS.reopened), c)).toMatchObject({ lines: ['状态：已完成 → 新建'], note: '客户反馈未解决' });
    expect(trailText(entry('cc_added', DETAILS.cc_added), c).title).toBe('张三 抄送给 李四');
    expect(trailText(entry('contact_linked', DETAILS.contact_linked), c).title).toBe('张三 关联了接触 0190f3a2');
  });

  it('a rule is the system acting, with its actions listed', () => {
    const x = trailText(entry('rule', DETAILS.rule, null), ctx('zh-CN'));
    expect(x.title).toBe('自动规则“紧急升级”已执行');
    expect(x.lines).toEqual(['分配到技能组 二线支持', '通知处理人', '将 优先级 设为 高', 'unknown_thing']);
    expect(trailText(entry('claimed', null, null), ctx('en')).title).toBe('System claimed the ticket');
  });

  it('an unknown action still shows who and what', () => {
    const x = trailText(entry('merged', { into: 'T0002' }), ctx('en'));
    expect(x.title).toBe('张三: merged');
    expect(x.lines).toEqual(['{"into":"T0002"}']);
  });
});

describe('a ticket opened from a voicemail', () => {
  const URL = '/api/v1/files/demo/0190f3a2-cccc?key=k1';
  const VM = { voicemail: { caller: '+8613900139001', call_record: 'r1', voicemail_ms: 42_400, recording: URL }, contact_id: 'c1' };

  it('reads the message facts out of the created entry', () => {
    expect(voicemailOf(VM)).toEqual({ caller: '+8613900139001', ms: 42_400, callRecord: 'r1', recording: URL });
    expect(voicemailOf({ voicemail: { ...VM.voicemail, recording: null } })?.recording).toBeNull();
  });

  it('tolerates missing and odd fields', () => {
    for (const d of [null, undefined, 'x', 3, [], {}, { contact_id: 'c1' }, { voicemail: null }, { voicemail: 'x' }, { voicemail: [1] }]) {
      expect(voicemailOf(d), JSON.stringify(d) ?? 'undefined').toBeNull();
    }
    expect(voicemailOf({ voicemail: {} })).toEqual({ caller: '', ms: null, callRecord: '', recording: null });
    const odd = voicemailOf({ voicemail: { caller: 13900139001, voicemail_ms: '42000', call_record: 7, recording: 5 } });
    expect(odd).toEqual({ caller: '', ms: null, callRecord: '', recording: null });
    expect(voicemailOf({ voicemail: { voicemail_ms: -1 } })?.ms).toBeNull();
    expect(voicemailOf({ voicemail: { voicemail_ms: Number.NaN } })?.ms).toBeNull();
    // Only a path on this server plays.
    for (const recording of ['javascript:alert(1)', 'https://evil.example/a.wav', '//evil.example/a.wav', '']) {
      expect(voicemailOf({ voicemail: { recording } })?.recording, recording).toBeNull();
    }
  });

  it('writes a length as m:ss, to the nearest second', () => {
    expect([0, 499, 500, 42_400, 59_600, 600_000, -5].map(minutesSeconds)).toEqual(['0:00', '0:00', '0:01', '0:42', '1:00', '10:00', '0:00']);
  });

  it('says so in each language, with the caller and the recording', () => {
    const zh = trailText(entry('created', VM, null), ctx('zh-CN'));
    expect(zh).toMatchObject({ title: '由语音留言创建 · 0:42', lines: ['来电号码：+8613900139001'], voicemail: { recording: URL } });
    const en = trailText(entry('created', VM, null), ctx('en'));
    expect(en).toMatchObject({ title: 'Opened from a voicemail · 0:42', lines: ['Caller: +8613900139001'], voicemail: { recording: URL } });
    for (const s of [zh.title, ...zh.lines]) expect(s).not.toMatch(/[A-Za-z]/);
    const unrecorded = trailText(entry('created', { voicemail: { caller: '', recording: null } }, null), ctx('zh-CN'));
    expect(unrecorded).toMatchObject({ title: '由语音留言创建', lines: [], voicemail: { recording: null } });
    // A ticket a person created says who, and has no message.
    const plain = trailText(entry('created', { contact_id: null }), ctx('en'));
    expect(plain.title).toBe('张三 created the ticket');
    expect(plain.voicemail).toBeUndefined();
  });
});
