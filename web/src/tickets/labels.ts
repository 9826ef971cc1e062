// Translated names of codes that the contract fixes (priorities, flags) with a fallback to the
// code itself, so a value the dictionary does not know still shows.
import { hasKey, type TFunc } from '../i18n';

export function priorityText(t: TFunc, p: string | null | undefined): string {
  if (!p) return '';
  const key = `tk.priority.${p}`;
  return hasKey(key) ? t(key) : p;
}

export function flagText(t: TFunc, f: string | null | undefined): string {
  if (!f) return t('tk.flag.none');
  const key = `tk.flag.${f}`;
  return hasKey(key) ? t(key) : f;
}
