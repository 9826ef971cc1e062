// Template layouts: an ordered choice of a type's fields, each half or full width, shown on a
// two-column grid. `title` is always part of a template. Pure, unit-tested.
import type { FieldDef, FieldType, FieldWidth, LayoutItem } from '../../tickets/types';
import { moveItem } from './definition';

/** Long inputs default to the full width. */
export const defaultWidth = (type: FieldType): FieldWidth =>
  type === 'long_text' || type === 'address' || type === 'attachment' ? 'full' : 'half';

/** A new template's layout: the title and every other required field. */
export function starterLayout(fields: readonly FieldDef[]): LayoutItem[] {
  const out: LayoutItem[] = [{ code: 'title', width: 'full' }];
  for (const f of fields) {
    if (f.code !== 'title' && f.required) out.push({ code: f.code, width: defaultWidth(f.type) });
  }
  return out;
}

/** The layout with the title (first, full) when it is missing, unknown fields and repeats dropped. */
export function normalizeLayout(items: readonly LayoutItem[], fields: readonly FieldDef[]): LayoutItem[] {
  const seen = new Set<string>();
  const out: LayoutItem[] = [];
  for (const i of items) {
    if (seen.has(i.code) || !fields.some((f) => f.code === i.code)) continue;
    seen.add(i.code);
    out.push({ code: i.code, width: i.width === 'half' ? 'half' : 'full' });
  }
  if (!seen.has('title')) out.unshift({ code: 'title', width: 'full' });
  return out;
}

export function addToLayout(items: readonly LayoutItem[], f: FieldDef): LayoutItem[] {
  if (items.some((i) => i.code === f.code)) return [...items];
  return [...items, { code: f.code, width: defaultWidth(f.type) }];
}

/** Removes a field from the layout; the title stays. */
export function removeFromLayout(items: readonly LayoutItem[], code: string): LayoutItem[] {
  return code === 'title' ? [...items] : items.filter((i) => i.code !== code);
}

export function moveInLayout(items: readonly LayoutItem[], index: number, delta: number): LayoutItem[] {
  return moveItem(items, index, delta);
}

export function setWidth(items: readonly LayoutItem[], code: string, width: FieldWidth): LayoutItem[] {
  return items.map((i) => (i.code === code ? { ...i, width } : i));
}

/** The type's fields not in the layout yet, in the type's order. */
export function unusedFields(items: readonly LayoutItem[], fields: readonly FieldDef[]): FieldDef[] {
  return fields.filter((f) => !items.some((i) => i.code === f.code));
}

/**
 * The rows of the two-column form, as a grid flowing in order fills them: a full item takes a row
 * of its own (closing a half-filled row, which keeps an empty cell); two halves share a row.
 */
export function layoutRows(items: readonly LayoutItem[]): LayoutItem[][] {
  const rows: LayoutItem[][] = [];
  let open: LayoutItem[] | null = null;
  for (const i of items) {
    if (i.width === 'full') {
      open = null;
      rows.push([i]);
    } else if (open && open.length === 1) {
      open.push(i);
      open = null;
    } else {
      open = [i];
      rows.push(open);
    }
  }
  return rows;
}
