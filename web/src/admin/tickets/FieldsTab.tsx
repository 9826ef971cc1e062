// The fields of a ticket type, in order: system fields (label, required and default may change),
// business and custom fields (any of the 13 types, options for selects, an option tree for cascades).
import { useState } from 'react';
import { Button, Form, Input, Popconfirm, Radio, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, ExclamationCircleFilled, LockOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useT, type TFunc } from '../../i18n';
import FormModal from '../../components/FormModal';
import {
  addField, codeProblem, fieldReferences, moveItem, needsOptions, optionProblem, removeField, replaceField, takesDefault,
} from './definition';
import { isEmptyValue, valueValid } from './values';
import OptionEditor from './OptionEditor';
import DefaultInput from './DefaultInput';
import type { TabProps } from './tabProps';
import { FIELD_TYPES, type DefaultValue, type FieldDef, type FieldKind, type FieldOption, type FieldType } from '../../tickets/types';
import MoveButtons from './MoveButtons';

export const KIND_COLORS: Record<FieldKind, string> = { system: 'blue', business: 'purple', custom: 'green' };

/** A value for display: option labels instead of values, local times. */
export function displayValue(f: Pick<FieldDef, 'type' | 'options'>, v: DefaultValue | null | undefined): string {
  if (isEmptyValue(v)) return '';
  const label = (level: readonly FieldOption[] | undefined, value: string) => level?.find((o) => o.value === value)?.label ?? value;
  switch (f.type) {
    case 'single_select':
      return label(f.options, String(v));
    case 'multi_select':
      return (Array.isArray(v) ? v : String(v).split(';')).map((x) => label(f.options, x)).join('、');
    case 'cascade': {
      const path = Array.isArray(v) ? v : String(v).split('/');
      let level = f.options;
      return path
        .map((step) => {
          const o = level?.find((x) => x.value === step);
          level = o?.children;
          return o?.label ?? step;
        })
        .join(' / ');
    }
    case 'datetime':
      return dayjs(String(v)).isValid() ? dayjs(String(v)).format('YYYY-MM-DD HH:mm') : String(v);
    default:
      return Array.isArray(v) ? v.join('; ') : String(v);
  }
}

export const fieldTypeLabel = (t: TFunc, type: FieldType) => t(`tkcfg.ftype.${type}`);

