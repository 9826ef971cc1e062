// Editing the tenant's disposition codes (处理结果): the list as the admin page holds it, and
// what may be saved. Codes already stored can be renamed and retired but not removed.
import type { DispositionCode } from '../api/types';
import type { MessageKey } from '../i18n';

export const CODE_MAX = 32;
export const LABEL_MAX = 60;
const CODE_RE = /^[A-Za-z0-9_.-]{1,32}$/;

/** Why a new code cannot be added (a translation key), or null. */
export function newCodeProblem(list: readonly DispositionCode[], code: string, label: string): MessageKey | null {
  const c = code.trim();
  if (!CODE_RE.test(c)) return 'disp.badCode';
  if (list.some((x) => x.code === c)) return 'disp.duplicate';
  if (!label.trim() || label.trim().length > LABEL_MAX) return 'disp.badLabel';
  return null;
}

export function addCode(list: readonly DispositionCode[], code: string, label: string): DispositionCode[] {
  return [...list, { code: code.trim(), label: label.trim(), retired: false }];
}

export function renameCode(list: readonly DispositionCode[], code: string, label: string): DispositionCode[] {
  return list.map((c) => (c.code === code ? { ...c, label } : c));
}

export function setRetired(list: readonly DispositionCode[], code: string, retired: boolean): DispositionCode[] {
  return list.map((c) => (c.code === code ? { ...c, retired } : c));
}

/** A code not saved yet may be dropped again; a saved one only retired. */
export function removeUnsaved(list: readonly DispositionCode[], saved: readonly DispositionCode[], code: string): DispositionCode[] {
  return saved.some((s) => s.code === code) ? [...list] : list.filter((c) => c.code !== code);
}

/** Whether the list differs from the saved one; false while a label is blank (cannot be saved). */
export function canSave(list: readonly DispositionCode[], saved: readonly DispositionCode[]): boolean {
  if (list.some((c) => !c.label.trim())) return false;
  return JSON.stringify(list) !== JSON.stringify(saved);
}
