// The ticket endpoints of docs/api-v1.md, "# Tickets (issue #5)".
import { api, fetchBlob } from '../api/client';
import type { ImportResult } from '../api/types';
import type { Lang } from '../i18n';
import { exportQueryString, listQueryString, type ListQuery } from './query';
import type {
  FieldValue, FlagColor, ImportParams, NewTicket, NewTicketView, Reminder, Ticket, TicketCategory, TicketCounts,
  TicketCall, TicketFilters, TicketPage, TicketSort, TicketTab, TicketTemplate, TicketType, TicketView, TrailEntry,
} from './types';

const enc = encodeURIComponent;

function importQuery(p: ImportParams): string {
  const q = new URLSearchParams();
  q.set('type_id', p.type_id);
  if (p.template_id) q.set('template_id', p.template_id);
  if (p.category_id) q.set('category_id', p.category_id);
  return q.toString();
}

export const ticketsApi = {
  // configuration (read)
  categories: () => api.get<TicketCategory[]>('/ticket-categories'),
  types: () => api.get<TicketType[]>('/ticket-types'),
  type: (id: string) => api.get<TicketType>(`/ticket-types/${enc(id)}`),
  templates: (typeId?: string) => api.get<TicketTemplate[]>(typeId ? `/ticket-templates?type_id=${enc(typeId)}` : '/ticket-templates'),

  // saved views
  views: () => api.get<TicketView[]>('/ticket-views'),
  createView: (v: NewTicketView) => api.post<TicketView>('/ticket-views', v),
  deleteView: (id: string) => api.del(`/ticket-views/${enc(id)}`),

  // lists
  list: (q: ListQuery) => api.get<TicketPage>(`/tickets?${listQueryString(q)}`),
  counts: () => api.get<TicketCounts>('/tickets/counts'),
  exportFile: (format: 'xlsx' | 'csv', lang: Lang, tab: TicketTab | undefined, filters: TicketFilters, sort?: TicketSort | null) =>
    fetchBlob(`/tickets/export?${exportQueryString(format, lang, tab, filters, sort)}`),

  // one ticket
  get: (id: string) => api.get<Ticket>(`/tickets/${enc(id)}`),
  create: (t: NewTicket) => api.post<Ticket>('/tickets', t),
  prefill: (contactId: string, typeId: string) =>
    // The server builds the prefill as free JSON (the document has only `object`).
    api.get<{ fields: Record<string, FieldValue> }>(`/tickets/prefill?contact_id=${enc(contactId)}&type_id=${enc(typeId)}`),
  edit: (id: string, version: number, fields: Record<string, FieldValue>, categoryId?: string | null) =>
    api.patch<Ticket>(`/tickets/${enc(id)}`, categoryId !== undefined ? { version, fields, category_id: categoryId } : { version, fields }),
  claim: (id: string) => api.post<Ticket>(`/tickets/${enc(id)}/claim`),
  transfer: (id: string, to: { group_id: string } | { assignee_id: string }, note: string) =>
    api.post<Ticket>(`/tickets/${enc(id)}/transfer`, { ...to, note }),
  act: (id: string, code: string, body: { note?: string; fields?: Record<string, FieldValue>; version?: number }) =>
    api.post<Ticket>(`/tickets/${enc(id)}/actions/${enc(code)}`, body),
  reopen: (id: string, note: string) => api.post<Ticket>(`/tickets/${enc(id)}/reopen`, { note }),
  addNote: (id: string, text: string) => api.post<TrailEntry>(`/tickets/${enc(id)}/notes`, { text }),
  addCc: (id: string, userId: string) => api.post<Ticket>(`/tickets/${enc(id)}/cc`, { user_id: userId }),
  removeCc: (id: string, userId: string) => api.del<Ticket>(`/tickets/${enc(id)}/cc/${enc(userId)}`),
  setFlag: (id: string, color: FlagColor | null) => api.put<void>(`/tickets/${enc(id)}/flag`, { color }),
  addReminder: (id: string, at: string, note?: string) =>
    api.post<Reminder>(`/tickets/${enc(id)}/reminders`, note ? { at, note } : { at }),
  deleteReminder: (id: string, reminderId: string) => api.del(`/tickets/${enc(id)}/reminders/${enc(reminderId)}`),
  linkContact: (id: string, contactId: string) => api.post<Ticket>(`/tickets/${enc(id)}/contacts`, { contact_id: contactId }),
  trail: (id: string) => api.get<TrailEntry[]>(`/tickets/${enc(id)}/trail`),
  calls: (id: string) => api.get<TicketCall[]>(`/tickets/${enc(id)}/calls`),

  // import
  importTemplate: (p: ImportParams) => fetchBlob(`/tickets/import-template?${importQuery(p)}`),
  import: (p: ImportParams, file: File) => {
    const fd = new FormData();
    fd.append('file', file, file.name);
    return api.post<ImportResult>(`/tickets/import?${importQuery(p)}`, fd);
  },
};
