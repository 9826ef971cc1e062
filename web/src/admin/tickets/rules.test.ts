import { describe, expect, it } from 'vitest';
import { cleanRule, joinList, newRule, opNeedsValue, ruleProblems, splitList } from './rules';
import type { FieldDef, Rule } from '../../tickets/types';

const fields: FieldDef[] = [
  { code: 'title', label: '标题', kind: 'system', type: 'text', required: true },
  { code: 'priority', label: '优先级', kind: 'system', type: 'single_select', required: false, options: [{ value: 'normal', label: '普通' }, { value: 'urgent', label: '紧急' }] },
  { code: 'amount', label: '金额', kind: 'custom', type: 'number', required: false },
];
const statuses = ['new', 'done'];
const keys = (r: Rule) => ruleProblems(r, fields, statuses).map((p) => p.key);

describe('rule building', () => {
  it('a new rule is valid and has an id', () => {
    const r = newRule('通知处理人');
    expect(r.id).toBeTruthy();
    expect(newRule().id).not.toBe(r.id);
    expect(keys(r)).toEqual([]);
  });

  it('cleanRule keeps only what the trigger and each action use', () => {
    const r: Rule = {
      id: 'r1', name: ' 紧急升级 ', active: true, trigger: 'created', status: 'done', field: 'amount',
      conditions: [
        { field: 'priority', op: 'in', value: ' urgent ; ;normal' },
        { field: 'amount', op: 'empty', value: 'ignored' },
      ],
      actions: [
        { type: 'escalate', group_id: 'g2', priority: 'urgent', to: 'creator', field: 'x' },
        { type: 'notify', to: 'group', group_id: 'g' },
        { type: 'set_field', field: 'priority', value: 'urgent', group_id: 'g' },
        { type: 'assign_round_robin', group_id: 'g3', priority: 'low' },
      ],
    };
    expect(cleanRule(r)).toEqual({
      id: 'r1', name: '紧急升级', active: true, trigger: 'created',
      conditions: [{ field: 'priority', op: 'in', value: 'urgent;normal' }, { field: 'amount', op: 'empty' }],
      actions: [
        { type: 'escalate', group_id: 'g2', priority: 'urgent' },
        { type: 'notify', to: 'group' },
        { type: 'set_field', field: 'priority', value: 'urgent' },
        { type: 'assign_round_robin', group_id: 'g3' },
      ],
    });
    expect(cleanRule({ ...r, trigger: 'status_changed' }).status).toBe('done');
    expect(cleanRule({ ...r, trigger: 'status_changed', status: '' }).status).toBeUndefined();
    expect(cleanRule({ ...r, trigger: 'field_changed' }).field).toBe('amount');
    expect(cleanRule({ ...r, id: undefined }).id).toBeUndefined();
  });

  it('lists join with ;', () => {
    expect(splitList('a; b;;c ')).toEqual(['a', 'b', 'c']);
    expect(joinList([' a', 'b', ''])).toBe('a;b');
    expect(opNeedsValue('empty')).toBe(false);
    expect(opNeedsValue('gt')).toBe(true);
  });
});

describe('rule checks (the server\'s Rule::validate)', () => {
  const base = newRule('r');

  it('name, actions and conditions counts', () => {
    expect(keys({ ...base, name: ' ' })).toEqual(['tkcfg.problem.ruleName']);
    expect(keys({ ...base, actions: [] })).toEqual(['tkcfg.problem.ruleSize']);
    expect(keys({ ...base, conditions: Array.from({ length: 21 }, () => ({ field: 'title', op: 'not_empty' as const })) })).toEqual(['tkcfg.problem.ruleSize']);
  });

  it('triggers name known fields and statuses', () => {
    expect(keys({ ...base, trigger: 'field_changed' })).toEqual(['tkcfg.problem.ruleTriggerField']);
    expect(keys({ ...base, trigger: 'field_changed', field: 'amount' })).toEqual([]);
    expect(keys({ ...base, trigger: 'status_changed' })).toEqual([]);
    expect(keys({ ...base, trigger: 'status_changed', status: 'gone' })).toEqual(['tkcfg.problem.ruleTriggerStatus']);
  });

  it('conditions: known field, a value unless empty / not_empty', () => {
    expect(keys({ ...base, conditions: [{ field: 'status', op: 'eq', value: 'new' }, { field: 'group_id', op: 'empty' }, { field: 'assignee_id', op: 'not_empty' }] })).toEqual([]);
    expect(keys({ ...base, conditions: [{ field: 'ghost', op: 'eq', value: 'x' }] })).toEqual(['tkcfg.problem.ruleConditionField']);
    expect(keys({ ...base, conditions: [{ field: 'amount', op: 'gt', value: ' ' }] })).toEqual(['tkcfg.problem.ruleConditionValue']);
  });

  it('actions: groups, notify targets, set_field values valid for the field', () => {
    expect(keys({ ...base, actions: [{ type: 'assign_group' }] })).toEqual(['tkcfg.problem.ruleGroup']);
    expect(keys({ ...base, actions: [{ type: 'escalate', group_id: 'g' }] })).toEqual([]);
    expect(keys({ ...base, actions: [{ type: 'notify' }] })).toEqual(['tkcfg.problem.ruleNotify']);
    expect(keys({ ...base, actions: [{ type: 'set_field', field: 'ghost', value: '1' }] })).toEqual(['tkcfg.problem.ruleSetField']);
    expect(keys({ ...base, actions: [{ type: 'set_field', field: 'priority', value: 'urgent' }] })).toEqual([]);
    expect(keys({ ...base, actions: [{ type: 'set_field', field: 'priority', value: 'asap' }] })).toEqual(['tkcfg.problem.ruleSetValue']);
    expect(keys({ ...base, actions: [{ type: 'set_field', field: 'amount', value: 'lots' }] })).toEqual(['tkcfg.problem.ruleSetValue']);
  });
});
