// Types of the ticket center, mirroring docs/api-v1.md, "# Tickets (issue #5)".

export type FieldType =
  | 'text'
  | 'long_text'
  | 'number'
  | 'date'
  | 'datetime'
  | 'single_select'
  | 'multi_select'
  | 'cascade'
  | 'phone'
  | 'email'
  | 'address'
  | 'member'
  | 'attachment';

export const FIELD_TYPES: readonly FieldType[] = [
  'text', 'long_text', 'number', 'date', 'datetime', 'single_select', 'multi_select', 'cascade', 'phone', 'email',
  'address', 'member', 'attachment',
];

export interface FieldOption {
  value: string;
  label: string;
  children?: FieldOption[];
}

/** A value as the API carries it in `fields`. */
export type FieldValue = string | number | string[] | null;

export interface FieldDef {
  code: string;
  label: string;
  kind: 'system' | 'business' | 'custom';
  type: FieldType;
  required: boolean;
  options?: FieldOption[];
  default?: FieldValue;
}

export type StatusCategory = 'open' | 'pending' | 'closed';

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
  assign_group_id?: string | null;
}

export interface Workflow {
  initial: string;
  statuses: WorkflowStatus[];
  actions: WorkflowAction[];
}

export interface TicketType {
  id: string;
  name: string;
  description: string | null;
  active: boolean;
  version: number;
  fields: FieldDef[];
  workflow: Workflow;
  rules?: unknown[];
}

export interface TicketCategory {
  id: string;
  name: string;
  parent_id: string | null;
  position: number;
}

export type FieldWidth = 'half' | 'full';

export interface TemplateField {
  code: string;
  width: FieldWidth;
}

export interface TicketTemplate {
  id: string;
  type_id: string;
  name: string;
  fields: TemplateField[];
}

export type TicketTab = 'unassigned' | 'processing' | 'transferred' | 'completed' | 'cc' | 'created' | 'all';
export const TICKET_TABS: readonly TicketTab[] = ['unassigned', 'processing', 'transferred', 'completed', 'cc', 'created', 'all'];

export type FlagColor = 'red' | 'orange' | 'yellow' | 'green' | 'blue' | 'purple';
export const FLAG_COLORS: readonly FlagColor[] = ['red', 'orange', 'yellow', 'green', 'blue', 'purple'];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

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

export interface TicketSort {
  field: string;
  desc: boolean;
}

export interface TicketView {
  id: string;
  name: string;
  shared: boolean;
  owner_id: string;
  /** The list parameters as an object (`q`, `status`, `f.<code>`…, and here also `tab`). */
  filters: Record<string, unknown>;
  columns: string[];
  sort: TicketSort | null;
}

export interface NewTicketView {
  name: string;
  shared: boolean;
  filters: Record<string, string>;
  columns: string[];
  sort: TicketSort | null;
}

export interface TicketRow {
  id: string;
  number: string;
  title: string;
  status: string;
  status_category: StatusCategory;
  priority: string | null;
  type_id: string;
  group_id: string | null;
  assignee_id: string | null;
  customer: string | null;
  phone: string | null;
  created_at: string;
  updated_at: string;
  due_at: string | null;
  flag: FlagColor | null;
}

export interface TicketPage {
  items: TicketRow[];
  next_cursor: string | null;
}

export type TicketCounts = Partial<Record<TicketTab, number>>;

export interface Reminder {
  id: string;
  ticket_id: string;
  at: string;
  note: string | null;
  /** Served beyond the contract: the reminder has gone off. */
  fired?: boolean;
}

export interface TicketActionOption {
  code: string;
  label: string;
  to: string;
  requires_note: boolean;
  required_fields: string[];
}

export interface TicketCan {
  claim: boolean;
  transfer: boolean;
  edit: boolean;
  cc: boolean;
  reopen: boolean;
}

export interface Ticket {
  id: string;
  number: string;
  type_id: string;
  template_id: string | null;
  category_id: string | null;
  status: string;
  /** Served beyond the contract: the status's label in the type's workflow. */
  status_label?: string;
  status_category: StatusCategory;
  group_id: string | null;
  assignee_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  version: number;
  fields: Record<string, FieldValue>;
  contact_ids: string[];
  cc: string[];
  flag: FlagColor | null;
  reminders: Reminder[];
  actions: TicketActionOption[];
  can: TicketCan;
}

export interface NewTicket {
  type_id: string;
  template_id?: string;
  category_id?: string;
  group_id?: string;
  assignee_id?: string;
  contact_id?: string;
  fields: Record<string, FieldValue>;
}

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

export interface TrailEntry {
  seq: number;
  at: string;
  actor_id: string | null;
  action: TrailAction | string;
  detail: Record<string, unknown> | null;
}

export interface ImportParams {
  type_id: string;
  template_id?: string;
  category_id?: string;
}
