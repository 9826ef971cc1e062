// Editing the tenant's custom customer fields (客户自定义字段): a definition as the dialog holds
// it and back, the list with one added, changed or removed (the API replaces the list whole),
// and which dialog field an API error about the list names.
import type { CustomerFieldDef } from '../api/types';

export type CustomerFieldType = CustomerFieldDef['type'];
export const FIELD_TYPES: readonly CustomerFieldType[] = ['text', 'number', 'date', 'option'];

/** What the dialog holds: the options one a line. */
export interface FieldForm {
  code: string;
  label: string;
  label_en?: string;
  type: CustomerFieldType;
  options?: string;
}

export function formOfDef(d: CustomerFieldDef | null): FieldForm {
  if (!d) return { code: '', label: '', label_en: '', type: 'text', options: '' };
  return { code: d.code, label: d.label, label_en: d.label_en ?? '', type: d.type, options: (d.options ?? []).join('\n') };
}

/** The definition the API takes: trimmed; no English label when blank; options for an option field only. */
export function defOfForm(f: FieldForm): CustomerFieldDef {
  const labelEn = f.label_en?.trim();
  const options =
    f.type === 'option'
      ? (f.options ?? '')
          .split('\n')
          .map((o) => o.trim())
          .filter((o) => o !== '')
      : [];
  return { code: f.code.trim(), label: f.label.trim(), ...(labelEn ? { label_en: labelEn } : {}), type: f.type, options };
}

/** The list with the definition at `index` replaced, or appended when `index` is null. */
export function withDef(list: readonly CustomerFieldDef[], index: number | null, def: CustomerFieldDef): CustomerFieldDef[] {
  return index === null ? [...list, def] : list.map((d, i) => (i === index ? def : d));
}

export function withoutDef(list: readonly CustomerFieldDef[], code: string): CustomerFieldDef[] {
  return list.filter((d) => d.code !== code);
}

/**
 * The dialog's field an API error names (`fields[2].label` → `label`) when it is about the
 * definition at `index`, the one being edited; null otherwise (the dialog shows it above the form).
 */
export function dialogFieldOf(apiField: string | undefined, index: number): keyof FieldForm | null {
  const m = /^fields\[(\d+)\]\.(code|label|label_en|type|options)$/.exec(apiField ?? '');
  return m && Number(m[1]) === index ? (m[2] as keyof FieldForm) : null;
}
