// The ticket category tree (pure, unit-tested), shared by the ticket center and the category
// admin page: `GET /ticket-categories` is a flat list linked by `parent_id`.
import type { TicketCategory } from './types';

/** A category and its sub-categories, for antd Tree. */
export interface CategoryNode {
  key: string;
  category: TicketCategory;
  children: CategoryNode[];
}

/** A node of antd TreeSelect data (no `children` on a leaf). */
export interface TreeSelectNode {
  value: string;
  title: string;
  children?: TreeSelectNode[];
}

const byPosition = (a: TicketCategory, b: TicketCategory) =>
  a.position - b.position || a.name.localeCompare(b.name, 'zh-CN');

/**
 * Roots and their children, each level by `position` then name. A category whose parent is
 * missing is a root; anything in a parent cycle (never reached from a root) is shown at the top
 * level too, so every category appears exactly once.
 */
export function categoryNodes(list: readonly TicketCategory[]): CategoryNode[] {
  const ids = new Set(list.map((c) => c.id));
  const kids = new Map<string | null, TicketCategory[]>();
  for (const c of list) {
    const parent = c.parent_id && ids.has(c.parent_id) && c.parent_id !== c.id ? c.parent_id : null;
    kids.set(parent, [...(kids.get(parent) ?? []), c]);
  }
  const placed = new Set<string>();
  const build = (parent: string | null): CategoryNode[] =>
    [...(kids.get(parent) ?? [])]
      .sort(byPosition)
      .filter((c) => !placed.has(c.id))
      .map((c) => {
        placed.add(c.id);
        return { key: c.id, category: c, children: build(c.id) };
      });
  const roots = build(null);
  for (const c of list) {
    if (!placed.has(c.id)) {
      placed.add(c.id);
      roots.push({ key: c.id, category: c, children: [] });
    }
  }
  return roots;
}

/** TreeSelect data of the whole tree, without the `exclude`d ids (and what is below them). */
export function categoryTree(list: readonly TicketCategory[], exclude: readonly string[] = []): TreeSelectNode[] {
  const convert = (nodes: CategoryNode[]): TreeSelectNode[] =>
    nodes
      .filter((n) => !exclude.includes(n.key))
      .map((n) => {
        const children = convert(n.children);
        return children.length ? { value: n.key, title: n.category.name, children } : { value: n.key, title: n.category.name };
      });
  return convert(categoryNodes(list));
}

/** "Parent / Child / Grandchild" for a category id ('' when unknown). */
export function categoryPath(list: readonly TicketCategory[], id: string | null | undefined): string {
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

/** The ids of a category's descendants (not itself). */
export function descendants(list: readonly TicketCategory[], id: string): string[] {
  const out: string[] = [];
  const walk = (parent: string) => {
    for (const c of list) {
      if (c.parent_id === parent && !out.includes(c.id)) {
        out.push(c.id);
        walk(c.id);
      }
    }
  };
  walk(id);
  return out;
}

/** Where a category may move: anywhere but itself and its own descendants. */
export function allowedParents(list: readonly TicketCategory[], id: string): TicketCategory[] {
  const banned = new Set([id, ...descendants(list, id)]);
  return list.filter((c) => !banned.has(c.id));
}

/** The position after the last child of `parent` (null: the roots). */
export function nextPosition(list: readonly TicketCategory[], parent: string | null, except?: string): number {
  const siblings = list.filter((c) => c.parent_id === parent && c.id !== except);
  return siblings.length ? Math.max(...siblings.map((c) => c.position)) + 1 : 0;
}
