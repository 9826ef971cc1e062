// The customer edit form's items (create and edit share them): name, numbers and e-mails as
// lines, the host site's id, tags, notes and the tenant's custom fields by type.
import { DatePicker, Form, Input, InputNumber, Select } from 'antd';
import dayjs from 'dayjs';
import type { CustomerFieldDef } from '../api/types';
import { useI18n } from '../i18n';
import { fieldLabel } from './model';

export function CustomerFormItems({ defs, verified }: { defs: CustomerFieldDef[]; verified: boolean }) {
  const { t, lang } = useI18n();
  return (
    <>
      <Form.Item name="name" label={t('customers.name')}>
        <Input maxLength={100} data-testid="customer-name" />
      </Form.Item>
      <Form.Item name="phones" label={t('customers.phones')} extra={t('customers.linesHint')}>
        <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} data-testid="customer-phones" />
      </Form.Item>
      <Form.Item name="emails" label={t('customers.emails')} extra={t('customers.linesHint')}>
        <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} data-testid="customer-emails" />
      </Form.Item>
      <Form.Item name="host_id" label={t('customers.hostId')}>
        <Input maxLength={200} disabled={verified} />
      </Form.Item>
      <Form.Item name="tags" label={t('customers.tags')}>
        <Select mode="tags" tokenSeparators={[',', '，']} open={false} data-testid="customer-tags" />
      </Form.Item>
      <Form.Item name="notes" label={t('customers.notes')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={5000} data-testid="customer-notes" />
      </Form.Item>
      {defs.map((d) => (
        <Form.Item
          key={d.code}
          name={['fields', d.code]}
          label={fieldLabel(d, lang)}
          getValueProps={d.type === 'date' ? (v: unknown) => ({ value: typeof v === 'string' && v ? dayjs(v) : undefined }) : undefined}
          normalize={d.type === 'date' ? (v: dayjs.Dayjs | null) => (v ? v.format('YYYY-MM-DD') : undefined) : undefined}
        >
          {d.type === 'number' ? (
            <InputNumber style={{ width: '100%' }} data-testid={`customer-field-${d.code}`} />
          ) : d.type === 'date' ? (
            <DatePicker style={{ width: '100%' }} data-testid={`customer-field-${d.code}`} />
          ) : d.type === 'option' ? (
            <Select allowClear options={(d.options ?? []).map((o) => ({ value: o, label: o }))} data-testid={`customer-field-${d.code}`} />
          ) : (
            <Input maxLength={500} data-testid={`customer-field-${d.code}`} />
          )}
        </Form.Item>
      ))}
    </>
  );
}
