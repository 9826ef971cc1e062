// The category tree (pure): `GET /ticket-categories` is a flat list linked by `parent_id`.
import type { TicketCategory } from './types';

export interface CategoryNode {
  value: string;
  title: string;
  children?: CategoryNode[];
}

/** Tree nodes for antd TreeSelect, siblings by `position` then name; orphans and cycles go to the root. */
export function categoryTree(list: TicketCategory[]): CategoryNode[] {
  const ids = new Set(list.map((c) => c.id));
  const kids = new Map<string | null, TicketCategory[]>();
  for (const c of list) {
    const parent = c.parent_id && ids.has(c.parent_id) && c.parent_id !== c.id ? c.parent_id : null;
    kids.set(parent, [...(kids.get(parent) ?? []), c]);
  }
  const placed = new Set<string>();
  const build = (parent: string | null): CategoryNode[] =>
    (kids.get(parent) ?? [])
      .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name, 'zh-CN'))
      .filter((c) => !placed.has(c.id))
      .map((c) => {
        placed.add(c.id);
        const children = build(c.id);
        return children.length ? { value: c.id, title: c.name, children } : { value: c.id, title: c.name };
      });
  const roots = build(null);
  // Anything in a parent cycle was never reached from the root: show it at the top level.
  for (const c of list) if (!placed.has(c.id)) {
    placed.add(c.id);
    roots.push({ value: c.id, title: c.name });
  }
  return roots;
}

/** "Parent / Child" for a category id ('' when unknown). */
export function categoryPath(list: TicketCategory[], id: string | null | undefined): string {
  if (!id) return '';
  const byId = new Map(list.map((c) => [c.id, c]));
  const names: string[] = [];
  const seen = new Set<string>();
  let cur = byId.get(id);
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    names.unshift(cur.name);
    cur = cur.parent_id ? byId.get(cur.parent_id) : undefined;
  }
  return names.join(' / ');
}
