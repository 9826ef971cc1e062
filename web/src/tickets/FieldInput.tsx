// One input per field type, and the form items of a template layout (half / full width).
import { Cascader, Col, DatePicker, Form, Input, InputNumber, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useT, type TFunc } from '../i18n';
import { checkFormValue, MAX_LONG_TEXT, MAX_TEXT, uiOptions, type FormValue, type LayoutItem } from './fields';
import type { FieldDef } from './types';

interface InputProps {
  field: FieldDef;
  value?: FormValue;
  onChange?: (v: FormValue) => void;
  disabled?: boolean;
  /** Filter mode: a multi-select takes one value ("contains"), a cascade may stop at any level. */
  filter?: boolean;
  id?: string;
}

/** The input for one field; works as an antd Form.Item child (value / onChange). */
export function FieldInput({ field, value, onChange, disabled, filter, id }: InputProps) {
  const t = useT();
  const testId = `field-${field.code}`;
  const common = { id, disabled, 'data-testid': testId } as const;
  const str = typeof value === 'string' ? value : value == null ? undefined : String(value);
  switch (field.type) {
    case 'long_text':
      return <Input.TextArea {...common} value={str} onChange={(e) => onChange?.(e.target.value)} autoSize={{ minRows: 3, maxRows: 10 }} maxLength={MAX_LONG_TEXT} />;
    case 'number':
      return <InputNumber {...common} value={typeof value === 'number' ? value : value == null ? null : Number(value)} onChange={(v) => onChange?.(v ?? undefined)} style={{ width: '100%' }} />;
    case 'date':
      return <DatePicker {...common} value={(value as Dayjs | undefined) ?? null} onChange={(d) => onChange?.(d ?? undefined)} style={{ width: '100%' }} />;
    case 'datetime':
      return (
        <DatePicker
          {...common}
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          value={(value as Dayjs | undefined) ?? null}
          onChange={(d) => onChange?.(d ?? undefined)}
          style={{ width: '100%' }}
        />
      );
    case 'single_select':
      return (
        <Select
          {...common}
          allowClear
          showSearch
          optionFilterProp="label"
          value={str}
          onChange={(v) => onChange?.(v ?? undefined)}
          options={uiOptions(field.options)}
          placeholder={t('tk.form.choose')}
        />
      );
    case 'multi_select':
      if (filter) {
        return <Select {...common} allowClear showSearch optionFilterProp="label" value={Array.isArray(value) ? value[0] : str} onChange={(v) => onChange?.(v ?? undefined)} options={uiOptions(field.options)} placeholder={t('tk.form.choose')} />;
      }
      return (
        <Select
          {...common}
          mode="multiple"
          allowClear
          optionFilterProp="label"
          value={Array.isArray(value) ? value : undefined}
          onChange={(v: string[]) => onChange?.(v.length ? v : undefined)}
          options={uiOptions(field.options)}
          placeholder={t('tk.form.choose')}
        />
      );
    case 'cascade':
      return (
        <Cascader
          {...common}
          changeOnSelect={filter}
          showSearch
          value={Array.isArray(value) ? value : undefined}
          onChange={(v) => onChange?.(Array.isArray(v) && v.length ? v : undefined)}
          options={uiOptions(field.options)}
          placeholder={t('tk.form.choose')}
          style={{ width: '100%' }}
        />
      );
    case 'attachment':
      return (
        <Select
          {...common}
          mode="tags"
          open={false}
          suffixIcon={null}
          tokenSeparators={[',', ';', ' ', '，', '；']}
          value={Array.isArray(value) ? value : undefined}
          onChange={(v: string[]) => onChange?.(v.length ? v : undefined)}
          placeholder={t('tk.form.attachmentHint')}
        />
      );
    case 'phone':
      return <Input {...common} inputMode="tel" autoComplete="tel" value={str} onChange={(e) => onChange?.(e.target.value)} maxLength={40} />;
    case 'email':
      return <Input {...common} inputMode="email" autoComplete="email" value={str} onChange={(e) => onChange?.(e.target.value)} maxLength={254} />;
    default:
      return <Input {...common} value={str} onChange={(e) => onChange?.(e.target.value)} maxLength={MAX_TEXT} />;
  }
}

/** A form rule running the same checks as the server. */
export function fieldRule(field: FieldDef, t: TFunc) {
  return {
    validator: async (_: unknown, value: FormValue) => {
      const p = checkFormValue(field, value);
      if (p) throw new Error(t(p.key, p.vars));
    },
  };
}

/** The form name of a ticket field: under `f`, so field codes never meet the dialog's own inputs. */
export const fieldName = (code: string): ['f', string] => ['f', code];

/** The fields of a layout as form items, two per row where the template says half width. */
export function TicketFieldItems({ items, disabled }: { items: LayoutItem[]; disabled?: boolean }) {
  const t = useT();
  return (
    <Row gutter={16}>
      {items.map(({ field, width }) => (
        <Col key={field.code} xs={24} md={width === 'half' ? 12 : 24}>
          <Form.Item
            name={fieldName(field.code)}
            label={field.label}
            required={field.required || field.code === 'title'}
            rules={[fieldRule(field, t)]}
            data-testid={`field-item-${field.code}`}
          >
            <FieldInput field={field} disabled={disabled} />
          </Form.Item>
        </Col>
      ))}
    </Row>
  );
}
