import { describe, expect, it } from 'vitest';
import {
  addField, addOption, cleanField, codeProblem, definitionKey, definitionProblems, diagram, fieldReferences,
  locateServerField, moveItem, moveOption, nextOptionValue, optionAt, optionProblem, partOf, removeField, removeOption,
  removeStatus, replaceAction, replaceField, transitions, unreachableStatuses, updateOption,
} from './definition';
import type { FieldDef, TicketType } from '../../tickets/types';

const sys = (code: string, type: FieldDef['type'], extra: Partial<FieldDef> = {}): FieldDef => ({
  code, label: code, kind: 'system', type, required: code === 'title', ...extra,
});

/** The starter type (system fields, default workflow) plus a product select. */
function starter(): TicketType {
  return {
    id: 't1',
    name: '售后工单',
    description: '',
    active: true,
    version: 3,
    fields: [
      sys('title', 'text'),
      sys('description', 'long_text'),
      sys('priority', 'single_select', {
        options: [{ value: 'low', label: '低' }, { value: 'normal', label: '普通' }, { value: 'high', label: '高' }, { value: 'urgent', label: '紧急' }],
        default: 'normal',
      }),
      sys('customer', 'member'),
      sys('phone', 'phone'),
      sys('email', 'email'),
      sys('due_at', 'datetime'),
      { code: 'product', label: '产品', kind: 'business', type: 'single_select', required: false, options: [{ value: 'phone', label: '手机' }, { value: 'watch', label: '手表' }] },
    ],
    workflow: {
      initial: 'new',
      statuses: [
        { code: 'new', label: '新建', category: 'open' },
        { code: 'processing', label: '处理中', category: 'open' },
        { code: 'waiting', label: '等待反馈', category: 'pending' },
        { code: 'done', label: '已完结', category: 'closed' },
      ],
      actions: [
        { code: 'start', label: '开始处理', from: ['new'], to: 'processing', requires_note: false, required_fields: [] },
        { code: 'wait', label: '等待反馈', from: ['processing'], to: 'waiting', requires_note: false, required_fields: [] },
        { code: 'resume', label: '继续处理', from: ['waiting'], to: 'processing', requires_note: false, required_fields: [] },
        { code: 'complete', label: '完结', from: ['new', 'processing', 'waiting'], to: 'done', requires_note: false, required_fields: ['product'] },
      ],
    },
    rules: [],
  };
}

const refs = (t: TicketType) => definitionProblems(t).map((p) => `${p.ref} ${p.key}`);

describe('codes', () => {
  it('follow [a-z][a-z0-9_]{0,31} and are unique', () => {
    expect(codeProblem('order_no2', ['title'])).toBeNull();
    expect(codeProblem('Order', [])).toBe('tkcfg.problem.codePattern');
    expect(codeProblem('2nd', [])).toBe('tkcfg.problem.codePattern');
    expect(codeProblem('a-b', [])).toBe('tkcfg.problem.codePattern');
    expect(codeProblem('', [])).toBe('tkcfg.problem.codePattern');
    expect(codeProblem('a'.repeat(32), [])).toBeNull();
    expect(codeProblem('a'.repeat(33), [])).toBe('tkcfg.problem.codePattern');
    expect(codeProblem('title', ['title'])).toBe('tkcfg.problem.codeTaken');
  });
});

describe('the starter definition', () => {
  it('has no problems', () => {
    expect(definitionProblems(starter())).toEqual([]);
  });
});