export default function FieldsTab({ draft, onChange, marks }: TabProps) {
  const t = useT();
  const [editing, setEditing] = useState<FieldDef | 'new' | null>(null);
  const fields = draft.fields;

  const setFields = (next: FieldDef[]) => onChange({ ...draft, fields: next });

  const removeText = (code: string) => {
    const refs = fieldReferences(draft, code);
    const parts = [t('tkcfg.field.confirmDelete')];
    if (refs.actions.length) parts.push(t('tkcfg.field.usedByActions', { names: refs.actions.join('、') }));
    if (refs.rules.length) parts.push(t('tkcfg.field.usedByRules', { names: refs.rules.join('、') }));
    return parts.join(' ');
  };

  return (
    <>
      <div className="tkcfg-tab-bar">
        <Typography.Text type="secondary">{t('tkcfg.field.help')}</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="field-add">
          {t('tkcfg.field.add')}
        </Button>
      </div>
      {marks.has('fields') && <Typography.Text type="danger" className="tkcfg-part-error">{marks.get('fields')!.join('; ')}</Typography.Text>}
      <Table<FieldDef>
        rowKey="code"
        size="middle"
        dataSource={fields}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="fields-table"
        rowClassName={(f) => (marks.has(`field:${f.code}`) ? 'tkcfg-row-bad' : '')}
        onRow={(f) => ({ 'data-testid': `field-row-${f.code}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('tkcfg.order'),
            key: 'order',
            width: 80,
            render: (_, f, i) => (
              <Space size={0}>
                <MoveButtons index={i} count={fields.length} onMove={(d) => setFields(moveItem(fields, i, d))} upTestId={`field-up-${f.code}`} downTestId={`field-down-${f.code}`} />
              </Space>
            ),
          },
          {
            title: t('tkcfg.field.label'),
            key: 'label',
            render: (_, f) => (
              <Space direction="vertical" size={0}>
                <Space size={4}>
                  {marks.has(`field:${f.code}`) && (
                    <Tooltip title={marks.get(`field:${f.code}`)!.join('; ')}>
                      <ExclamationCircleFilled className="tkcfg-bad-icon" />
                    </Tooltip>
                  )}
                  <Typography.Text strong>{f.label}</Typography.Text>
                </Space>
                <Typography.Text type="secondary" code>{f.code}</Typography.Text>
              </Space>
            ),
          },
          {
            title: t('tkcfg.field.kind'),
            dataIndex: 'kind',
            render: (k: FieldKind) => (
              <Tag color={KIND_COLORS[k]} icon={k === 'system' ? <LockOutlined /> : undefined}>{t(`tkcfg.kind.${k}`)}</Tag>
            ),
          },
          { title: t('tkcfg.field.type'), dataIndex: 'type', render: (ty: FieldType) => fieldTypeLabel(t, ty) },
          {
            title: t('tkcfg.field.required'),
            dataIndex: 'required',
            render: (r: boolean, f) => (
              <Switch
                size="small"
                checked={r || f.code === 'title'}
                disabled={f.code === 'title'}
                onChange={(v) => setFields(replaceField(fields, f.code, { ...f, required: v }))}
                data-testid={`field-required-${f.code}`}
              />
            ),
          },
          {
            title: t('tkcfg.field.default'),
            key: 'default',
            render: (_, f) => displayValue(f, f.default) || <Typography.Text type="secondary">—</Typography.Text>,
          },
          {
            title: t('tkcfg.field.options'),
            key: 'options',
            render: (_, f) =>
              needsOptions(f.type) ? (
                <Tooltip title={(f.options ?? []).map((o) => o.label).join('、')}>
                  <span>{t('tkcfg.field.optionsCount', { n: (f.options ?? []).length })}</span>
                </Tooltip>
              ) : (
                <Typography.Text type="secondary">—</Typography.Text>
              ),
          },
          {
            title: t('common.actions'),
            key: 'ops',
            fixed: 'right',
            render: (_, f) => (
              <Space size={0}>
                <Tooltip title={t('common.edit')}>
                  <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(f)} data-testid={`field-edit-${f.code}`} />
                </Tooltip>
                {f.kind === 'system' ? (
                  <Tooltip title={t('tkcfg.field.systemLocked')}>
                    <Button type="link" size="small" icon={<DeleteOutlined />} disabled />
                  </Tooltip>
                ) : (
                  <Popconfirm
                    title={removeText(f.code)}
                    overlayStyle={{ maxWidth: 360 }}
                    onConfirm={() => onChange(removeField(draft, f.code))}
                    okText={t('common.ok')}
                    cancelText={t('common.cancel')}
                  >
                    <Tooltip title={t('common.delete')}>
                      <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid={`field-delete-${f.code}`} />
                    </Tooltip>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <FieldModal
        field={editing}
        fields={fields}
        onClose={() => setEditing(null)}
        onSave={(f) => setFields(editing === 'new' || editing === null ? addField(fields, f) : replaceField(fields, editing.code, f))}
      />
    </>
  );
}

interface FieldForm {
  code: string;
  label: string;
  kind: FieldKind;
  type: FieldType;
  required: boolean;
  options?: FieldOption[];
  default?: DefaultValue;
}

function FieldModal({ field, fields, onClose, onSave }: {
  field: FieldDef | 'new' | null;
  fields: FieldDef[];
  onClose: () => void;
  onSave: (f: FieldDef) => void;
}) {
  const t = useT();
  const existing = field && field !== 'new' ? field : null;
  const system = existing?.kind === 'system';
  const otherCodes = fields.map((f) => f.code).filter((c) => c !== existing?.code);

  return (
    <FormModal<FieldForm>
      open={field !== null}
      formKey={existing?.code ?? 'new'}
      title={existing ? t('tkcfg.field.editTitle', { name: existing.label }) : t('tkcfg.field.add')}
      okText={t('common.ok')}
      okTestId="field-form-submit"
      width={720}
      banner={system ? <Typography.Paragraph type="secondary">{t('tkcfg.field.systemHelp')}</Typography.Paragraph> : undefined}
      initialValues={
        existing
          ? { ...existing, options: existing.options ?? [] }
          : { code: '', label: '', kind: 'custom', type: 'text', required: false, options: [] }
      }
      onSubmit={async (v) => {
        const type = system ? existing.type : v.type;
        onSave({
          code: system ? existing.code : v.code.trim(),
          label: v.label,
          kind: system ? 'system' : v.kind,
          type,
          required: existing?.code === 'title' ? true : !!v.required,
          options: needsOptions(type) ? (system ? existing.options : v.options) : undefined,
          default: takesDefault(type) ? v.default : undefined,
        });
      }}
      onClose={onClose}
    >
      {(form) => (
        <>
          <Space align="start" wrap style={{ width: '100%' }} className="tkcfg-form-row">
            <Form.Item
              name="code"
              label={t('tkcfg.field.code')}
              extra={existing ? t('tkcfg.field.codeFixed') : t('tkcfg.codeHelp')}
              rules={[
                { required: true, message: t('common.required') },
                {
                  validator: async (_, v: string) => {
                    if (existing) return;
                    const p = codeProblem((v ?? '').trim(), otherCodes);
                    if (p) throw new Error(t(p, { code: v }));
                  },
                },
              ]}
              style={{ width: 220 }}
            >
              <Input disabled={!!existing} maxLength={32} data-testid="field-form-code" />
            </Form.Item>
            <Form.Item
              name="label"
              label={t('tkcfg.field.label')}
              rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 64, message: t('tkcfg.problem.labelLength') }]}
              style={{ width: 300 }}
            >
              <Input maxLength={64} data-testid="field-form-label" />
            </Form.Item>
          </Space>
          <Space align="start" wrap style={{ width: '100%' }} className="tkcfg-form-row">
            {system ? (
              <Form.Item label={t('tkcfg.field.kind')}>
                <Tag color={KIND_COLORS.system} icon={<LockOutlined />}>{t('tkcfg.kind.system')}</Tag>
              </Form.Item>
            ) : (
              <Form.Item name="kind" label={t('tkcfg.field.kind')} extra={t('tkcfg.field.kindHelp')}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'business', label: t('tkcfg.kind.business') },
                    { value: 'custom', label: t('tkcfg.kind.custom') },
                  ]}
                  data-testid="field-form-kind"
                />
              </Form.Item>
            )}
            <Form.Item name="type" label={t('tkcfg.field.type')} extra={existing && !system ? t('tkcfg.field.typeChangeHelp') : undefined} style={{ width: 220 }}>
              <Select
                disabled={system}
                data-testid="field-form-type"
                options={FIELD_TYPES.map((ty) => ({ value: ty, label: fieldTypeLabel(t, ty) }))}
                onChange={() => form.setFieldsValue({ default: undefined })}
              />
            </Form.Item>
            <Form.Item name="required" label={t('tkcfg.field.required')} valuePropName="checked" extra={existing?.code === 'title' ? t('tkcfg.field.titleAlwaysRequired') : undefined}>
              <Switch disabled={existing?.code === 'title'} data-testid="field-form-required" />
            </Form.Item>
          </Space>
          <Form.Item noStyle shouldUpdate={(a: FieldForm, b: FieldForm) => a.type !== b.type || a.options !== b.options}>
            {() => {
              const type = form.getFieldValue('type') as FieldType;
              const options = (form.getFieldValue('options') as FieldOption[] | undefined) ?? [];
              const problem = optionProblem(options, type === 'cascade');
              return (
                <>
                  {needsOptions(type) && system && (
                    <Form.Item label={t('tkcfg.field.options')} extra={t('tkcfg.field.systemOptions')}>
                      <Space wrap>
                        {options.map((o) => (
                          <Tag key={o.value}>{o.label} <Typography.Text type="secondary">{o.value}</Typography.Text></Tag>
                        ))}
                      </Space>
                    </Form.Item>
                  )}
                  {needsOptions(type) && !system && (
                    <Form.Item
                      name="options"
                      label={type === 'cascade' ? t('tkcfg.field.optionTree') : t('tkcfg.field.options')}
                      extra={type === 'cascade' ? t('tkcfg.field.optionTreeHelp') : t('tkcfg.field.optionsHelp')}
                      rules={[
                        {
                          validator: async (_, v: FieldOption[] | undefined) => {
                            if (!v || v.length === 0) throw new Error(t('tkcfg.problem.needsOptions'));
                            const p = optionProblem(v, type === 'cascade');
                            if (p) throw new Error(t(p.key));
                          },
                        },
                      ]}
                    >
                      <OptionEditor cascade={type === 'cascade'} badPath={problem?.path} />
                    </Form.Item>
                  )}
                  {takesDefault(type) ? (
                    <Form.Item
                      name="default"
                      label={t('tkcfg.field.default')}
                      rules={[
                        {
                          validator: async (_, v: DefaultValue | undefined) => {
                            if (!valueValid({ type, options }, v)) throw new Error(t('tkcfg.problem.badDefault'));
                          },
                        },
                      ]}
                    >
                      <DefaultInput field={{ type, options }} testId="field-form-default" />
                    </Form.Item>
                  ) : (
                    <Typography.Paragraph type="secondary">{t('tkcfg.field.attachmentNoDefault')}</Typography.Paragraph>
                  )}
                </>
              );
            }}
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}
