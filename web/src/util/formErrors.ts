import type { FormInstance } from 'antd';
import { ApiError } from '../api/client';
import { errorDetail } from '../api/errors';
import type { TFunc } from '../i18n';

/**
 * If an API error names a field that the form has, show what was wrong under that field (in the
 * user's language) and return true. Otherwise return false (the caller shows a message).
 */
export function applyFieldError(form: FormInstance, err: unknown, t: TFunc): boolean {
  if (!(err instanceof ApiError) || !err.field) return false;
  const names = Object.keys((form.getFieldsValue(true) as Record<string, unknown> | undefined) ?? {});
  if (!names.includes(err.field)) return false;
  form.setFields([{ name: err.field, errors: [errorDetail(err, t)] }]);
  return true;
}
