// The ticket's fields in the template's layout; "Edit" turns them into the same generated form
// and saves the changed fields with the ticket's version (409 stale: someone else saved first).
import { useMemo, useState } from 'react';
import { Button, Card, Descriptions, Form, Space, TreeSelect, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { ApiError } from '../api/client';
import { errorDetail } from '../api/errors';
import { useT } from '../i18n';
import { ticketsApi } from './api';
import { categoryTree } from './categories';
import { changedValues, detailLayout, displayValue, formValuesOf, viewSpans, type FormValue } from './fields';
import { fieldName, TicketFieldItems } from './FieldInput';
import type { Ticket, TicketTemplate } from './types';
import type { TicketHandle } from './useTicket';
import type { TicketMeta } from './useTicketMeta';

interface Props {
  ticket: Ticket;
  template: TicketTemplate | null;
  meta: TicketMeta;
  handle: TicketHandle;
}

interface EditValues {
  category_id?: string | null;
  f?: Record<string, FormValue>;
}

export default function FieldsCard({ ticket, template, meta, handle }: Props) {
  const t = useT();
  const type = meta.typeById(ticket.type_id);
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<EditValues>();
  const layout = useMemo(() => (type ? detailLayout(type, template, ticket.fields ?? {}) : []), [type, template, ticket.fields]);
  const spans = useMemo(() => viewSpans(layout), [layout]);

  const save = async (v: EditValues) => {
    const fields = changedValues(layout, ticket.fields ?? {}, v.f ?? {});
    const category = (v.category_id ?? null) !== (ticket.category_id ?? null) ? (v.category_id ?? null) : undefined;
    if (Object.keys(fields).length === 0 && category === undefined) {
      setEditing(false);
      return;
    }
    setBusy(true);
    const result = await handle.run(() => ticketsApi.edit(ticket.id, ticket.version, fields, category), {
      onError: (e) => {
        if (!(e instanceof ApiError) || !e.field) return false;
        const text = errorDetail(e, t);
        if (e.field === 'category_id') form.setFields([{ name: 'category_id', errors: [text] }]);
        else if (layout.some((i) => i.field.code === e.field)) {
          form.setFields([{ name: fieldName(e.field), errors: [text] }]);
          form.scrollToField(fieldName(e.field));
        } else return false;
        return true;
      },
    });
    setBusy(false);
    // Saved, or stale (the ticket was reloaded: show the new values): leave edit mode.
    if (result !== 'error') setEditing(false);
  };

  const startEdit = () => {
    form.resetFields();
    form.setFieldsValue({ category_id: ticket.category_id ?? undefined, f: formValuesOf(layout, ticket.fields ?? {}) });
    setEditing(true);
  };

  return (
    <Card
      size="small"
      title={t('tk.fields.title')}
      data-testid="ticket-fields"
      extra={
        ticket.can.edit &&
        !editing && (
          <Button size="small" icon={<EditOutlined />} onClick={startEdit} data-testid="ticket-edit">
            {t('common.edit')}
          </Button>
        )
      }
    >
      {!type ? (
        <Typography.Text type="secondary">{meta.loading ? t('common.loading') : t('tk.fields.unknownType')}</Typography.Text>
      ) : editing ? (
        <Form<EditValues> form={form} layout="vertical" onFinish={(v) => void save(v)} data-testid="ticket-edit-form">
          <Form.Item name="category_id" label={t('tk.col.category')}>
            <TreeSelect allowClear showSearch treeNodeFilterProp="title" treeDefaultExpandAll treeData={categoryTree(meta.categories)} style={{ maxWidth: 420 }} />
          </Form.Item>
          <TicketFieldItems items={layout} />
          <Space>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="ticket-edit-save">
              {t('common.save')}
            </Button>
            <Button onClick={() => setEditing(false)} disabled={busy} data-testid="ticket-edit-cancel">
              {t('common.cancel')}
            </Button>
          </Space>
        </Form>
      ) : (
        <Descriptions size="small" column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} colon={false} layout="vertical" className="tk-fields-view">
          {layout.map(({ field }, i) => {
            const text = displayValue(field, ticket.fields?.[field.code]);
            return (
              <Descriptions.Item key={field.code} label={field.label} span={spans[i]}>
                <span className={field.type === 'long_text' ? 'tk-long-text' : undefined} data-testid={`ticket-field-${field.code}`}>
                  {text || <Typography.Text type="secondary">—</Typography.Text>}
                </span>
              </Descriptions.Item>
            );
          })}
        </Descriptions>
      )}
    </Card>
  );
}
