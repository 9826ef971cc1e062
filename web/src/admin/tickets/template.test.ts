import { describe, expect, it } from 'vitest';
import { addToLayout, layoutRows, moveInLayout, normalizeLayout, removeFromLayout, setWidth, starterLayout, unusedFields } from './template';
import type { FieldDef, LayoutItem } from '../../tickets/types';

const f = (code: string, type: FieldDef['type'] = 'text', required = false): FieldDef => ({ code, label: code, kind: 'custom', type, required });
const fields = [f('title', 'text', true), f('description', 'long_text'), f('phone', 'phone'), f('level', 'single_select', true), f('address', 'address')];
const codes = (items: LayoutItem[]) => items.map((i) => `${i.code}:${i.width}`);

describe('template layouts', () => {
  it('start with the title and the required fields', () => {
    expect(codes(starterLayout(fields))).toEqual(['title:full', 'level:half']);
  });

  it('add, move, resize and remove; the title stays', () => {
    let l = starterLayout(fields);
    l = addToLayout(l, fields[4]);
    l = addToLayout(l, fields[4]);
    l = addToLayout(l, fields[2]);
    expect(codes(l)).toEqual(['title:full', 'level:half', 'address:full', 'phone:half']);
    l = moveInLayout(l, 3, -1);
    expect(codes(l)).toEqual(['title:full', 'level:half', 'phone:half', 'address:full']);
    l = setWidth(l, 'title', 'half');
    expect(l[0].width).toBe('half');
    expect(removeFromLayout(l, 'title')).toEqual(l);
    expect(codes(removeFromLayout(l, 'phone'))).toEqual(['title:half', 'level:half', 'address:full']);
    expect(unusedFields(l, fields).map((x) => x.code)).toEqual(['description']);
  });

  it('normalizes a stored layout', () => {
    expect(codes(normalizeLayout([{ code: 'phone', width: 'half' }, { code: 'ghost', width: 'full' }, { code: 'phone', width: 'full' }], fields)))
      .toEqual(['title:full', 'phone:half']);
  });

  it('flows into a two-column grid', () => {
    const rows = layoutRows([
      { code: 'title', width: 'full' },
      { code: 'a', width: 'half' },
      { code: 'b', width: 'half' },
      { code: 'c', width: 'half' },
      { code: 'd', width: 'full' },
      { code: 'e', width: 'half' },
    ]);
    expect(rows.map((r) => r.map((i) => i.code).join('+'))).toEqual(['title', 'a+b', 'c', 'd', 'e']);
  });
});
