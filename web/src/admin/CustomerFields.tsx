// The tenant's custom customer fields (客户自定义字段): list, add, edit and delete the
// definitions (code, Chinese and English label, type, an option field's options). Each change
// saves the whole list; the API's refusal is shown in the dialog, under the field it names.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { ApiError } from '../api/client';
import { customersApi } from '../api/endpoints';
import { errorDetail, errorText } from '../api/errors';
import type { CustomerFieldDef } from '../api/types';
import FormModal from '../components/FormModal';
import { useT } from '../i18n';
import { useLoad } from '../util/useLoad';
import { defOfForm, dialogFieldOf, FIELD_TYPES, formOfDef, withDef, withoutDef, type FieldForm } from './customerFields';

/** The dialog edits the definition at this index, or a new one. */
type Editing = { index: number | null } | null;

export default function CustomerFieldsPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  const loaded = useLoad(() => customersApi.fields().then((d) => d.fields), [] as CustomerFieldDef[]);
  const list = loaded.data;
  const [editing, setEditing] = useState<Editing>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const current = editing?.index != null ? list[editing.index] : null;

  const open = (index: number | null) => {
    setProblem(null);
    setEditing({ index });
  };

  const save = async (v: FieldForm, form: { setFields: (f: { name: keyof FieldForm; errors: string[] }[]) => void }) => {
    if (!editing) return false;
    setProblem(null);
    try {
      const saved = await customersApi.setFields({ fields: withDef(list, editing.index, defOfForm(v)) });
      loaded.setData(saved.fields);
    } catch (e) {
      // The list is refused whole; the error names the definition by its place in the list.
      const name = e instanceof ApiError ? dialogFieldOf(e.field, editing.index ?? list.length) : null;
      if (name) form.setFields([{ name, errors: [errorDetail(e, t)] }]);
      else setProblem(errorText(e, t));
      return false;
    }
  };

  const remove = async (code: string) => {
    try {
      const saved = await customersApi.setFields({ fields: withoutDef(list, code) });
      loaded.setData(saved.fields);
      message.success(t('common.deleted'));
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  return (
    <Card
      title={t('cfields.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open(null)} data-testid="cfield-new">
          {t('cfields.new')}
        </Button>
      }
    >
      <Alert type="info" showIcon message={t('cfields.help')} style={{ marginBottom: 12 }} />
      {loaded.error != null && <Alert type="error" showIcon message={errorText(loaded.error, t)} style={{ marginBottom: 12 }} />}
      <Table<CustomerFieldDef>
        size="small"
        rowKey="code"
        pagination={false}
        loading={loaded.loading}
        dataSource={list}
        locale={{ emptyText: t('cfields.empty') }}
        onRow={(d) => ({ 'data-testid': 'cfield-row', 'data-code': d.code }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('cfields.code'), dataIndex: 'code', width: 160 },
          { title: t('cfields.label'), dataIndex: 'label' },
          { title: t('cfields.labelEn'), dataIndex: 'label_en', render: (v?: string) => v ?? '—' },
          { title: t('cfields.type'), dataIndex: 'type', width: 100, render: (v: FieldForm['type']) => t(`cfields.type.${v}`) },
          {
            title: t('cfields.options'),
            render: (_, d) => (d.options?.length ? d.options.map((o) => <Tag key={o}>{o}</Tag>) : '—'),
          },
          {
            title: t('common.actions'),
            width: 110,
            render: (_, d, i) => (
              <Space>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => open(i)} data-testid={`cfield-edit-${d.code}`} />
                <Popconfirm title={t('cfields.confirmDelete', { name: d.label })} onConfirm={() => void remove(d.code)} okText={t('common.ok')} cancelText={t('common.cancel')}>
                  <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid={`cfield-delete-${d.code}`} />
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <FormModal<FieldForm>
        open={editing !== null}
        formKey={current?.code ?? 'new'}
        title={t(current ? 'cfields.edit' : 'cfields.new')}
        okTestId="cfield-save"
        initialValues={formOfDef(current)}
        successText={t('common.saved')}
        banner={problem && <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} data-testid="cfield-problem" />}
        onSubmit={save}
        onClose={() => setEditing(null)}
      >
        <FieldItems existing={current != null} />
      </FormModal>
    </Card>
  );
}

/** The dialog's items; a saved field keeps its code and type (the customers' values are stored under the one, checked against the other). */
function FieldItems({ existing }: { existing: boolean }) {
  const t = useT();
  return (
    <>
      <Form.Item name="code" label={t('cfields.code')} extra={t('cfields.codeHint')} rules={[{ required: true, message: t('common.required') }]}>
        <Input maxLength={32} disabled={existing} data-testid="cfield-code" />
      </Form.Item>
      <Form.Item name="label" label={t('cfields.label')} rules={[{ required: true, message: t('common.required') }]}>
        <Input maxLength={40} data-testid="cfield-label" />
      </Form.Item>
      <Form.Item name="label_en" label={t('cfields.labelEn')}>
        <Input maxLength={40} data-testid="cfield-label-en" />
      </Form.Item>
      <Form.Item name="type" label={t('cfields.type')}>
        <Select disabled={existing} data-testid="cfield-type" options={FIELD_TYPES.map((v) => ({ value: v, label: t(`cfields.type.${v}`) }))} />
      </Form.Item>
      <Form.Item noStyle dependencies={['type']}>
        {({ getFieldValue }) =>
          getFieldValue('type') === 'option' && (
            <Form.Item name="options" label={t('cfields.options')} extra={t('cfields.optionsHint')}>
              <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} data-testid="cfield-options" />
            </Form.Item>
          )
        }
      </Form.Item>
    </>
  );
}
