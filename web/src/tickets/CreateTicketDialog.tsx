// Create a ticket: category, type and template first; the form is generated from the template's
// fields (the type's definitions). Opened from a contact, `GET /tickets/prefill` fills it in.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App as AntApp, Col, Divider, Empty, Form, Modal, Row, Select, Skeleton, TreeSelect } from 'antd';
import { ApiError } from '../api/client';
import { errorDetail, errorText } from '../api/errors';
import { useT } from '../i18n';
import { tid } from '../util/testid';
import { ticketsApi } from './api';
import { categoryTree } from './categories';
import { apiValuesForCreate, defaultFormValues, formLayout, formValuesOf, type FormValue } from './fields';
import { fieldName, TicketFieldItems } from './FieldInput';
import type { Ticket } from './types';
import { useTemplates, useTicketMeta } from './useTicketMeta';

interface Props {
  open: boolean;
  contactId?: string;
  onClose: () => void;
  onCreated?: (t: Ticket) => void;
}

interface MetaValues {
  category_id?: string;
  type_id?: string;
  template_id?: string;
  group_id?: string;
  f?: Record<string, FormValue>;
}

export default function CreateTicketDialog({ open, contactId, onClose, onCreated }: Props) {
  const t = useT();
  const { message } = AntApp.useApp();
  const meta = useTicketMeta();
  const [form] = Form.useForm<MetaValues>();
  const typeId = Form.useWatch('type_id', form);
  const templateId = Form.useWatch('template_id', form);
  const { templates, loading: templatesLoading, error: templatesError } = useTemplates(typeId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [prefillError, setPrefillError] = useState<string | null>(null);

  const types = useMemo(() => meta.types.filter((x) => x.active), [meta.types]);
  const type = meta.typeById(typeId);
  const template = templates.find((x) => x.id === templateId) ?? null;
  const layout = useMemo(() => (type ? formLayout(type, template) : []), [type, template]);

  // The first type is chosen at once (initialValues), or when the types arrive.
  const firstType = types[0]?.id;
  useEffect(() => {
    if (open && firstType && !form.getFieldValue('type_id')) form.setFieldValue('type_id', firstType);
  }, [open, firstType, form]);

  // A new type: choose its first template.
  useEffect(() => {
    if (!typeId || templatesLoading) return;
    const cur = form.getFieldValue('template_id') as string | undefined;
    if (!templates.some((x) => x.id === cur)) form.setFieldValue('template_id', templates[0]?.id);
  }, [typeId, templates, templatesLoading, form]);

  // A new layout: defaults, then what the contact knows.
  const prefillFor = useRef<string>('');
  useEffect(() => {
    if (!open || !type || layout.length === 0) return;
    const key = `${type.id}:${template?.id ?? ''}`;
    if (prefillFor.current === key) return;
    prefillFor.current = key;
    const prev = (form.getFieldValue('f') ?? {}) as Record<string, FormValue>;
    const values: Record<string, FormValue> = { ...defaultFormValues(layout) };
    // Keep what the user already typed into fields that stay.
    for (const { field } of layout) if (prev[field.code] !== undefined && prev[field.code] !== '') values[field.code] = prev[field.code];
    form.setFieldValue('f', values);
    if (!contactId) return;
    setPrefillError(null);
    ticketsApi.prefill(contactId, type.id).then(
      (p) => {
        if (prefillFor.current !== key) return;
        const filled = formValuesOf(layout, p.fields ?? {});
        const cur = (form.getFieldValue('f') ?? {}) as Record<string, FormValue>;
        const merged: Record<string, FormValue> = { ...cur };
        for (const [code, v] of Object.entries(filled)) if (v !== undefined) merged[code] = v;
        form.setFieldValue('f', merged);
      },
      (e) => prefillFor.current === key && setPrefillError(errorText(e, t)),
    );
  }, [open, type, template, layout, contactId, form, t]);

  useEffect(() => {
    if (!open) {
      prefillFor.current = '';
      setError(null);
      setPrefillError(null);
    }
  }, [open]);

  const submit = async () => {
    let values: MetaValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    if (!type) return;
    setBusy(true);
    setError(null);
    try {
      const created = await ticketsApi.create({
        type_id: type.id,
        ...(values.template_id ? { template_id: values.template_id } : {}),
        ...(values.category_id ? { category_id: values.category_id } : {}),
        ...(values.group_id ? { group_id: values.group_id } : {}),
        ...(contactId ? { contact_id: contactId } : {}),
        fields: apiValuesForCreate(layout, values.f ?? {}),
      });
      message.success(t('tk.create.done', { number: created.number }));
      form.resetFields();
      onClose();
      onCreated?.(created);
    } catch (e) {
      const text = errorText(e, t);
      if (e instanceof ApiError && e.field && layout.some((l) => l.field.code === e.field)) {
        form.setFields([{ name: fieldName(e.field), errors: [errorDetail(e, t)] }]);
        form.scrollToField(fieldName(e.field));
      } else if (e instanceof ApiError && e.field && ['category_id', 'type_id', 'template_id', 'group_id'].includes(e.field)) {
        form.setFields([{ name: e.field as keyof MetaValues, errors: [text] }]);
      } else {
        setError(text);
      }
    } finally {
      setBusy(false);
    }
  };

  const loadError = meta.error ?? templatesError;
  return (
    <Modal
      open={open}
      title={t('tk.create.title')}
      width={880}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('tk.create.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ disabled: !type, ...tid('ticket-create-submit') }}
      destroyOnHidden
    >
      {loadError != null && <Alert type="error" showIcon message={errorText(loadError, t)} style={{ marginBottom: 12 }} />}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="ticket-create-error" />}
      {prefillError && <Alert type="warning" showIcon message={t('tk.create.prefillFailed', { error: prefillError })} style={{ marginBottom: 12 }} />}
      {meta.loading && meta.types.length === 0 ? (
        <Skeleton active />
      ) : types.length === 0 ? (
        <Empty description={t('tk.create.noTypes')} />
      ) : (
        <Form<MetaValues> form={form} layout="vertical" onFinish={() => void submit()} data-testid="ticket-create-form" initialValues={{ type_id: firstType }}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="category_id" label={t('tk.col.category')}>
                <TreeSelect
                  allowClear
                  showSearch
                  treeNodeFilterProp="title"
                  treeDefaultExpandAll
                  treeData={categoryTree(meta.categories)}
                  placeholder={t('tk.form.choose')}
                  data-testid="ticket-create-category"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="type_id" label={t('tk.col.type')} rules={[{ required: true, message: t('tk.v.required') }]}>
                <Select options={types.map((x) => ({ value: x.id, label: x.name }))} showSearch optionFilterProp="label" data-testid="ticket-create-type" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="template_id" label={t('tk.form.template')}>
                <Select
                  allowClear
                  loading={templatesLoading}
                  options={templates.map((x) => ({ value: x.id, label: x.name }))}
                  placeholder={t('tk.form.noTemplate')}
                  data-testid="ticket-create-template"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="group_id" label={t('tk.col.group')} extra={t('tk.create.groupHelp')}>
                <Select
                  allowClear
                  showSearch
                  optionFilterProp="label"
                  options={meta.dir.queues.map((q) => ({ value: q.id, label: q.name }))}
                  placeholder={t('tk.create.toMe')}
                  data-testid="ticket-create-group"
                />
              </Form.Item>
            </Col>
          </Row>
          <Divider style={{ margin: '4px 0 16px' }} />
          {layout.length > 0 ? <TicketFieldItems items={layout} /> : <Skeleton active />}
          {/* Enter in a single-line input submits. */}
          <button type="submit" hidden aria-hidden tabIndex={-1} />
        </Form>
      )}
    </Modal>
  );
}
