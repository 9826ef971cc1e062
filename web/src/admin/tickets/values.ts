// Whether a value suits a field (the server's FieldDef::parse_value): for defaults and the values
// of set_field rule actions. Pure, unit-tested.
import type { DefaultValue, FieldDef, FieldOption } from '../../tickets/types';

export const isEmptyValue = (v: unknown) =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

const PHONE_CHARS = /^\+?[0-9 ()-]+$/;

function optionValue(options: readonly FieldOption[], input: string): string | undefined {
  return (options.find((o) => o.value === input) ?? options.find((o) => o.label === input))?.value;
}

/**
 * Whether `value` is valid for the field (its parse_value): the type's format, and an option (by
 * value or label) for selects. Empty values are valid (they mean "no value").
 */
export function valueValid(f: Pick<FieldDef, 'type' | 'options'>, value: DefaultValue | undefined | null): boolean {
  if (isEmptyValue(value)) return true;
  const options = f.options ?? [];
  const list = (sep: string) => (Array.isArray(value) ? value.map((s) => String(s).trim()) : String(value).split(sep).map((s) => s.trim()));
  if (Array.isArray(value) && !['multi_select', 'cascade', 'attachment'].includes(f.type)) return false;
  const text = Array.isArray(value) ? '' : String(value).trim();
  switch (f.type) {
    case 'text':
    case 'address':
    case 'member':
      return [...text].length <= 500;
    case 'long_text':
      return [...text].length <= 10_000;
    case 'number': {
      const n = typeof value === 'number' ? value : Number(text);
      return text !== '' && Number.isFinite(n) && Math.abs(n) < 1e15;
    }
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      if (!m) return false;
      const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
      return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
    }
    case 'datetime':
      return /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text) && !Number.isNaN(Date.parse(text.replace(' ', 'T')));
    case 'phone': {
      const digits = text.replace(/\D/g, '').length;
      return digits >= 3 && digits <= 20 && PHONE_CHARS.test(text);
    }
    case 'email': {
      const at = text.indexOf('@');
      const domain = text.slice(at + 1);
      return at > 0 && text.length <= 254 && !/[\s,;]/.test(text) && domain.includes('.') && !domain.startsWith('.')
        && !domain.endsWith('.') && !domain.includes('@');
    }
    case 'single_select':
      return optionValue(options, text) !== undefined;
    case 'multi_select': {
      const items = list(';');
      return items.length <= 50 && items.every((i) => i !== '' && optionValue(options, i) !== undefined);
    }
    case 'cascade': {
      const items = list('/');
      let level: readonly FieldOption[] = options;
      for (const step of items) {
        const v = optionValue(level, step);
        if (step === '' || v === undefined) return false;
        level = level.find((o) => o.value === v)?.children ?? [];
      }
      return items.length <= 50;
    }
    case 'attachment':
      return list(';').every((i) => i !== '');
  }
}

