// Editing a ticket type's definition (fields, options, workflow) and checking it the way the server
// does (crates/engine/src/ticket: FieldDef::check, TicketSchema::validate, Workflow::validate), so the
// admin sees every problem before saving. Pure: no React, unit-tested.
import type { MessageKey } from '../../i18n';
import type {
  FieldDef, FieldOption, FieldType, TicketType, Workflow, WorkflowAction, WorkflowStatus,
} from '../../tickets/types';
import { ruleProblems } from './rules';
import { isEmptyValue, valueValid } from './values';

export { isEmptyValue, valueValid };

/** `[a-z][a-z0-9_]{0,31}`: field, status and action codes. */
export const CODE_RE = /^[a-z][a-z0-9_]{0,31}$/;

/** The fields every type has; their code and type are fixed. */
export const SYSTEM_FIELDS: readonly { code: string; type: FieldType }[] = [
  { code: 'title', type: 'text' },
  { code: 'description', type: 'long_text' },
  { code: 'priority', type: 'single_select' },
  { code: 'customer', type: 'member' },
  { code: 'phone', type: 'phone' },
  { code: 'email', type: 'email' },
  { code: 'due_at', type: 'datetime' },
];

export const isSystemCode = (code: string) => SYSTEM_FIELDS.some((s) => s.code === code);

export const MAX_FIELDS = 200;
export const MAX_STATUSES = 50;
export const MAX_ACTIONS = 100;
const MAX_OPTIONS_PER_LEVEL = 1000;

/**
 * A problem found in a definition. `ref` names the row it concerns: `field:<code>`, `status:<code>`,
 * `action:<code>`, `initial`, `rule:<index>`, `basics:<name|description>`, or just the part
 * (`fields`, `workflow`, `rules`) when no single row is at fault.
 */
export interface Problem {
  ref: string;
  key: MessageKey;
  vars?: Record<string, string | number>;
}

export type Part = 'basics' | 'fields' | 'workflow' | 'rules';

/** Which tab of the type editor shows a ref. */
export function partOf(ref: string): Part {
  if (ref.startsWith('field:') || ref === 'fields') return 'fields';
  if (ref.startsWith('status:') || ref.startsWith('action:') || ref === 'initial' || ref === 'workflow') return 'workflow';
  if (ref.startsWith('rule:') || ref === 'rules') return 'rules';
  return 'basics';
}

// ─── Generic list helpers ────────────────────────────────────────────────────────────────

/** The list with item `index` moved by `delta` places (clamped); the same list when it cannot move. */
export function moveItem<T>(list: readonly T[], index: number, delta: number): T[] {
  const to = Math.max(0, Math.min(list.length - 1, index + delta));
  if (index < 0 || index >= list.length || to === index) return [...list];
  const out = [...list];
  const [item] = out.splice(index, 1);
  out.splice(to, 0, item);
  return out;
}

const labelOk = (label: string, max = 64) => {
  const n = [...label.trim()].length;
  return n >= 1 && n <= max;
};

/** Why a new code cannot be used (pattern, or taken by `taken`), or null. */
export function codeProblem(code: string, taken: readonly string[]): MessageKey | null {
  if (!CODE_RE.test(code)) return 'tkcfg.problem.codePattern';
  if (taken.includes(code)) return 'tkcfg.problem.codeTaken';
  return null;
}

// ─── Fields ──────────────────────────────────────────────────────────────────────────────

export const needsOptions = (type: FieldType) => type === 'single_select' || type === 'multi_select' || type === 'cascade';

/** Attachments have no default (a default would be someone's file). */
export const takesDefault = (type: FieldType) => type !== 'attachment';

/** Options trimmed; children kept only for cascade fields and only when there are some. */
export function cleanOptions(options: readonly FieldOption[], cascade: boolean): FieldOption[] {
  return options.map((o) => {
    const out: FieldOption = { value: o.value.trim(), label: o.label.trim() };
    if (cascade && o.children && o.children.length) out.children = cleanOptions(o.children, true);
    return out;
  });
}

/** A field as it is sent: trimmed label, options only where they belong, no empty default. */
export function cleanField(f: FieldDef): FieldDef {
  const out: FieldDef = { code: f.code.trim(), label: f.label.trim(), kind: f.kind, type: f.type, required: f.required };
  if (needsOptions(f.type)) out.options = cleanOptions(f.options ?? [], f.type === 'cascade');
  if (takesDefault(f.type) && !isEmptyValue(f.default)) {
    out.default = typeof f.default === 'string' ? f.default.trim() : f.default;
  }
  if (f.code === 'title') out.required = true;
  return out;
}

