// What a ticket's detail offers (pure): buttons from the server's `actions` and `can`, the
// inputs a workflow action asks for, and status labels and colours from the type's workflow.
import type { FieldDef, FieldValue, StatusCategory, Ticket, TicketActionOption, TicketType } from './types';
import { checkValue, type FieldProblem } from './fields';

export const NOTE_MAX = 4000;
export const TRANSFER_NOTE_MAX = 1000;
export const REOPEN_NOTE_MAX = 1000;
export const REMINDER_NOTE_MAX = 500;
export const VIEW_NAME_MAX = 64;

export interface TicketButtons {
  claim: boolean;
  transfer: boolean;
  edit: boolean;
  cc: boolean;
  reopen: boolean;
  /** Follow-up notes: anyone who sees the ticket. */
  note: boolean;
  /** Workflow actions the server says I may do now, in its order. */
  workflow: TicketActionOption[];
}

/** The buttons to show for a ticket: only what the server allows (`actions`, `can`). */
/** The buttons a ticket offers; `label` names each workflow action (in the user's language). */
export function ticketButtons(ticket: Pick<Ticket, 'actions' | 'can' | 'status_category'>, label: (a: TicketActionOption) => string = (a) => a.label): TicketButtons {
  const can = ticket.can ?? { claim: false, transfer: false, edit: false, cc: false, reopen: false };
  return {
    claim: !!can.claim,
    transfer: !!can.transfer,
    edit: !!can.edit,
    cc: !!can.cc,
    reopen: !!can.reopen && ticket.status_category === 'closed',
    note: true,
    workflow: (ticket.actions ?? []).filter((a) => a && typeof a.code === 'string').map((a) => ({ ...a, label: label(a) })),
  };
}

/** An action asks for input first when it needs a note or fields. */
export function actionNeedsDialog(a: Pick<TicketActionOption, 'requires_note' | 'required_fields'>): boolean {
  return !!a.requires_note || (a.required_fields?.length ?? 0) > 0;
}

/** The field definitions an action requires (as required inputs), in the action's order. */
export function actionFields(a: Pick<TicketActionOption, 'required_fields'>, type: Pick<TicketType, 'fields'> | undefined): FieldDef[] {
  const byCode = new Map((type?.fields ?? []).map((f) => [f.code, f]));
  const out: FieldDef[] = [];
  for (const code of a.required_fields ?? []) {
    const f = byCode.get(code);
    out.push(f ? { ...f, required: true } : { code, label: code, kind: 'custom', type: 'text', required: true });
  }
  return out;
}

export type ActionProblems = Record<string, FieldProblem>;

/** Check an action's note and fields like the server: a required note of 1-4000 characters, required fields not empty. */
export function checkActionInput(
  a: Pick<TicketActionOption, 'requires_note' | 'required_fields'>,
  fields: FieldDef[],
  note: string,
  values: Record<string, FieldValue>,
): ActionProblems {
  const out: ActionProblems = {};
  const n = note.trim();
  if (a.requires_note && !n) out.note = { key: 'tk.v.required' };
  else if ([...n].length > NOTE_MAX) out.note = { key: 'tk.v.maxChars', vars: { n: NOTE_MAX } };
  for (const f of fields) {
    const p = checkValue(f, values[f.code] ?? null);
    if (p) out[f.code] = p;
  }
  return out;
}

/** The body of `POST /tickets/{id}/actions/{code}`. */
export function actionBody(note: string, values: Record<string, FieldValue>, version: number): { note?: string; fields?: Record<string, FieldValue>; version: number } {
  const body: { note?: string; fields?: Record<string, FieldValue>; version: number } = { version };
  if (note.trim()) body.note = note.trim();
  if (Object.keys(values).length) body.fields = values;
  return body;
}

/** A status code's label in the type's workflow (the code itself when unknown). */
export function statusLabel(type: Pick<TicketType, 'workflow'> | undefined, code: string | null | undefined): string {
  if (!code) return '';
  return type?.workflow?.statuses?.find((s) => s.code === code)?.label ?? code;
}

/** A workflow action's label (the code when unknown). */
export function actionLabel(type: Pick<TicketType, 'workflow'> | undefined, code: string | null | undefined): string {
  if (!code) return '';
  return type?.workflow?.actions?.find((a) => a.code === code)?.label ?? code;
}

export const STATUS_COLORS: Record<StatusCategory, string> = { open: 'processing', pending: 'warning', closed: 'success' };

export const FLAG_HEX: Record<string, string> = {
  red: '#f5222d',
  orange: '#fa8c16',
  yellow: '#fadb14',
  green: '#52c41a',
  blue: '#1677ff',
  purple: '#722ed1',
};

export const PRIORITY_COLORS: Record<string, string> = { low: 'default', normal: 'blue', high: 'orange', urgent: 'red' };

/** Overdue: a due time in the past on a ticket that is not closed. */
export function isOverdue(dueAt: string | null | undefined, category: StatusCategory, nowMs: number = Date.now()): boolean {
  if (!dueAt || category === 'closed') return false;
  const t = Date.parse(dueAt);
  return Number.isFinite(t) && t < nowMs;
}

/** Reminders sorted by time, the next first. */
export function sortedReminders<T extends { at: string }>(list: T[] | null | undefined): T[] {
  return [...(list ?? [])].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
