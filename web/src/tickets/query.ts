// List parameters: filters ↔ query string ↔ saved-view objects (pure).
import type { Lang } from '../i18n';
import type { FlagColor, StatusCategory, TicketFilters, TicketSort, TicketTab } from './types';
import { FLAG_COLORS, TICKET_TABS } from './types';

/** The scalar filters, in the order they go into a query string. */
const SCALAR_KEYS = [
  'q', 'text', 'status', 'status_category', 'type_id', 'category_id', 'group_id', 'assignee_id', 'priority',
  'created_from', 'created_to', 'flag',
] as const;
type ScalarKey = (typeof SCALAR_KEYS)[number];

const clean = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/** Filters as `[name, value]` pairs: empty values dropped, `fields` as `f.<code>`. */
export function filterPairs(filters: TicketFilters): [string, string][] {
  const out: [string, string][] = [];
  for (const k of SCALAR_KEYS) {
    const v = clean(filters[k]);
    if (v) out.push([k, v]);
  }
  for (const [code, value] of Object.entries(filters.fields ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const v = clean(value);
    if (v) out.push([`f.${code}`, v]);
  }
  return out;
}

export interface ListQuery {
  tab?: TicketTab;
  filters: TicketFilters;
  sort?: TicketSort | null;
  cursor?: string | null;
  limit?: number;
}

/**
 * Sort keys of `GET /tickets?sort=` by list column. The contract names `sort` without its
 * values; the server takes `created` (default, newest first), `updated`, `due` and `number`.
 */
const SORT_BY_COLUMN: Record<string, string> = { number: 'number', created_at: 'created', updated_at: 'updated', due_at: 'due' };

/** The sort key for a list column, or null when the list cannot be sorted by it. */
export function sortKeyOfColumn(column: string): string | null {
  return SORT_BY_COLUMN[column] ?? null;
}

/** The list column a sort key orders by. */
export function columnOfSortKey(key: string | null | undefined): string | null {
  return Object.entries(SORT_BY_COLUMN).find(([, k]) => k === key)?.[0] ?? null;
}

/** The query string of `GET /tickets` (without `?`). */
export function listQueryString({ tab, filters, sort, cursor, limit }: ListQuery): string {
  const p = new URLSearchParams();
  if (tab) p.set('tab', tab);
  for (const [k, v] of filterPairs(filters)) p.append(k, v);
  if (sort?.field && columnOfSortKey(sort.field)) {
    p.set('sort', sort.field);
    p.set('desc', sort.desc ? 'true' : 'false');
  }
  if (cursor) p.set('cursor', cursor);
  if (limit) p.set('limit', String(Math.min(200, Math.max(1, Math.floor(limit)))));
  return p.toString();
}

/** The query string of `GET /tickets/export`. */
/** The export's query: the file format, the user's language (column names, labels), then the list's query. */
export function exportQueryString(format: 'xlsx' | 'csv', lang: Lang, tab: TicketTab | undefined, filters: TicketFilters, sort?: TicketSort | null): string {
  const p = new URLSearchParams();
  p.set('format', format);
  p.set('lang', lang);
  const rest = listQueryString({ tab, filters, sort });
  return rest ? `${p.toString()}&${rest}` : p.toString();
}

/** How many filters are set (the badge on the "advanced filter" button); q and text have their own boxes. */
export function activeFilterCount(filters: TicketFilters): number {
  return filterPairs(filters).filter(([k]) => k !== 'q' && k !== 'text').length;
}

export function isTab(v: unknown): v is TicketTab {
  return typeof v === 'string' && (TICKET_TABS as readonly string[]).includes(v);
}

/** A saved view's `filters` object: the list parameters, plus the tab it was saved on. */
export function viewFilters(tab: TicketTab | undefined, filters: TicketFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (tab) out.tab = tab;
  for (const [k, v] of filterPairs(filters)) out[k] = v;
  return out;
}

/** Read a saved view's `filters` object back; unknown keys and non-text values are ignored. */
export function fromViewFilters(obj: Record<string, unknown> | null | undefined): { tab?: TicketTab; filters: TicketFilters } {
  const filters: TicketFilters = {};
  let tab: TicketTab | undefined;
  if (!obj || typeof obj !== 'object') return { filters };
  for (const [k, raw] of Object.entries(obj)) {
    const v = Array.isArray(raw) ? clean(raw[0]) : clean(raw);
    if (!v) continue;
    if (k === 'tab') {
      if (isTab(v)) tab = v;
    } else if (k.startsWith('f.') && k.length > 2) {
      filters.fields = { ...(filters.fields ?? {}), [k.slice(2)]: v };
    } else if ((SCALAR_KEYS as readonly string[]).includes(k)) {
      if (k === 'flag' && !(FLAG_COLORS as readonly string[]).includes(v)) continue;
      if (k === 'status_category' && !['open', 'pending', 'closed'].includes(v)) continue;
      setScalar(filters, k as ScalarKey, v);
    }
  }
  return { tab, filters };
}

function setScalar(filters: TicketFilters, k: ScalarKey, v: string) {
  if (k === 'flag') filters.flag = v as FlagColor;
  else if (k === 'status_category') filters.status_category = v as StatusCategory;
  else filters[k] = v;
}

/** Drop empty entries (e.g. after the drawer cleared a field). */
export function compactFilters(filters: TicketFilters): TicketFilters {
  return fromViewFilters(viewFilters(undefined, filters)).filters;
}

/** A file name for an export: `tickets-20261121-0930.xlsx` (local time). */
export function exportFileName(format: 'xlsx' | 'csv', now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}`;
  return `tickets-${stamp}.${format}`;
}