describe('fields', () => {
  it('adds, moves and removes a field; removal also leaves the actions', () => {
    let t = starter();
    t = { ...t, fields: addField(t.fields, { code: 'level', label: ' 等级 ', kind: 'custom', type: 'single_select', required: false, options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] }) };
    expect(t.fields.at(-1)).toMatchObject({ code: 'level', label: '等级' });
    t = { ...t, fields: moveItem(t.fields, t.fields.length - 1, -100) };
    expect(t.fields[0].code).toBe('level');
    expect(definitionProblems(t)).toEqual([]);

    expect(fieldReferences(t, 'product')).toEqual({ actions: ['完结'], rules: [] });
    t = removeField(t, 'product');
    expect(t.fields.some((f) => f.code === 'product')).toBe(false);
    expect(t.workflow.actions.find((a) => a.code === 'complete')?.required_fields).toEqual([]);
    expect(definitionProblems(t)).toEqual([]);
  });

  it('never removes a system field', () => {
    const t = starter();
    expect(removeField(t, 'title')).toBe(t);
  });

  it('keeps a system field\'s code, kind, type and options; only label, required and default change', () => {
    const t = starter();
    const fields = replaceField(t.fields, 'priority', { code: 'prio', label: '紧急程度', kind: 'custom', type: 'text', required: true, default: 'high', options: [] });
    expect(fields[2]).toEqual({ ...t.fields[2], label: '紧急程度', required: true, default: 'high' });
  });

  it('keeps the title required', () => {
    const t = starter();
    expect(cleanField({ ...t.fields[0], required: false }).required).toBe(true);
    const broken = { ...t, fields: t.fields.map((f) => (f.code === 'title' ? { ...f, required: false } : f)) };
    expect(refs(broken)).toContain('field:title tkcfg.problem.titleRequired');
  });

  it('flags what the server refuses', () => {
    const t = starter();
    const bad: TicketType = {
      ...t,
      fields: [
        ...t.fields.filter((f) => f.code !== 'email').map((f) => (f.code === 'phone' ? { ...f, type: 'text' as const } : f)),
        { code: 'Bad', label: 'x', kind: 'custom', type: 'text', required: false },
        { code: 'product', label: 'again', kind: 'custom', type: 'text', required: false },
        { code: 'pick', label: '', kind: 'custom', type: 'multi_select', required: false, options: [] },
        { code: 'note', label: 'n', kind: 'custom', type: 'text', required: false, options: [{ value: 'a', label: 'A' }] },
        { code: 'qty', label: 'q', kind: 'custom', type: 'number', required: false, default: 'many' },
        { code: 'fake', label: 'f', kind: 'system', type: 'text', required: false },
      ],
    };
    expect(refs(bad)).toEqual([
      'field:Bad tkcfg.problem.codePattern',
      'field:product tkcfg.problem.codeTaken',
      'field:pick tkcfg.problem.labelLength',
      'field:pick tkcfg.problem.needsOptions',
      'field:note tkcfg.problem.noOptions',
      'field:qty tkcfg.problem.badDefault',
      'field:fake tkcfg.problem.notSystem',
      'field:phone tkcfg.problem.systemFixed',
      'fields tkcfg.problem.systemMissing',
    ]);
  });

  it('checks defaults against the options', () => {
    const t = starter();
    const withDefault = (d: FieldDef['default']) => ({ ...t, fields: t.fields.map((f) => (f.code === 'product' ? { ...f, default: d } : f)) });
    expect(definitionProblems(withDefault('watch'))).toEqual([]);
    expect(definitionProblems(withDefault('手表'))).toEqual([]);
    expect(refs(withDefault('tablet'))).toEqual(['field:product tkcfg.problem.badDefault']);
  });
});

