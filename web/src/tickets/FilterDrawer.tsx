// Advanced filters: status, type, category, group, assignee, priority, created range, flag, and
// per-field inputs generated from the chosen type's fields (`f.<code>`, exact match).
import { useEffect, useMemo } from 'react';
import { Button, DatePicker, Divider, Drawer, Form, Select, Space, TreeSelect, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useT } from '../i18n';
import { FLAG_HEX } from './actions';
import { categoryTree } from './categories';
import { peopleOptions } from './directory';
import { filterableField, filterText, toFormValue, type FormValue } from './fields';
import { FieldInput } from './FieldInput';
import { flagText, priorityText } from './labels';
import { compactFilters } from './query';
import type { TicketMeta } from './useTicketMeta';
import { FLAG_COLORS, PRIORITIES, type FlagColor, type StatusCategory, type TicketFilters } from './types';

interface Props {
  open: boolean;
  filters: TicketFilters;
  meta: TicketMeta;
  onClose: () => void;
  onApply: (f: TicketFilters) => void;
}

interface DrawerValues {
  status?: string;
  status_category?: StatusCategory;
  type_id?: string;
  category_id?: string;
  group_id?: string;
  assignee_id?: string;
  priority?: string;
  created?: [Dayjs | null, Dayjs | null];
  flag?: FlagColor;
  ff?: Record<string, FormValue>;
}

function toDrawer(f: TicketFilters, meta: TicketMeta): DrawerValues {
  const type = meta.typeById(f.type_id);
  const ff: Record<string, FormValue> = {};
  for (const [code, v] of Object.entries(f.fields ?? {})) {
    const def = type?.fields.find((x) => x.code === code);
    ff[code] = def ? (def.type === 'multi_select' ? v : toFormValue(def, v)) : v;
  }
  const from = f.created_from ? dayjs(f.created_from) : null;
  const to = f.created_to ? dayjs(f.created_to) : null;
  return {
    status: f.status,
    status_category: f.status_category,
    type_id: f.type_id,
    category_id: f.category_id,
    group_id: f.group_id,
    assignee_id: f.assignee_id,
    priority: f.priority,
    created: from || to ? [from, to] : undefined,
    flag: f.flag,
    ff,
  };
}

export default function FilterDrawer({ open, filters, meta, onClose, onApply }: Props) {
  const t = useT();
  const [form] = Form.useForm<DrawerValues>();
  const typeId = Form.useWatch('type_id', form);
  const type = meta.typeById(typeId);

  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue(toDrawer(filters, meta));
    }
    // Only when the drawer opens: the user's edits stay while it is open.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const statusOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const ty of type ? [type] : meta.types) for (const s of ty.workflow?.statuses ?? []) if (!seen.has(s.code)) seen.set(s.code, s.label);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [type, meta.types]);

  const fieldDefs = useMemo(() => (type?.fields ?? []).filter(filterableField), [type]);

  const apply = (v: DrawerValues) => {
    const fields: Record<string, string> = {};
    for (const def of fieldDefs) {
      const text = filterText(def, v.ff?.[def.code]);
      if (text) fields[def.code] = text;
    }
    const [from, to] = v.created ?? [null, null];
    onApply(
      compactFilters({
        q: filters.q,
        text: filters.text,
        status: v.status,
        status_category: v.status_category,
        type_id: v.type_id,
        category_id: v.category_id,
        group_id: v.group_id,
        assignee_id: v.assignee_id,
        priority: v.priority,
        created_from: from ? from.startOf('day').format() : undefined,
        created_to: to ? to.endOf('day').format() : undefined,
        flag: v.flag,
        fields,
      }),
    );
    onClose();
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('tk.filter.title')}
      width={440}
      data-testid="ticket-filter-drawer"
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button
            onClick={() => {
              form.resetFields();
              form.setFieldsValue({ ff: {} });
            }}
            data-testid="ticket-filter-reset"
          >
            {t('tk.filter.reset')}
          </Button>
          <Button type="primary" onClick={() => form.submit()} data-testid="ticket-filter-apply">
            {t('tk.filter.apply')}
          </Button>
        </Space>
      }
    >
      <Form<DrawerValues> form={form} layout="vertical" onFinish={apply}>
        <Form.Item name="type_id" label={t('tk.col.type')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            options={meta.types.map((x) => ({ value: x.id, label: x.name }))}
            onChange={() => form.setFieldsValue({ ff: {}, status: undefined })}
            data-testid="filter-type"
          />
        </Form.Item>
        <Form.Item name="status" label={t('tk.col.status')}>
          <Select allowClear showSearch optionFilterProp="label" options={statusOptions} data-testid="filter-status" />
        </Form.Item>
        <Form.Item name="status_category" label={t('tk.filter.statusCategory')}>
          <Select
            allowClear
            options={(['open', 'pending', 'closed'] as const).map((c) => ({ value: c, label: t(`tk.cat.${c}`) }))}
            data-testid="filter-status-category"
          />
        </Form.Item>
        <Form.Item name="category_id" label={t('tk.col.category')}>
          <TreeSelect allowClear showSearch treeNodeFilterProp="title" treeDefaultExpandAll treeData={categoryTree(meta.categories)} data-testid="filter-category" />
        </Form.Item>
        <Form.Item name="group_id" label={t('tk.col.group')}>
          <Select allowClear showSearch optionFilterProp="label" options={meta.dir.queues.map((q) => ({ value: q.id, label: q.name }))} data-testid="filter-group" />
        </Form.Item>
        <Form.Item name="assignee_id" label={t('tk.col.assignee')}>
          <Select allowClear showSearch optionFilterProp="label" options={peopleOptions(meta.dir, [filters.assignee_id])} data-testid="filter-assignee" />
        </Form.Item>
        <Form.Item name="priority" label={t('tk.col.priority')}>
          <Select allowClear options={PRIORITIES.map((p) => ({ value: p, label: priorityText(t, p) }))} data-testid="filter-priority" />
        </Form.Item>
        <Form.Item name="created" label={t('tk.filter.created')}>
          <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} data-testid="filter-created" />
        </Form.Item>
        <Form.Item name="flag" label={t('tk.filter.flag')}>
          <Select
            allowClear
            options={FLAG_COLORS.map((c) => ({
              value: c,
              label: (
                <Space size={6}>
                  <span className="tk-flag-dot" style={{ background: FLAG_HEX[c] }} />
                  {flagText(t, c)}
                </Space>
              ),
            }))}
            data-testid="filter-flag"
          />
        </Form.Item>
        {type && fieldDefs.length > 0 && (
          <>
            <Divider plain style={{ margin: '8px 0 12px' }}>
              {t('tk.filter.fields', { type: type.name })}
            </Divider>
            {fieldDefs.map((def) => (
              <Form.Item key={def.code} name={['ff', def.code]} label={def.label}>
                <FieldInput field={{ ...def, required: false }} filter />
              </Form.Item>
            ))}
          </>
        )}
        {!type && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('tk.filter.pickType')}
          </Typography.Text>
        )}
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Drawer>
  );
}