/** Replace the field `code` with `next`; a system field keeps its code, kind, type and options. */
export function replaceField(fields: readonly FieldDef[], code: string, next: FieldDef): FieldDef[] {
  return fields.map((f) => {
    if (f.code !== code) return f;
    if (f.kind === 'system') {
      return cleanField({ ...f, label: next.label, required: next.required, default: next.default });
    }
    return cleanField(next);
  });
}

export function addField(fields: readonly FieldDef[], f: FieldDef): FieldDef[] {
  return [...fields, cleanField(f)];
}

/** Where a field is used in the workflow and the rules (for the confirmation before removing it). */
export function fieldReferences(t: Pick<TicketType, 'workflow' | 'rules'>, code: string): { actions: string[]; rules: string[] } {
  return {
    actions: t.workflow.actions.filter((a) => a.required_fields.includes(code)).map((a) => a.label || a.code),
    rules: t.rules
      .filter((r) =>
        (r.trigger === 'field_changed' && r.field === code)
        || r.conditions.some((c) => c.field === code)
        || r.actions.some((a) => a.type === 'set_field' && a.field === code))
      .map((r) => r.name),
  };
}

/**
 * The definition without the field `code` (system fields stay): it also leaves the actions'
 * required fields. Rules that use it are left for the admin to fix (the check points at them).
 */
export function removeField<T extends Pick<TicketType, 'fields' | 'workflow'>>(t: T, code: string): T {
  if (isSystemCode(code)) return t;
  return {
    ...t,
    fields: t.fields.filter((f) => f.code !== code),
    workflow: {
      ...t.workflow,
      actions: t.workflow.actions.map((a) => ({ ...a, required_fields: a.required_fields.filter((c) => c !== code) })),
    },
  };
}

// ─── Option trees (select options are a one-level tree) ─────────────────────────────────

/** A node's place: indexes from the root. */
export type OptionPath = readonly number[];

function mapLevel(
  tree: readonly FieldOption[],
  path: OptionPath,
  edit: (level: FieldOption[], index: number) => FieldOption[],
): FieldOption[] {
  if (path.length === 0) return [...tree];
  const [head, ...rest] = path;
  if (rest.length === 0) return edit([...tree], head);
  return tree.map((o, i) => (i === head ? { ...o, children: mapLevel(o.children ?? [], rest, edit) } : o));
}

export function optionAt(tree: readonly FieldOption[], path: OptionPath): FieldOption | undefined {
  let level: readonly FieldOption[] | undefined = tree;
  let node: FieldOption | undefined;
  for (const i of path) {
    node = level?.[i];
    level = node?.children;
  }
  return path.length ? node : undefined;
}

export function updateOption(tree: readonly FieldOption[], path: OptionPath, patch: Partial<FieldOption>): FieldOption[] {
  return mapLevel(tree, path, (level, i) => {
    if (level[i]) level[i] = { ...level[i], ...patch };
    return level;
  });
}

/** Append `option` under `parent` (the root when `parent` is empty). */
export function addOption(tree: readonly FieldOption[], parent: OptionPath, option: FieldOption): FieldOption[] {
  if (parent.length === 0) return [...tree, option];
  return mapLevel(tree, parent, (level, i) => {
    if (level[i]) level[i] = { ...level[i], children: [...(level[i].children ?? []), option] };
    return level;
  });
}

export function removeOption(tree: readonly FieldOption[], path: OptionPath): FieldOption[] {
  return mapLevel(tree, path, (level, i) => level.filter((_, j) => j !== i));
}

export function moveOption(tree: readonly FieldOption[], path: OptionPath, delta: number): FieldOption[] {
  return mapLevel(tree, path, (level, i) => moveItem(level, i, delta));
}

/** An unused value like `option_3` for a new option on a level. */
export function nextOptionValue(level: readonly FieldOption[]): string {
  for (let n = level.length + 1; ; n++) {
    const v = `option_${n}`;
    if (!level.some((o) => o.value === v)) return v;
  }
}

/** The first problem in an option tree (the server's check_options), with where it is. */
export function optionProblem(tree: readonly FieldOption[], cascade: boolean, at: number[] = []): { path: number[]; key: MessageKey } | null {
  if (tree.length > MAX_OPTIONS_PER_LEVEL) return { path: at, key: 'tkcfg.problem.optionTooMany' };
  for (let i = 0; i < tree.length; i++) {
    const o = tree[i];
    const path = [...at, i];
    const value = o.value.trim();
    if (!labelOk(o.value) || !labelOk(o.label) || /[;/]/.test(value)) return { path, key: 'tkcfg.problem.optionText' };
    if (tree.slice(0, i).some((p) => p.value.trim() === value || p.label.trim() === o.label.trim())) {
      return { path, key: 'tkcfg.problem.optionUnique' };
    }
    const children = o.children ?? [];
    if (!cascade && children.length) return { path, key: 'tkcfg.problem.optionText' };
    const inner = optionProblem(children, cascade, path);
    if (inner) return inner;
  }
  return null;
}

