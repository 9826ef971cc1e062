// The IVR flow editor's model, without React: node kinds and their defaults, the edges a
// graph draws, a layered layout, adding and deleting nodes, the checks the editor can make
// before saving, and where a server refusal points (`definition.nodes.<id>.<field>`).
import type { components } from '../../../api/schema.gen';

type Schemas = components['schemas'];

/** A node; `voicemail` leaves a message that becomes a callback task in a task-channel queue. */
export type FlowNode = Schemas['NodeDef'];
export type NodeType = FlowNode['type'];
export interface FlowDef {
  start: string;
  nodes: Record<string, FlowNode>;
}
export type WindowDef = Schemas['WindowDef'];

/** The kinds the editor offers, in the order it offers them. */
export const NODE_TYPES: readonly NodeType[] = ['menu', 'play', 'collect', 'hours', 'queue', 'extension', 'voicemail', 'sub_flow', 'hangup'];

/** Keys a menu may offer. */
export const KEYS: readonly string[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'];

/** A node of this kind with the editor's defaults; its targets are empty until picked. */
export function newNode(type: NodeType, label: string): FlowNode {
  switch (type) {
    case 'play':
      return { type, label, prompts: [], next: '' };
    case 'menu':
      return { type, label, prompts: [], choices: {}, timeout_ms: 5000, retries: 2, invalid_prompts: [], fallback: '' };
    case 'collect':
      return { type, label, prompts: [], variable: 'number', max_digits: 11, terminator: '#', timeout_ms: 5000, next: '', fallback: '' };
    case 'hours':
      return { type, label, windows: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }], holidays: [], open: '', closed: '' };
    case 'queue':
      return { type, label, queue_id: '' };
    case 'extension':
      return { type, label, number: '' };
    case 'voicemail':
      return { type, label, prompts: ['zh-voicemail'], max_seconds: 120, queue_id: '' };
    case 'sub_flow':
      return { type, label, flow_id: '' };
    case 'hangup':
      return { type, label };
  }
}

/** A node id not yet taken: the kind's name, then `_2`, `_3`… */
export function freeId(def: FlowDef, type: NodeType): string {
  if (!(type in def.nodes)) return type;
  for (let i = 2; ; i++) if (!(`${type}_${i}` in def.nodes)) return `${type}_${i}`;
}

/** A fresh flow: a menu whose fallback hangs up. */
export function emptyFlow(labels: { menu: string; hangup: string }): FlowDef {
  const menu = newNode('menu', labels.menu);
  if (menu.type === 'menu') menu.fallback = 'hangup';
  return { start: 'menu', nodes: { menu, hangup: newNode('hangup', labels.hangup) } };
}

export type EdgeKind = 'key' | 'fallback' | 'next' | 'open' | 'closed';
export interface Edge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** The menu key, for `key` edges. */
  key?: string;
}

/** Where a node sends the caller, as (kind, target) pairs; empty targets included. */
export function outlets(node: FlowNode): { kind: EdgeKind; to: string; key?: string }[] {
  switch (node.type) {
    case 'play':
      return [{ kind: 'next', to: node.next }];
    case 'menu':
      return [...Object.entries(node.choices).map(([key, to]) => ({ kind: 'key' as const, to, key })), { kind: 'fallback', to: node.fallback }];
    case 'collect':
      return [
        { kind: 'next', to: node.next },
        { kind: 'fallback', to: node.fallback },
      ];
    case 'hours':
      return [
        { kind: 'open', to: node.open },
        { kind: 'closed', to: node.closed },
      ];
    default:
      return [];
  }
}

/** Every edge between existing nodes. */
export function edges(def: FlowDef): Edge[] {
  return Object.entries(def.nodes).flatMap(([from, node]) =>
    outlets(node)
      .filter((o) => o.to in def.nodes)
      .map((o) => ({ from, ...o })),
  );
}

/** The node with `field` set to `value` (a shallow copy). */
export function withField<N extends FlowNode>(node: N, field: string, value: unknown): N {
  return { ...node, [field]: value };
}

/** The flow with node `id` replaced. */
export function withNode(def: FlowDef, id: string, node: FlowNode): FlowDef {
  return { ...def, nodes: { ...def.nodes, [id]: node } };
}

/** Adds a node of a kind; returns the flow and the new id. */
export function addNode(def: FlowDef, type: NodeType, label: string): { def: FlowDef; id: string } {
  const id = freeId(def, type);
  return { def: withNode(def, id, newNode(type, label)), id };
}

/** Removes a node: what pointed to it points nowhere (the form flags it), menu keys to it go. */
export function removeNode(def: FlowDef, id: string): FlowDef {
  const nodes: Record<string, FlowNode> = {};
  for (const [k, n] of Object.entries(def.nodes)) {
    if (k === id) continue;
    nodes[k] = retarget(n, id);
  }
  const start = def.start === id ? (Object.keys(nodes)[0] ?? '') : def.start;
  return { start, nodes };
}

