// The built-in ticket type's system fields, priority options, statuses and actions come from the
// server with their Chinese labels. The UI names them in the user's language as long as they keep
// that built-in label; a label an administrator changed is the administrator's and shows as typed.
// Only for display: the configuration pages edit the stored labels.
import zhCN from '../i18n/zh-CN';
import { hasKey, type TFunc } from '../i18n';
import type { FieldDef, TicketType } from './types';

export type SystemKind = 'field' | 'status' | 'action';

function named(key: string, label: string, t: TFunc): string {
  return hasKey(key) && label === zhCN[key] ? t(key) : label;
}

/** A system field's, status's or action's label in the user's language while it is the built-in one. */
export function systemName(kind: SystemKind, code: string | null | undefined, label: string, t: TFunc): string {
  return code ? named(`tk.sys.${kind}.${code}`, label, t) : label;
}

function localizeField(f: FieldDef, t: TFunc): FieldDef {
  if (f.kind !== 'system') return f;
  const options = f.code === 'priority' ? f.options?.map((o) => ({ ...o, label: named(`tk.priority.${o.value}`, o.label, t) })) : f.options;
  return { ...f, label: systemName('field', f.code, f.label, t), options };
}

/** A type with its built-in names in the user's language (for display only). */
export function localizeType(type: TicketType, t: TFunc): TicketType {
  const workflow = type.workflow && {
    ...type.workflow,
    statuses: type.workflow.statuses.map((s) => ({ ...s, label: systemName('status', s.code, s.label, t) })),
    actions: type.workflow.actions.map((a) => ({ ...a, label: systemName('action', a.code, a.label, t) })),
  };
  return { ...type, fields: type.fields.map((f) => localizeField(f, t)), workflow };
}
