// The ticket types, for the ticket center and the ticket configuration pages alike. Wire types
// are aliases of the generated `components['schemas']` (see ../api/types.ts); the list
// parameters, tabs and the value lists the UI offers are the UI's own.
import type { components } from '../api/schema.gen';

type Schemas = components['schemas'];

// ---- A type's definition: fields, workflow, rules ----
//
// The server reads and writes a definition with the same structs, so the document marks what
// it fills in on input (`#[serde(default)]`) as optional, though every response has it. The
// editor works on definitions as read; `Written` says which properties are always there.

/** `T` with the properties `K` always present. */
type Written<T, K extends keyof T> = T & { [P in K]-?: Exclude<T[P], undefined> };

export type FieldDef = Written<Schemas['FieldJson'], 'kind' | 'required'>;
export type FieldType = FieldDef['type'];
export type FieldKind = FieldDef['kind'];
export type FieldOption = Schemas['OptionJson'];
/** A value as the API carries it in `fields`: text, a number, a list, or null to clear it. */
export type FieldValue = Schemas['TicketOut']['fields'][string];
/** A field's default: text, a number, or a list (multi-select, cascade). */
export type DefaultValue = NonNullable<FieldDef['default']>;

/** Every field type, in the order the editor offers them. */
export const FIELD_TYPES: readonly FieldType[] = [
  'text', 'long_text', 'number', 'date', 'datetime', 'single_select', 'multi_select', 'cascade', 'phone', 'email',
  'address', 'member', 'attachment',
];

export type WorkflowStatus = Schemas['StatusJson'];
export type WorkflowAction = Written<Schemas['ActionJson'], 'requires_note' | 'required_fields'>;
export type Workflow = Omit<Schemas['WorkflowJson'], 'actions'> & { actions: WorkflowAction[] };
export type StatusCategory = WorkflowStatus['category'];
export const STATUS_CATEGORIES: readonly StatusCategory[] = ['open', 'pending', 'closed'];

export type Rule = Written<Schemas['RuleJson'], 'active' | 'conditions'>;
export type Trigger = Rule['trigger'];
export const TRIGGERS: readonly Trigger[] = ['created', 'status_changed', 'field_changed', 'due'];
export type Condition = Schemas['ConditionJson'];
export type ConditionOp = Condition['op'];
export const CONDITION_OPS: readonly ConditionOp[] = ['eq', 'ne', 'in', 'contains', 'empty', 'not_empty', 'gt', 'lt'];
export type RuleAction = Schemas['RuleActionJson'];
export type RuleActionType = RuleAction['type'];
export const RULE_ACTION_TYPES: readonly RuleActionType[] = ['assign_group', 'assign_round_robin', 'set_field', 'notify', 'escalate'];
export type NotifyTarget = NonNullable<RuleAction['to']>;
export const NOTIFY_TARGETS: readonly NotifyTarget[] = ['assignee', 'creator', 'group'];

export type TicketType = Omit<Schemas['TicketTypeOut'], 'fields' | 'workflow' | 'rules'> & {
  fields: FieldDef[];
  workflow: Workflow;
  rules: Rule[];
};
/** The body of `POST /ticket-types` and `PUT /ticket-types/{id}` (PUT: with the version it was read at). */
export type TicketTypeInput = Schemas['TicketTypeIn'];

export type TicketCategory = Schemas['CategoryOut'];
export type CategoryInput = Schemas['CategoryIn'];

export type LayoutItem = Written<Schemas['LayoutItem'], 'width'>;
export type FieldWidth = LayoutItem['width'];
export type TicketTemplate = Omit<Schemas['TemplateOut'], 'fields'> & { fields: LayoutItem[] };
export type TemplateInput = Schemas['TemplateIn'];

// ---- Tickets ----

export type Ticket = Schemas['TicketOut'];
export type NewTicket = Schemas['NewTicket'];
export type TicketActionOption = Schemas['ActionOut'];
export type TicketCan = Schemas['CanOut'];
/** A call of a contact the ticket links (`GET /tickets/{id}/calls`). */
export type TicketCall = Schemas['TicketCallOut'];
export type Reminder = Schemas['ReminderOut'];
export type TicketRow = Schemas['TicketRowOut'];
export type TicketPage = Schemas['TicketPage'];
export type TrailEntry = Schemas['TrailOut'];

export type FlagColor = NonNullable<Ticket['flag']>;
export const FLAG_COLORS: readonly FlagColor[] = ['red', 'orange', 'yellow', 'green', 'blue', 'purple'];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

/** The trail's action codes the UI describes (others are shown as they come). */
export type TrailAction =
  | 'created'
  | 'imported'
  | 'edited'
  | 'note'
  | 'claimed'
  | 'transferred'
  | 'status'
  | 'reopened'
  | 'cc_added'
  | 'cc_removed'
  | 'contact_linked'
  | 'rule'
  | 'reminded';

export const TRAIL_ACTIONS: readonly TrailAction[] = [
  'created', 'imported', 'edited', 'note', 'claimed', 'transferred', 'status', 'reopened', 'cc_added', 'cc_removed',
  'contact_linked', 'rule', 'reminded',
];

// ---- Lists, views, counts: query parameters and free JSON, which the document cannot type ----

export type TicketTab = 'unassigned' | 'processing' | 'transferred' | 'completed' | 'cc' | 'created' | 'all';
export const TICKET_TABS: readonly TicketTab[] = ['unassigned', 'processing', 'transferred', 'completed', 'cc', 'created', 'all'];

/** `GET /tickets/counts`: per tab (the server builds it as free JSON). */
export type TicketCounts = Partial<Record<TicketTab, number>>;

/** The list filters (`GET /tickets` parameters besides tab, sort and paging). */
export interface TicketFilters {
  q?: string;
  text?: string;
  status?: string;
  status_category?: StatusCategory;
  type_id?: string;
  category_id?: string;
  group_id?: string;
  assignee_id?: string;
  priority?: string;
  created_from?: string;
  created_to?: string;
  flag?: FlagColor;
  /** `f.<code>` filters, keyed by field code. */
  fields?: Record<string, string>;
}

export type TicketSort = {
  field: string;
  desc: boolean;
};

/**
 * A saved view. The server keeps `filters` (the list parameters, and here also `tab`) and `sort`
 * as free JSON; the UI writes `sort` as `{field, desc}` or null, so it reads it back so.
 */
export type TicketView = Omit<Schemas['ViewOut'], 'sort'> & { sort: TicketSort | null };
export type NewTicketView = Omit<Schemas['ViewIn'], 'sort'> & { sort: TicketSort | null };

/** The query of `POST /tickets/import` and `GET /tickets/import-template`. */
export interface ImportParams {
  type_id: string;
  template_id?: string;
  category_id?: string;
}