describe('option trees', () => {
  const tree = [
    { value: 'gd', label: '广东', children: [{ value: 'sz', label: '深圳' }] },
    { value: 'bj', label: '北京' },
  ];

  it('adds, edits, moves and removes nodes at any depth', () => {
    let t = addOption(tree, [0], { value: 'gz', label: '广州' });
    expect(optionAt(t, [0, 1])).toEqual({ value: 'gz', label: '广州' });
    t = addOption(t, [1], { value: 'cy', label: '朝阳' });
    expect(t[1].children).toEqual([{ value: 'cy', label: '朝阳' }]);
    t = updateOption(t, [0, 0], { label: '深圳市' });
    expect(optionAt(t, [0, 0])?.label).toBe('深圳市');
    t = moveOption(t, [0, 1], -1);
    expect(t[0].children?.map((o) => o.value)).toEqual(['gz', 'sz']);
    t = removeOption(t, [0, 0]);
    expect(t[0].children?.map((o) => o.value)).toEqual(['sz']);
    t = addOption(t, [], { value: 'sh', label: '上海' });
    expect(t.map((o) => o.value)).toEqual(['gd', 'bj', 'sh']);
    expect(tree[0].children).toHaveLength(1);
  });

  it('finds the first problem with its place', () => {
    expect(optionProblem(tree, true)).toBeNull();
    expect(optionProblem(tree, false)).toEqual({ path: [0], key: 'tkcfg.problem.optionText' });
    expect(optionProblem([{ value: 'a/b', label: 'A' }], false)?.key).toBe('tkcfg.problem.optionText');
    expect(optionProblem([{ value: 'a', label: 'A' }, { value: 'b', label: 'A' }], false)).toEqual({ path: [1], key: 'tkcfg.problem.optionUnique' });
    expect(optionProblem([{ value: 'gd', label: '广东', children: [{ value: 'x', label: '' }] }], true)).toEqual({ path: [0, 0], key: 'tkcfg.problem.optionText' });
  });

  it('offers an unused value', () => {
    expect(nextOptionValue([{ value: 'option_2', label: 'x' }])).toBe('option_3');
    expect(nextOptionValue([{ value: 'option_2', label: 'x' }, { value: 'option_3', label: 'y' }])).toBe('option_4');
  });

  it('checks cascade defaults as paths', () => {
    const f: FieldDef = { code: 'region', label: '地区', kind: 'custom', type: 'cascade', required: false, options: tree, default: ['gd', 'sz'] };
    const t = starter();
    expect(definitionProblems({ ...t, fields: [...t.fields, f] })).toEqual([]);
    expect(refs({ ...t, fields: [...t.fields, { ...f, default: ['bj', 'sz'] }] })).toEqual(['field:region tkcfg.problem.badDefault']);
  });
});