/** Antd Cascader / TreeSelect data from options. */
export function optionTreeData(options: readonly FieldOption[]): { value: string; label: string; children?: ReturnType<typeof optionTreeData> }[] {
  return options.map((o) => ({
    value: o.value,
    label: o.label,
    ...(o.children && o.children.length ? { children: optionTreeData(o.children) } : {}),
  }));
}

// ─── Workflow ────────────────────────────────────────────────────────────────────────────

export function replaceStatus(wf: Workflow, code: string, next: WorkflowStatus): Workflow {
  return { ...wf, statuses: wf.statuses.map((s) => (s.code === code ? { ...next, code, label: next.label.trim() } : s)) };
}

/** Actions that would go with a status: those leading to it, or leaving only from it. */
export function statusReferences(wf: Workflow, code: string): string[] {
  return wf.actions
    .filter((a) => a.to === code || (a.from.length > 0 && a.from.every((f) => f === code)))
    .map((a) => a.code);
}

/**
 * The workflow without status `code`: it leaves every action's `from`, actions leading to it or
 * left with no `from` go too, and a removed initial status passes to the first remaining one
 * that is not closed.
 */
export function removeStatus(wf: Workflow, code: string): { workflow: Workflow; removedActions: string[] } {
  const gone = statusReferences(wf, code);
  const statuses = wf.statuses.filter((s) => s.code !== code);
  const initial = wf.initial === code ? (statuses.find((s) => s.category !== 'closed')?.code ?? '') : wf.initial;
  return {
    workflow: {
      initial,
      statuses,
      actions: wf.actions
        .filter((a) => !gone.includes(a.code))
        .map((a) => ({ ...a, from: a.from.filter((f) => f !== code) })),
    },
    removedActions: gone,
  };
}

/** An action as it is sent: trimmed label, no empty group. */
export function cleanAction(a: WorkflowAction): WorkflowAction {
  const out: WorkflowAction = {
    code: a.code.trim(),
    label: a.label.trim(),
    from: [...new Set(a.from)],
    to: a.to,
    requires_note: !!a.requires_note,
    required_fields: [...new Set(a.required_fields ?? [])],
  };
  if (a.assign_group_id) out.assign_group_id = a.assign_group_id;
  return out;
}

export function replaceAction(wf: Workflow, code: string, next: WorkflowAction): Workflow {
  return { ...wf, actions: wf.actions.map((a) => (a.code === code ? cleanAction({ ...next, code }) : a)) };
}

/** For the transition table: per status, the actions that may leave it, with where they lead. */
export function transitions(wf: Workflow): { status: WorkflowStatus; actions: WorkflowAction[] }[] {
  return wf.statuses.map((status) => ({ status, actions: wf.actions.filter((a) => a.from.includes(status.code)) }));
}

/** Statuses no action leads to and that are not the initial one (a ticket can never reach them). */
export function unreachableStatuses(wf: Workflow): string[] {
  const reached = new Set<string>([wf.initial]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const a of wf.actions) {
      if (!reached.has(a.to) && a.from.some((f) => reached.has(f))) {
        reached.add(a.to);
        grew = true;
      }
    }
  }
  return wf.statuses.map((s) => s.code).filter((c) => !reached.has(c));
}

export interface DiagramNode {
  code: string;
  label: string;
  category: WorkflowStatus['category'];
  x: number;
  y: number;
  initial: boolean;
}

export interface DiagramEdge {
  from: string;
  to: string;
  labels: string[];
  /** SVG path (`d`) and where the label goes. */
  path: string;
  labelX: number;
  labelY: number;
}

export const DIAGRAM = { nodeW: 120, nodeH: 36, gap: 70, margin: 20 } as const;

/**
 * A left-to-right layout of the workflow: statuses in a row, one arc per (from, to) pair carrying
 * every action's label; forward arcs above the row, backward ones below, loops on top of a node.
 */
