// The ticket category tree from the flat list the API gives (by parent_id, ordered by position).
// Pure, unit-tested.
import type { TicketCategory } from './types';

export interface CategoryNode {
  key: string;
  category: TicketCategory;
  children: CategoryNode[];
}

const byPosition = (a: TicketCategory, b: TicketCategory) => a.position - b.position || a.name.localeCompare(b.name);

/** Roots and their children, each level by position; a category whose parent is missing is a root. */
export function categoryTree(list: readonly TicketCategory[]): CategoryNode[] {
  const ids = new Set(list.map((c) => c.id));
  const build = (parent: string | null): CategoryNode[] =>
    list
      .filter((c) => (parent === null ? c.parent_id === null || !ids.has(c.parent_id) : c.parent_id === parent))
      .sort(byPosition)
      .map((c) => ({ key: c.id, category: c, children: build(c.id) }));
  return build(null);
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

/** "Parent / Child / Grandchild" for a category. */
export function categoryPath(list: readonly TicketCategory[], id: string): string {
  const names: string[] = [];
  let cur = list.find((c) => c.id === id);
  const seen = new Set<string>();
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    names.unshift(cur.name);
    const parent = cur.parent_id;
    cur = parent ? list.find((c) => c.id === parent) : undefined;
  }
  return names.join(' / ');
}

/** Antd TreeSelect data for a parent picker, without the `exclude`d ids. */
export interface TreeSelectNode {
  value: string;
  title: string;
  children: TreeSelectNode[];
}

export function parentTreeData(list: readonly TicketCategory[], exclude: readonly string[] = []): TreeSelectNode[] {
  const toNode = (n: CategoryNode): TreeSelectNode | null =>
    exclude.includes(n.key)
      ? null
      : { value: n.key, title: n.category.name, children: n.children.map(toNode).filter((x): x is TreeSelectNode => x !== null) };
  return categoryTree(list).map(toNode).filter((x): x is TreeSelectNode => x !== null);
}