function retarget(n: FlowNode, gone: string): FlowNode {
  const clear = (t: string) => (t === gone ? '' : t);
  switch (n.type) {
    case 'play':
      return { ...n, next: clear(n.next) };
    case 'menu':
      return { ...n, choices: Object.fromEntries(Object.entries(n.choices).filter(([, t]) => t !== gone)), fallback: clear(n.fallback) };
    case 'collect':
      return { ...n, next: clear(n.next), fallback: clear(n.fallback) };
    case 'hours':
      return { ...n, open: clear(n.open), closed: clear(n.closed) };
    default:
      return n;
  }
}

/** A problem the editor sees before saving: the node and the field. */
export interface Problem {
  node: string;
  field: string;
  what: 'noTarget' | 'noQueue' | 'noFlow' | 'noNumber' | 'noLabel' | 'noVariable';
}

/** What is missing, as far as the editor can tell (the server checks the rest). */
export function problems(def: FlowDef): Problem[] {
  const out: Problem[] = [];
  for (const [id, n] of Object.entries(def.nodes)) {
    if (!n.label.trim()) out.push({ node: id, field: 'label', what: 'noLabel' });
    for (const o of outlets(n)) {
      if (!(o.to in def.nodes)) out.push({ node: id, field: o.kind === 'key' ? 'choices' : o.kind, what: 'noTarget' });
    }
    if ((n.type === 'queue' || n.type === 'voicemail') && !n.queue_id) out.push({ node: id, field: 'queue_id', what: 'noQueue' });
    if (n.type === 'sub_flow' && !n.flow_id) out.push({ node: id, field: 'flow_id', what: 'noFlow' });
    if (n.type === 'extension' && !/^\d{1,16}$/.test(n.number)) out.push({ node: id, field: 'number', what: 'noNumber' });
    if (n.type === 'collect' && !/^\w{1,32}$/.test(n.variable)) out.push({ node: id, field: 'variable', what: 'noVariable' });
  }
  return out;
}

/** Where a server refusal points: `definition.nodes.menu.timeout_ms` → menu, timeout_ms. */
export function errorAt(field: string | undefined): { node: string; field: string } | null {
  const m = /^definition\.nodes\.([^.]+)(?:\..*?([a-z_]+))?$/.exec(field ?? '');
  return m ? { node: m[1], field: m[2] ?? '' } : null;
}

/** Node positions for the graph: columns by distance from the start (rows in the order the
 * caller would reach them), unreachable nodes in a last column. */
export function layout(def: FlowDef): Record<string, { col: number; row: number }> {
  const depth: Record<string, number> = {};
  const order: string[] = [];
  if (def.start in def.nodes) {
    depth[def.start] = 0;
    order.push(def.start);
  }
  for (let i = 0; i < order.length; i++) {
    const id = order[i];
    for (const o of outlets(def.nodes[id])) {
      if (o.to in def.nodes && !(o.to in depth)) {
        depth[o.to] = depth[id] + 1;
        order.push(o.to);
      }
    }
  }
  const last = Math.max(-1, ...Object.values(depth)) + 1;
  const rows: number[] = [];
  const out: Record<string, { col: number; row: number }> = {};
  for (const id of [...order, ...Object.keys(def.nodes).filter((k) => !(k in depth))]) {
    const col = depth[id] ?? last;
    rows[col] = (rows[col] ?? -1) + 1;
    out[id] = { col, row: rows[col] };
  }
  return out;
}

/** The path that plays a prompt in the browser: uploaded (`up-<id>`) or built-in. */
export function promptAudioPath(prompt: string): string {
  const m = /^up-([0-9a-f-]{36})$/.exec(prompt);
  return m ? `/api/v1/voice/prompts/${m[1]}/audio` : `/api/v1/voice/builtin-prompts/${encodeURIComponent(prompt)}`;
}

/** Validity of an `HH:MM` time (`24:00` ends the day). */
export const isTime = (t: string): boolean => /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/.test(t);

/** Validity of a holiday date. */
export const isDate = (d: string): boolean => /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(d);

/** What a server refusal of a flow says, as a dictionary key (the Chinese UI never shows the
 * server's English). */
export function flowErrorKey(message: string): `voice.flow.err.${string}` {
  const shapes: [RegExp, string][] = [
    [/circle/, 'cycle'],
    [/deeper than/, 'depth'],
    [/^node '[^']*': no node /, 'noTarget'],
    [/no prompt /, 'noPrompt'],
    [/skill queue/, 'queue'],
    [/no IVR flow/, 'noFlow'],
    [/more than \d+ nodes/, 'tooBig'],
    [/would break/, 'breaks'],
    [/node's id/, 'nodeId'],
  ];
  const hit = shapes.find(([re]) => re.test(message));
  return `voice.flow.err.${hit ? hit[1] : 'invalid'}`;
}