export function diagram(wf: Workflow): { nodes: DiagramNode[]; edges: DiagramEdge[]; width: number; height: number } {
  const { nodeW, nodeH, gap, margin } = DIAGRAM;
  const pairs = new Map<string, DiagramEdge>();
  for (const a of wf.actions) {
    for (const f of a.from) {
      if (!wf.statuses.some((s) => s.code === f) || !wf.statuses.some((s) => s.code === a.to)) continue;
      const key = `${f}→${a.to}`;
      const e = pairs.get(key) ?? { from: f, to: a.to, labels: [], path: '', labelX: 0, labelY: 0 };
      e.labels.push(a.label || a.code);
      pairs.set(key, e);
    }
  }
  const edges = [...pairs.values()];
  const index = new Map(wf.statuses.map((s, i) => [s.code, i]));
  const span = (e: DiagramEdge) => Math.abs(index.get(e.to)! - index.get(e.from)!);
  const maxFwd = Math.max(0, ...edges.filter((e) => index.get(e.to)! > index.get(e.from)!).map(span));
  const hasLoop = edges.some((e) => e.from === e.to);
  // A quadratic arc peaks at half its control point's lift; room for that and its label.
  const above = Math.max(hasLoop ? 50 : 0, maxFwd ? (30 + maxFwd * 22) / 2 + 18 : 0) + 8;
  const maxBack = Math.max(0, ...edges.filter((e) => index.get(e.to)! < index.get(e.from)!).map(span));
  const below = (maxBack ? (30 + maxBack * 22) / 2 + 22 : 0) + 8;
  const y = margin + above;
  const nodes: DiagramNode[] = wf.statuses.map((s, i) => ({
    code: s.code, label: s.label, category: s.category, x: margin + i * (nodeW + gap), y, initial: s.code === wf.initial,
  }));
  const cx = (code: string) => margin + index.get(code)! * (nodeW + gap) + nodeW / 2;
  for (const e of edges) {
    const x1 = cx(e.from);
    const x2 = cx(e.to);
    if (e.from === e.to) {
      const top = y - 44;
      e.path = `M ${x1 - 14} ${y} C ${x1 - 34} ${top}, ${x1 + 34} ${top}, ${x1 + 14} ${y}`;
      e.labelX = x1;
      e.labelY = top + 4;
      continue;
    }
    const forward = x2 > x1;
    const lift = 30 + span(e) * 22;
    const sy = forward ? y : y + nodeH;
    const cy = forward ? y - lift : y + nodeH + lift;
    // Start and end a little off-centre so a pair's two directions do not overlap.
    const off = forward ? 10 : -10;
    e.path = `M ${x1 + off} ${sy} Q ${(x1 + x2) / 2} ${cy}, ${x2 + off} ${sy}`;
    e.labelX = (x1 + x2) / 2;
    e.labelY = (sy + cy) / 2 + (forward ? -2 : 12);
  }
  const width = margin * 2 + Math.max(1, wf.statuses.length) * (nodeW + gap) - gap;
  return { nodes, edges, width, height: y + nodeH + below + margin };
}

// ─── The whole definition ────────────────────────────────────────────────────────────────

