import type { FormInstance } from 'antd';
import { ApiError } from '../api/client';

/**
 * If an API error names a field that the form has, show it on that field and return true.
 * Otherwise return false (the caller shows a message).
 */
export function applyFieldError(form: FormInstance, err: unknown, text: string): boolean {
  if (!(err instanceof ApiError) || !err.field) return false;
  const names = Object.keys((form.getFieldsValue(true) as Record<string, unknown> | undefined) ?? {});
  if (!names.includes(err.field)) return false;
  form.setFields([{ name: err.field, errors: [text] }]);
  return true;
}
