// Building automation rules (part of a ticket type) and checking them the way the server does
// (schema.rs RuleJson::to_rule, engine rules.rs Rule::validate). Pure, unit-tested.
import type { MessageKey } from '../../i18n';
import type { Condition, ConditionOp, FieldDef, Rule, RuleAction, RuleActionType } from '../../tickets/types';
import { valueValid } from './values';

/** Conditions may also test these ticket properties. */
export const TICKET_PROPERTIES = ['status', 'group_id', 'assignee_id'] as const;

export const opNeedsValue = (op: ConditionOp) => op !== 'empty' && op !== 'not_empty';

/** `in` takes several values, joined with `;` on the wire. */
export const opTakesList = (op: ConditionOp) => op === 'in';

export const splitList = (value: string | null | undefined): string[] =>
  (value ?? '').split(';').map((s) => s.trim()).filter(Boolean);

export const joinList = (values: readonly string[]): string => values.map((v) => v.trim()).filter(Boolean).join(';');

export const actionNeedsGroup = (type: RuleActionType) =>
  type === 'assign_group' || type === 'assign_round_robin' || type === 'escalate';

/** A rule id for a new rule, so a server error naming it can be traced back to its row. */
export function newRuleId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `rule_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
}

export function newRule(name = ''): Rule {
  return { id: newRuleId(), name, active: true, trigger: 'created', conditions: [], actions: [{ type: 'notify', to: 'assignee' }] };
}

/** A condition as it is sent: no value for empty / not_empty, a trimmed one otherwise. */
export function cleanCondition(c: Condition): Condition {
  const out: Condition = { field: c.field, op: c.op };
  if (opNeedsValue(c.op)) out.value = opTakesList(c.op) ? joinList(splitList(c.value)) : (c.value ?? '').trim();
  return out;
}

/** An action with only the keys its type uses. */
export function cleanRuleAction(a: RuleAction): RuleAction {
  switch (a.type) {
    case 'assign_group':
    case 'assign_round_robin':
      return { type: a.type, ...(a.group_id ? { group_id: a.group_id } : {}) };
    case 'escalate':
      return { type: a.type, ...(a.group_id ? { group_id: a.group_id } : {}), ...(a.priority ? { priority: a.priority } : {}) };
    case 'set_field':
      return { type: a.type, ...(a.field ? { field: a.field } : {}), value: a.value ?? '' };
    case 'notify':
      return { type: a.type, ...(a.to ? { to: a.to } : {}) };
  }
}

/** A rule as it is sent: the trigger's parameter only where it applies, clean conditions and actions. */
export function cleanRule(r: Rule): Rule {
  const out: Rule = {
    ...(r.id ? { id: r.id } : {}),
    name: r.name.trim(),
    active: r.active,
    trigger: r.trigger,
    conditions: r.conditions.map(cleanCondition),
    actions: r.actions.map(cleanRuleAction),
  };
  if (r.trigger === 'status_changed' && r.status) out.status = r.status;
  if (r.trigger === 'field_changed' && r.field) out.field = r.field;
  return out;
}

export interface RuleProblem {
  key: MessageKey;
  vars?: Record<string, string | number>;
}

/** Everything wrong with one rule, given the type's fields and status codes. */
export function ruleProblems(r: Rule, fields: readonly FieldDef[], statuses: readonly string[]): RuleProblem[] {
  const out: RuleProblem[] = [];
  const known = (f: string) => (TICKET_PROPERTIES as readonly string[]).includes(f) || fields.some((x) => x.code === f);
  const n = [...r.name.trim()].length;
  if (n < 1 || n > 64) out.push({ key: 'tkcfg.problem.ruleName' });
  if (r.actions.length === 0 || r.actions.length > 10 || r.conditions.length > 20) out.push({ key: 'tkcfg.problem.ruleSize' });
  if (r.trigger === 'field_changed' && !(r.field && fields.some((x) => x.code === r.field))) {
    out.push({ key: 'tkcfg.problem.ruleTriggerField' });
  }
  if (r.trigger === 'status_changed' && r.status && !statuses.includes(r.status)) out.push({ key: 'tkcfg.problem.ruleTriggerStatus' });
  for (const c of r.conditions) {
    if (!known(c.field)) out.push({ key: 'tkcfg.problem.ruleConditionField', vars: { field: c.field || '—' } });
    else if (opNeedsValue(c.op) && !(c.value ?? '').trim()) out.push({ key: 'tkcfg.problem.ruleConditionValue', vars: { field: c.field } });
  }
  for (const a of r.actions) {
    if (actionNeedsGroup(a.type) && !a.group_id) out.push({ key: 'tkcfg.problem.ruleGroup' });
    if (a.type === 'notify' && !a.to) out.push({ key: 'tkcfg.problem.ruleNotify' });
    if (a.type === 'set_field') {
      const f = fields.find((x) => x.code === a.field);
      if (!f) out.push({ key: 'tkcfg.problem.ruleSetField' });
      else if (!valueValid(f, a.value ?? '')) out.push({ key: 'tkcfg.problem.ruleSetValue', vars: { field: f.label } });
    }
  }
  return out;
}
