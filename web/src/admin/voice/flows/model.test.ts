import { describe, expect, it } from 'vitest';
import { addNode, edges, emptyFlow, errorAt, flowErrorKey, freeId, isDate, isTime, layout, newNode, problems, promptAudioPath, removeNode, withNode, type FlowDef } from './model';

const labels = { menu: '主菜单', hangup: '挂机' };

/** Menu: 1 → queue, 2 → hang up; fallback hang up. */
function small(): FlowDef {
  let def = emptyFlow(labels);
  const q = addNode(def, 'queue', '售后');
  def = q.def;
  const menu = def.nodes.menu;
  if (menu.type !== 'menu') throw new Error('menu');
  def = withNode(def, 'menu', { ...menu, prompts: ['zh-welcome'], choices: { '1': q.id, '2': 'hangup' } });
  const queue = def.nodes[q.id];
  if (queue.type !== 'queue') throw new Error('queue');
  return withNode(def, q.id, { ...queue, queue_id: '00000000-0000-0000-0000-000000000001' });
}

describe('flow model', () => {
  it('builds a small flow the editor sees nothing wrong with', () => {
    const def = small();
    expect(def.start).toBe('menu');
    expect(Object.keys(def.nodes).sort()).toEqual(['hangup', 'menu', 'queue']);
    expect(problems(def)).toEqual([]);
    expect(edges(def)).toEqual([
      { from: 'menu', to: 'queue', kind: 'key', key: '1' },
      { from: 'menu', to: 'hangup', kind: 'key', key: '2' },
      { from: 'menu', to: 'hangup', kind: 'fallback' },
    ]);
  });

  it('gives every added node its own id', () => {
    const def = small();
    expect(freeId(def, 'queue')).toBe('queue_2');
    expect(freeId(def, 'play')).toBe('play');
    const added = addNode(addNode(def, 'play', 'a').def, 'play', 'b');
    expect(added.id).toBe('play_2');
  });

  it('deleting a node leaves pointers to it empty, flagged, and drops keys to it', () => {
    const def = removeNode(small(), 'hangup');
    const menu = def.nodes.menu;
    expect(menu.type === 'menu' && menu.choices).toEqual({ '1': 'queue' });
    expect(menu.type === 'menu' && menu.fallback).toBe('');
    expect(problems(def)).toEqual([{ node: 'menu', field: 'fallback', what: 'noTarget' }]);
    expect(removeNode(small(), 'menu').start).toBe('hangup');
  });

  it('flags what is missing per node', () => {
    const def: FlowDef = { start: 'q', nodes: { q: newNode('queue', '队列'), s: newNode('sub_flow', ''), v: newNode('voicemail', '留言') } };
    expect(problems(def)).toEqual([
      { node: 'q', field: 'queue_id', what: 'noQueue' },
      { node: 's', field: 'label', what: 'noLabel' },
      { node: 's', field: 'flow_id', what: 'noFlow' },
      { node: 'v', field: 'queue_id', what: 'noQueue' },
    ]);
  });

  it('makes voicemail nodes in the agreed shape', () => {
    expect(newNode('voicemail', '留言')).toEqual({ type: 'voicemail', label: '留言', prompts: ['zh-voicemail'], max_seconds: 120, queue_id: '' });
  });

  it('reads where a server refusal points', () => {
    expect(errorAt('definition.nodes.menu.timeout_ms')).toEqual({ node: 'menu', field: 'timeout_ms' });
    expect(errorAt('definition.nodes.after.nodes.after.flow_id')).toEqual({ node: 'after', field: 'flow_id' });
    expect(errorAt('definition.nodes.a/b')).toEqual({ node: 'a/b', field: '' });
    expect(errorAt('name')).toBeNull();
    expect(errorAt(undefined)).toBeNull();
  });

  it('lays nodes out by distance from the start, unreachable ones last', () => {
    const def = addNode(small(), 'play', '孤立').def;
    expect(layout(def)).toEqual({
      menu: { col: 0, row: 0 },
      queue: { col: 1, row: 0 },
      hangup: { col: 1, row: 1 },
      play: { col: 2, row: 0 },
    });
  });

  it('knows where each prompt plays from', () => {
    expect(promptAudioPath('zh-welcome')).toBe('/api/v1/voice/builtin-prompts/zh-welcome');
    expect(promptAudioPath('up-0191f3c2-7d4e-7a00-8000-000000000001')).toBe('/api/v1/voice/prompts/0191f3c2-7d4e-7a00-8000-000000000001/audio');
  });

  it('checks times and dates as the server does', () => {
    expect(isTime('09:00') && isTime('24:00') && isTime('23:59')).toBe(true);
    expect(isTime('24:01') || isTime('9:00') || isTime('12:60')).toBe(false);
    expect(isDate('2026-10-01')).toBe(true);
    expect(isDate('2026-13-01') || isDate('20261001')).toBe(false);
  });

  it("says a server refusal in the dictionary's words", () => {
    expect(flowErrorKey("node 'after': the sub-flows go round in a circle: this flow is already on the way here")).toBe('voice.flow.err.cycle');
    expect(flowErrorKey("node 'menu': no node 'nowhere'")).toBe('voice.flow.err.noTarget');
    expect(flowErrorKey("node 'menu': no prompt 'x': name a built-in prompt or one uploaded here")).toBe('voice.flow.err.noPrompt');
    expect(flowErrorKey("node 'menu': timeout_ms must be 1000-60000")).toBe('voice.flow.err.invalid');
  });
});
