// The ticket configuration endpoints (`tickets.manage` to change; reads need `tickets.work`).
import { api } from '../../api/client';
import type { CategoryInput, TemplateInput, TicketCategory, TicketTemplate, TicketType, TicketTypeInput } from '../../tickets/types';

const enc = encodeURIComponent;

/** A category as this page saves it: always with its parent and position (the server resets a missing position to 0). */
export type CategorySave = CategoryInput & { parent_id: string | null; position: number };

export const ticketConfigApi = {
  categories: () => api.get<TicketCategory[]>('/ticket-categories'),
  createCategory: (c: CategorySave) => api.post<TicketCategory>('/ticket-categories', c),
  updateCategory: (id: string, c: CategorySave) => api.put<TicketCategory>(`/ticket-categories/${enc(id)}`, c),
  deleteCategory: (id: string) => api.del(`/ticket-categories/${enc(id)}`),

  types: () => api.get<TicketType[]>('/ticket-types'),
  type: (id: string) => api.get<TicketType>(`/ticket-types/${enc(id)}`),
  createType: (name: string, description: string) => api.post<TicketType>('/ticket-types', { name, description }),
  saveType: (id: string, t: TicketTypeInput) => api.put<TicketType>(`/ticket-types/${enc(id)}`, t),
  deleteType: (id: string) => api.del(`/ticket-types/${enc(id)}`),

  templates: (typeId?: string) =>
    api.get<TicketTemplate[]>(typeId ? `/ticket-templates?type_id=${enc(typeId)}` : '/ticket-templates'),
  createTemplate: (t: TemplateInput) => api.post<TicketTemplate>('/ticket-templates', t),
  updateTemplate: (id: string, t: TemplateInput) => api.put<TicketTemplate>(`/ticket-templates/${enc(id)}`, t),
  deleteTemplate: (id: string) => api.del(`/ticket-templates/${enc(id)}`),
};

/** The PUT body for a type: every part of it, so nothing falls back to the stored definition. */
export function typeInput(t: TicketType): TicketTypeInput {
  return {
    name: t.name,
    description: t.description ?? '',
    active: t.active,
    version: t.version,
    fields: t.fields,
    workflow: t.workflow,
    rules: t.rules ?? [],
  };
}
