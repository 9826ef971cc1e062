// The input for a field's default value, by the field's type (the value is what the API carries:
// text, a number, `YYYY-MM-DD`, RFC 3339, an option value, a list of values or a cascade path).
import { Cascader, DatePicker, Input, InputNumber, Select, Typography } from 'antd';
import dayjs from 'dayjs';
import { useT } from '../../i18n';
import { optionTreeData } from './definition';
import type { DefaultValue, FieldDef } from '../../tickets/types';

export interface DefaultInputProps {
  field: Pick<FieldDef, 'type' | 'options'>;
  value?: DefaultValue;
  onChange?: (v: DefaultValue | undefined) => void;
  testId?: string;
}

export default function DefaultInput({ field, value, onChange, testId }: DefaultInputProps) {
  const t = useT();
  const options = (field.options ?? []).filter((o) => o.value.trim() && o.label.trim()).map((o) => ({ value: o.value, label: o.label }));
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  const set = (v: DefaultValue | undefined | null) => onChange?.(v === null || v === '' ? undefined : v);
  const common = { 'data-testid': testId, allowClear: true, placeholder: t('tkcfg.field.noDefault'), style: { width: '100%' } };
  switch (field.type) {
    case 'attachment':
      return <Typography.Text type="secondary">{t('tkcfg.field.attachmentNoDefault')}</Typography.Text>;
    case 'long_text':
      return <Input.TextArea rows={2} value={text} onChange={(e) => set(e.target.value)} maxLength={10_000} data-testid={testId} />;
    case 'number':
      return (
        <InputNumber
          value={value === undefined || value === '' || Array.isArray(value) ? null : Number(value)}
          onChange={(v) => set(v ?? undefined)}
          style={{ width: '100%' }}
          data-testid={testId}
        />
      );
    case 'date':
      return <DatePicker {...common} value={text ? dayjs(text, 'YYYY-MM-DD') : null} onChange={(d) => set(d ? d.format('YYYY-MM-DD') : undefined)} />;
    case 'datetime':
      return (
        <DatePicker
          {...common}
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          value={text && dayjs(text).isValid() ? dayjs(text) : null}
          onChange={(d) => set(d ? d.second(0).format() : undefined)}
        />
      );
    case 'single_select':
      return <Select {...common} value={text || undefined} options={options} onChange={(v) => set(v)} />;
    case 'multi_select':
      return <Select {...common} mode="multiple" value={Array.isArray(value) ? value : []} options={options} onChange={(v: string[]) => set(v)} />;
    case 'cascade':
      return (
        <Cascader
          {...common}
          changeOnSelect
          options={optionTreeData(field.options ?? [])}
          value={Array.isArray(value) ? value : []}
          onChange={(v) => set((v ?? []).map(String))}
        />
      );
    default:
      return <Input value={text} onChange={(e) => set(e.target.value)} maxLength={500} allowClear data-testid={testId} />;
  }
}
