// Ticket configuration shapes, mirroring docs/api-v1.md "# Tickets (issue #5)" and
// crates/server/src/api/tickets/schema.rs (the JSON of a type's definition).

export type FieldType =
  | 'text' | 'long_text' | 'number' | 'date' | 'datetime' | 'single_select' | 'multi_select' | 'cascade'
  | 'phone' | 'email' | 'address' | 'member' | 'attachment';

/** Every field type, in the order the editor offers them. */
export const FIELD_TYPES: readonly FieldType[] = [
  'text', 'long_text', 'number', 'date', 'datetime', 'single_select', 'multi_select', 'cascade', 'phone', 'email',
  'address', 'member', 'attachment',
];

export type FieldKind = 'system' | 'business' | 'custom';

export interface FieldOption {
  value: string;
  label: string;
  /** Only for cascade fields. */
  children?: FieldOption[];
}

/** A default as the API carries it: text, a number, or a list (multi-select, cascade). */
export type DefaultValue = string | number | string[];

export interface FieldDef {
  code: string;
  label: string;
  kind: FieldKind;
  type: FieldType;
  required: boolean;
  options?: FieldOption[];
  default?: DefaultValue;
}

export type StatusCategory = 'open' | 'pending' | 'closed';
export const STATUS_CATEGORIES: readonly StatusCategory[] = ['open', 'pending', 'closed'];

export interface WorkflowStatus {
  code: string;
  label: string;
  category: StatusCategory;
}

export interface WorkflowAction {
  code: string;
  label: string;
  from: string[];
  to: string;
  requires_note: boolean;
  required_fields: string[];
  assign_group_id?: string;
}

export interface Workflow {
  initial: string;
  statuses: WorkflowStatus[];
  actions: WorkflowAction[];
}

export type Trigger = 'created' | 'status_changed' | 'field_changed' | 'due';
export const TRIGGERS: readonly Trigger[] = ['created', 'status_changed', 'field_changed', 'due'];

export type ConditionOp = 'eq' | 'ne' | 'in' | 'contains' | 'empty' | 'not_empty' | 'gt' | 'lt';
export const CONDITION_OPS: readonly ConditionOp[] = ['eq', 'ne', 'in', 'contains', 'empty', 'not_empty', 'gt', 'lt'];

export interface Condition {
  /** A field code, or `status`, `group_id`, `assignee_id`. */
  field: string;
  op: ConditionOp;
  value?: string;
}

export type RuleActionType = 'assign_group' | 'assign_round_robin' | 'set_field' | 'notify' | 'escalate';
export const RULE_ACTION_TYPES: readonly RuleActionType[] = ['assign_group', 'assign_round_robin', 'set_field', 'notify', 'escalate'];

export type NotifyTarget = 'assignee' | 'creator' | 'group';
export const NOTIFY_TARGETS: readonly NotifyTarget[] = ['assignee', 'creator', 'group'];

export interface RuleAction {
  type: RuleActionType;
  group_id?: string;
  field?: string;
  value?: string;
  to?: NotifyTarget;
  priority?: string;
}

export interface Rule {
  /** Kept across saves; the server gives one when missing. */
  id?: string;
  name: string;
  active: boolean;
  trigger: Trigger;
  status?: string;
  field?: string;
  conditions: Condition[];
  actions: RuleAction[];
}

export interface TicketType {
  id: string;
  name: string;
  description: string;
  active: boolean;
  version: number;
  fields: FieldDef[];
  workflow: Workflow;
  rules: Rule[];
}

/** The body of `PUT /ticket-types/{id}`: the whole type with the version it was read at. */
export type TicketTypeInput = Omit<TicketType, 'id'>;

export interface TicketCategory {
  id: string;
  name: string;
  parent_id: string | null;
  position: number;
}

export type FieldWidth = 'half' | 'full';

export interface LayoutItem {
  code: string;
  width: FieldWidth;
}

export interface TicketTemplate {
  id: string;
  type_id: string;
  name: string;
  fields: LayoutItem[];
}

export interface TemplateInput {
  type_id: string;
  name: string;
  fields: LayoutItem[];
}
