import { hasKey, type TFunc } from '../i18n';

/** Builtin role names get a translated label; custom roles show their own name. */
export function roleLabel(name: string, t: TFunc): string {
  const key = `roles.builtin.${name}`;
  return hasKey(key) ? `${t(key)} (${name})` : name;
}

/** Known permission codes get a translated name; unknown ones fall back to the server's description. */
export function permissionLabel(code: string, t: TFunc, description?: string): string {
  const key = `perm.${code}`;
  return hasKey(key) ? t(key) : description || code;
}