/** Everything wrong with a type's definition, in the server's order of checks. */
export function definitionProblems(t: Pick<TicketType, 'name' | 'description' | 'fields' | 'workflow' | 'rules'>): Problem[] {
  const out: Problem[] = [];
  if (!labelOk(t.name)) out.push({ ref: 'basics:name', key: 'tkcfg.problem.nameLength' });
  if ([...(t.description ?? '')].length > 500) out.push({ ref: 'basics:description', key: 'tkcfg.problem.descriptionLength' });

  // Fields
  if (t.fields.length > MAX_FIELDS) out.push({ ref: 'fields', key: 'tkcfg.problem.tooManyFields' });
  t.fields.forEach((f, i) => {
    const ref = `field:${f.code}`;
    if (!CODE_RE.test(f.code)) out.push({ ref, key: 'tkcfg.problem.codePattern', vars: { code: f.code } });
    else if (t.fields.slice(0, i).some((p) => p.code === f.code)) out.push({ ref, key: 'tkcfg.problem.codeTaken', vars: { code: f.code } });
    if (!labelOk(f.label)) out.push({ ref, key: 'tkcfg.problem.labelLength' });
    const options = f.options ?? [];
    if (needsOptions(f.type) && options.length === 0) out.push({ ref, key: 'tkcfg.problem.needsOptions' });
    if (!needsOptions(f.type) && options.length > 0) out.push({ ref, key: 'tkcfg.problem.noOptions' });
    const op = optionProblem(options, f.type === 'cascade');
    if (op) out.push({ ref, key: op.key });
    if (!op && !valueValid(f, f.default)) out.push({ ref, key: 'tkcfg.problem.badDefault' });
    if (f.kind === 'system' && !isSystemCode(f.code)) out.push({ ref, key: 'tkcfg.problem.notSystem', vars: { code: f.code } });
  });
  for (const sys of SYSTEM_FIELDS) {
    const f = t.fields.find((x) => x.code === sys.code);
    if (!f) out.push({ ref: 'fields', key: 'tkcfg.problem.systemMissing', vars: { code: sys.code } });
    else if (f.type !== sys.type || f.kind !== 'system') out.push({ ref: `field:${sys.code}`, key: 'tkcfg.problem.systemFixed', vars: { code: sys.code } });
  }
  const title = t.fields.find((f) => f.code === 'title');
  if (title && !title.required) out.push({ ref: 'field:title', key: 'tkcfg.problem.titleRequired' });

  // Workflow
  const wf = t.workflow;
  const codes = t.fields.map((f) => f.code);
  const statusCodes = wf.statuses.map((s) => s.code);
  if (wf.statuses.length === 0 || wf.statuses.length > MAX_STATUSES || wf.actions.length > MAX_ACTIONS) {
    out.push({ ref: 'workflow', key: 'tkcfg.problem.workflowSize' });
  }
  wf.statuses.forEach((s, i) => {
    const ref = `status:${s.code}`;
    if (!CODE_RE.test(s.code)) out.push({ ref, key: 'tkcfg.problem.codePattern', vars: { code: s.code } });
    else if (statusCodes.slice(0, i).includes(s.code)) out.push({ ref, key: 'tkcfg.problem.codeTaken', vars: { code: s.code } });
    if (!labelOk(s.label)) out.push({ ref, key: 'tkcfg.problem.labelLength' });
  });
  const initial = wf.statuses.find((s) => s.code === wf.initial);
  if (!initial) out.push({ ref: 'initial', key: 'tkcfg.problem.initialMissing' });
  else if (initial.category === 'closed') out.push({ ref: 'initial', key: 'tkcfg.problem.initialClosed' });
  wf.actions.forEach((a, i) => {
    const ref = `action:${a.code}`;
    if (!CODE_RE.test(a.code)) out.push({ ref, key: 'tkcfg.problem.codePattern', vars: { code: a.code } });
    else if (wf.actions.slice(0, i).some((p) => p.code === a.code)) out.push({ ref, key: 'tkcfg.problem.codeTaken', vars: { code: a.code } });
    if (!labelOk(a.label)) out.push({ ref, key: 'tkcfg.problem.labelLength' });
    if (a.from.length === 0 || a.from.some((f) => !statusCodes.includes(f))) out.push({ ref, key: 'tkcfg.problem.actionFrom' });
    if (!statusCodes.includes(a.to)) out.push({ ref, key: 'tkcfg.problem.actionTo' });
    const unknown = a.required_fields.filter((f) => !codes.includes(f));
    if (unknown.length) out.push({ ref, key: 'tkcfg.problem.actionFields', vars: { code: unknown.join(', ') } });
  });

  // Rules
  if (t.rules.length > 50) out.push({ ref: 'rules', key: 'tkcfg.problem.tooManyRules' });
  t.rules.forEach((r, i) => {
    for (const p of ruleProblems(r, t.fields, statusCodes)) out.push({ ...p, ref: `rule:${i}` });
  });
  return out;
}

/**
 * The rows a server error's `field` points at (a 400 names a field code, a status or action code,
 * `initial`, `rules[i]` or a rule id, or a basic property). A code used by several kinds of rows
 * names each of them; an unknown name gives [].
 */
export function locateServerField(t: Pick<TicketType, 'fields' | 'workflow' | 'rules'>, field: string | undefined): string[] {
  if (!field) return [];
  if (field === 'name' || field === 'description' || field === 'version') return [`basics:${field}`];
  if (field === 'initial') return ['initial'];
  if (field === 'fields' || field === 'workflow' || field === 'rules') return [field];
  const m = /^rules\[(\d+)\]$/.exec(field);
  if (m) return [`rule:${m[1]}`];
  const refs: string[] = [];
  if (t.fields.some((f) => f.code === field)) refs.push(`field:${field}`);
  if (t.workflow.statuses.some((s) => s.code === field)) refs.push(`status:${field}`);
  if (t.workflow.actions.some((a) => a.code === field)) refs.push(`action:${field}`);
  const rule = t.rules.findIndex((r) => r.id === field);
  if (rule >= 0) refs.push(`rule:${rule}`);
  return refs;
}

/** A stable text of a definition, to tell whether the draft differs from what was loaded. */
export function definitionKey(t: Pick<TicketType, 'name' | 'description' | 'active' | 'fields' | 'workflow' | 'rules'>): string {
  return JSON.stringify([t.name, t.description ?? '', t.active, t.fields, t.workflow, t.rules]);
}
