import { describe, expect, it } from 'vitest';
import { allowedParents, categoryNodes, categoryPath, categoryTree, descendants, nextPosition } from './categories';
import type { TicketCategory } from './types';

const c = (id: string, parent: string | null, position: number, name = id): TicketCategory => ({ id, name, parent_id: parent, position });
const list = [c('svc', null, 0, '售后服务'), c('ret', 'svc', 0, '退换货'), c('ask', null, 1, '咨询'), c('rep', 'svc', 1, '维修'), c('deep', 'rep', 0, '屏幕')];

describe('category tree', () => {
  it('nests by parent and orders by position', () => {
    const tree = categoryNodes(list);
    expect(tree.map((n) => n.key)).toEqual(['svc', 'ask']);
    expect(tree[0].children.map((n) => n.key)).toEqual(['ret', 'rep']);
    expect(tree[0].children[1].children.map((n) => n.key)).toEqual(['deep']);
  });

  it('treats an orphan as a root', () => {
    expect(categoryNodes([c('x', 'missing', 0)]).map((n) => n.key)).toEqual(['x']);
  });

  it('a category cannot move into itself or below itself', () => {
    expect(descendants(list, 'svc').sort()).toEqual(['deep', 'rep', 'ret']);
    expect(allowedParents(list, 'svc').map((x) => x.id)).toEqual(['ask']);
    expect(allowedParents(list, 'rep').map((x) => x.id)).toEqual(['svc', 'ret', 'ask']);
    expect(categoryTree(list, ['rep', ...descendants(list, 'rep')])).toEqual([
      { value: 'svc', title: '售后服务', children: [{ value: 'ret', title: '退换货' }] },
      { value: 'ask', title: '咨询' },
    ]);
  });

  it('appends after the last sibling', () => {
    expect(nextPosition(list, null)).toBe(2);
    expect(nextPosition(list, 'svc')).toBe(2);
    expect(nextPosition(list, 'svc', 'rep')).toBe(1);
    expect(nextPosition(list, 'ret')).toBe(0);
  });

  it('names a category by its path', () => {
    expect(categoryPath(list, 'deep')).toBe('售后服务 / 维修 / 屏幕');
    expect(categoryPath(list, 'nope')).toBe('');
  });
});