describe('workflow', () => {
  it('keeps the initial status open and actions between existing statuses', () => {
    const t = starter();
    expect(refs({ ...t, workflow: { ...t.workflow, initial: 'done' } })).toEqual(['initial tkcfg.problem.initialClosed']);
    expect(refs({ ...t, workflow: { ...t.workflow, initial: 'gone' } })).toEqual(['initial tkcfg.problem.initialMissing']);
    const actions = [
      ...t.workflow.actions,
      { code: 'start', label: 'again', from: ['nowhere'], to: 'nowhere', requires_note: false, required_fields: ['ghost'] },
      { code: 'x', label: '', from: [], to: 'done', requires_note: true, required_fields: [] },
    ];
    expect(refs({ ...t, workflow: { ...t.workflow, actions } })).toEqual([
      'action:start tkcfg.problem.codeTaken',
      'action:start tkcfg.problem.actionFrom',
      'action:start tkcfg.problem.actionTo',
      'action:start tkcfg.problem.actionFields',
      'action:x tkcfg.problem.labelLength',
      'action:x tkcfg.problem.actionFrom',
    ]);
    const statuses = [...t.workflow.statuses, { code: 'new', label: 'dup', category: 'open' as const }];
    expect(refs({ ...t, workflow: { ...t.workflow, statuses } })).toEqual(['status:new tkcfg.problem.codeTaken']);
    expect(refs({ ...t, workflow: { initial: 'new', statuses: [], actions: [] } })).toEqual([
      'workflow tkcfg.problem.workflowSize', 'initial tkcfg.problem.initialMissing',
    ]);
  });

  it('removing a status takes the actions that need it and moves the initial status', () => {
    const t = starter();
    const { workflow, removedActions } = removeStatus(t.workflow, 'new');
    expect(removedActions).toEqual(['start']);
    expect(workflow.initial).toBe('processing');
    expect(workflow.actions.find((a) => a.code === 'complete')?.from).toEqual(['processing', 'waiting']);
    const r2 = removeStatus(t.workflow, 'done');
    expect(r2.removedActions).toEqual(['complete']);
    expect(definitionProblems({ ...t, workflow: r2.workflow })).toEqual([]);
  });

  it('an edited action keeps its code and drops an empty group', () => {
    const wf = replaceAction(starter().workflow, 'start', {
      code: 'other', label: ' 处理 ', from: ['new', 'new'], to: 'processing', requires_note: true, required_fields: [], assign_group_id: '',
    });
    expect(wf.actions[0]).toEqual({ code: 'start', label: '处理', from: ['new'], to: 'processing', requires_note: true, required_fields: [] });
  });

  it('lists transitions and statuses no ticket can reach', () => {
    const wf = starter().workflow;
    expect(transitions(wf).map((r) => [r.status.code, r.actions.map((a) => a.code)])).toEqual([
      ['new', ['start', 'complete']],
      ['processing', ['wait', 'complete']],
      ['waiting', ['resume', 'complete']],
      ['done', []],
    ]);
    expect(unreachableStatuses(wf)).toEqual([]);
    expect(unreachableStatuses({ ...wf, statuses: [...wf.statuses, { code: 'limbo', label: 'L', category: 'pending' }] })).toEqual(['limbo']);
  });

  it('lays out a diagram: one arc per pair, loops included', () => {
    const wf = starter().workflow;
    const d = diagram({
      ...wf,
      actions: [...wf.actions, { code: 'escalate', label: '升级', from: ['new', 'processing'], to: 'new', requires_note: true, required_fields: [] }],
    });
    expect(d.nodes.map((n) => n.code)).toEqual(['new', 'processing', 'waiting', 'done']);
    expect(d.nodes[0].initial).toBe(true);
    const pairs = d.edges.map((e) => `${e.from}→${e.to}:${e.labels.join('+')}`);
    expect(pairs).toEqual([
      'new→processing:开始处理', 'processing→waiting:等待反馈', 'waiting→processing:继续处理', 'new→done:完结',
      'processing→done:完结', 'waiting→done:完结', 'new→new:升级', 'processing→new:升级',
    ]);
    for (const e of d.edges) expect(e.path).toMatch(/^M [\d.-]+ [\d.-]+ [QC] /);
    expect(d.width).toBeGreaterThan(d.nodes[3].x);
    expect(d.height).toBeGreaterThan(d.nodes[0].y + 36);
  });
});

describe('server errors', () => {
  it('point at the row they name', () => {
    const t = { ...starter(), rules: [{ id: 'r-1', name: 'n', active: true, trigger: 'created' as const, conditions: [], actions: [{ type: 'notify' as const, to: 'assignee' as const }] }] };
    expect(locateServerField(t, 'product')).toEqual(['field:product']);
    expect(locateServerField(t, 'waiting')).toEqual(['status:waiting']);
    expect(locateServerField(t, 'complete')).toEqual(['action:complete']);
    expect(locateServerField(t, 'initial')).toEqual(['initial']);
    expect(locateServerField(t, 'rules[0]')).toEqual(['rule:0']);
    expect(locateServerField(t, 'r-1')).toEqual(['rule:0']);
    expect(locateServerField(t, 'name')).toEqual(['basics:name']);
    expect(locateServerField(t, 'nothing')).toEqual([]);
    expect(locateServerField(t, undefined)).toEqual([]);
    expect(partOf('field:x')).toBe('fields');
    expect(partOf('initial')).toBe('workflow');
    expect(partOf('action:x')).toBe('workflow');
    expect(partOf('rule:2')).toBe('rules');
    expect(partOf('basics:name')).toBe('basics');
  });

  it('a definition key changes with any edit', () => {
    const t = starter();
    expect(definitionKey(t)).toBe(definitionKey(starter()));
    expect(definitionKey({ ...t, active: false })).not.toBe(definitionKey(t));
    expect(definitionKey({ ...t, fields: moveItem(t.fields, 0, 1) })).not.toBe(definitionKey(t));
  });
});
