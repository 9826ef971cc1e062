// Ticket events of the live socket (pure): `ticket.reminder {reminder_id, ticket_id, number,
// title, note, at}` and `ticket.notice {ticket_id, number, title, rule}`.
import type { LiveEvent } from '../api/types';

export interface TicketAlert {
  kind: 'reminder' | 'notice';
  /** Stable per alert: a repeated delivery replaces rather than stacks. */
  key: string;
  ticketId: string;
  number: string;
  title: string;
  note: string;
  rule: string;
  at: string;
}

const s = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export function ticketAlert(e: LiveEvent): TicketAlert | null {
  if (e.type !== 'ticket.reminder' && e.type !== 'ticket.notice') return null;
  const ticketId = s(e.ticket_id);
  if (!ticketId) return null;
  const kind = e.type === 'ticket.reminder' ? 'reminder' : 'notice';
  const rule = s(e.rule) || s((e.rule as { name?: unknown } | null)?.name);
  return {
    kind,
    key: kind === 'reminder' ? `ticket-reminder-${s(e.reminder_id) || ticketId}` : `ticket-notice-${ticketId}-${rule}`,
    ticketId,
    number: s(e.number),
    title: s(e.title),
    note: s(e.note),
    rule,
    at: s(e.at),
  };
}

/** Whether a live event should refresh ticket lists and counts. */
export function touchesTickets(e: LiveEvent): boolean {
  return e.type.startsWith('ticket.');
}

/** The ticket's page inside the SPA. */
export const ticketPath = (id: string) => `/tickets/${encodeURIComponent(id)}`;
