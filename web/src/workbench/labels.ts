import { hasKey, type TFunc } from '../i18n';

/** Reason codes with a translation (presets, the system's `no_answer`) are translated; typed reasons show as typed. */
export function reasonLabel(reason: string | null | undefined, t: TFunc): string {
  if (!reason) return '';
  const key = `wb.reason.${reason}`;
  return hasKey(key) ? t(key) : reason;
}
