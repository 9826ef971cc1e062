import { ApiError } from './client';
import { hasKey, type TFunc } from '../i18n';

/** Codes whose translation is generic: the server's message is appended for the detail. */
const WITH_DETAIL = new Set(['conflict', 'invalid_field', 'forbidden', 'invalid_upload']);

/**
 * Translate an error for display:
 * 1. `error.<code>.<field>` when the dictionary has it (e.g. a taken login name);
 * 2. `error.<code>`, plus the server's message for generic codes (conflict, invalid_field…);
 * 3. otherwise the server's message.
 */
export function errorText(err: unknown, t: TFunc): string {
  if (err instanceof ApiError) {
    const specific = err.field ? `error.${err.code}.${err.field}` : '';
    if (specific && hasKey(specific)) return t(specific);
    const key = `error.${err.code}`;
    if (hasKey(key)) {
      const text = t(key);
      if (WITH_DETAIL.has(err.code) && err.message && err.message !== err.code) return `${text}: ${err.message}`;
      return text;
    }
    return err.message || err.code;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}
