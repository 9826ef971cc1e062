// Ticket templates (T1): per type, an ordered choice of its fields (drag, or up / down), each half or
// full width, with a live preview of the two-column form. `title` is always in a template.
import { useEffect, useMemo, useState, type DragEvent } from 'react';
import {
  Alert, App as AntApp, Button, Card, Checkbox, Col, DatePicker, Empty, Form, Input, InputNumber, Popconfirm, Row, Segmented,
  Select, Space, Table, Tag, Tooltip, Typography, Upload,
} from 'antd';
import {
  DeleteOutlined, EditOutlined, HolderOutlined, PlusOutlined, ReloadOutlined, UploadOutlined,
} from '@ant-design/icons';
import { useSearchParams } from 'react-router-dom';
import { errorText } from '../../api/errors';
import { useT } from '../../i18n';
import { useLoad } from '../../util/useLoad';
import FormModal from '../../components/FormModal';
import { ticketConfigApi } from './api';
import { addToLayout, layoutRows, moveInLayout, normalizeLayout, removeFromLayout, setWidth, starterLayout, unusedFields } from './template';
import { fieldTypeLabel, KIND_COLORS } from './FieldsTab';
import type { FieldDef, LayoutItem, TicketTemplate, TicketType } from '../../tickets/types';
import './ticketAdmin.css';
import MoveButtons from './MoveButtons';

export default function TicketTemplatesPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  const [params, setParams] = useSearchParams();
  const types = useLoad<TicketType[]>(() => ticketConfigApi.types(), []);
  const typeId = params.get('type') ?? '';
  const type = types.data.find((x) => x.id === typeId);
  const [templates, setTemplates] = useState<TicketTemplate[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<TicketTemplate | 'new' | null>(null);

  // Without a type in the address, pick the first active one.
  useEffect(() => {
    if (!typeId && types.data.length) {
      const first = types.data.find((x) => x.active) ?? types.data[0];
      setParams({ type: first.id }, { replace: true });
    }
  }, [typeId, types.data, setParams]);

  const load = async (id: string) => {
    setLoading(true);
    try {
      setTemplates(await ticketConfigApi.templates(id));
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    if (typeId) void load(typeId);
    else setTemplates([]);
  }, [typeId]);

  const remove = async (tpl: TicketTemplate) => {
    try {
      await ticketConfigApi.deleteTemplate(tpl.id);
      message.success(t('common.deleted'));
      void load(typeId);
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  const label = (code: string) => type?.fields.find((f) => f.code === code)?.label ?? code;

  return (
    <Card
      title={t('tkcfg.tpl.title')}
      extra={
        <Space wrap>
          <Select
            style={{ minWidth: 240 }}
            loading={types.loading}
            value={type ? type.id : undefined}
            placeholder={t('tkcfg.tpl.pickType')}
            onChange={(v: string) => setParams({ type: v })}
            options={types.data.map((x) => ({ value: x.id, label: x.active ? x.name : `${x.name} (${t('tkcfg.type.inactive')})` }))}
            data-testid="tpl-type"
          />
          <Button icon={<ReloadOutlined />} onClick={() => typeId && void load(typeId)} disabled={!typeId}>{t('common.refresh')}</Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} disabled={!type} data-testid="tpl-add">
            {t('tkcfg.tpl.add')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('tkcfg.tpl.help')}</Typography.Paragraph>
      {types.error != null && <Alert type="error" showIcon message={errorText(types.error, t)} style={{ marginBottom: 16 }} />}
      {error != null && <Alert type="error" showIcon message={errorText(error, t)} style={{ marginBottom: 16 }} />}
      {!types.loading && types.data.length === 0 ? (
        <Empty description={t('tkcfg.tpl.noTypes')} />
      ) : (
        <Table<TicketTemplate>
          rowKey="id"
          loading={loading || types.loading}
          dataSource={templates}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          data-testid="tpl-table"
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tkcfg.tpl.empty')} /> }}
          onRow={(tpl) => ({ 'data-testid': `tpl-row-${tpl.name}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('tkcfg.tpl.name'), dataIndex: 'name', render: (n: string) => <Typography.Text strong>{n}</Typography.Text> },
            {
              title: t('tkcfg.tpl.fields'),
              dataIndex: 'fields',
              render: (items: LayoutItem[]) => (
                <Space size={[4, 4]} wrap>
                  {items.map((i) => (
                    <Tag key={i.code} color={i.width === 'full' ? 'blue' : undefined}>
                      {label(i.code)}
                    </Tag>
                  ))}
                </Space>
              ),
            },
            {
              title: t('common.actions'),
              key: 'ops',
              width: 100,
              render: (_, tpl) => (
                <Space size={0}>
                  <Tooltip title={t('common.edit')}>
                    <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(tpl)} data-testid={`tpl-edit-${tpl.name}`} />
                  </Tooltip>
                  <Popconfirm title={t('tkcfg.tpl.confirmDelete', { name: tpl.name })} onConfirm={() => remove(tpl)} okText={t('common.ok')} cancelText={t('common.cancel')}>
                    <Tooltip title={t('common.delete')}>
                      <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid={`tpl-delete-${tpl.name}`} />
                    </Tooltip>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      )}
      {type && <TemplateModal template={editing} type={type} onClose={() => setEditing(null)} onDone={() => void load(type.id)} />}
    </Card>
  );
}

interface TemplateForm {
  name: string;
  fields: LayoutItem[];
}

function TemplateModal({ template, type, onClose, onDone }: {
  template: TicketTemplate | 'new' | null;
  type: TicketType;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const existing = template && template !== 'new' ? template : null;
  const initial = useMemo(
    () => ({ name: existing?.name ?? '', fields: existing ? normalizeLayout(existing.fields, type.fields) : starterLayout(type.fields) }),
    [existing, type],
  );
  return (
    <FormModal<TemplateForm>
      open={template !== null}
      formKey={existing?.id ?? 'new'}
      title={existing ? t('tkcfg.tpl.editTitle', { name: existing.name }) : t('tkcfg.tpl.addTitle', { type: type.name })}
      okText={existing ? t('common.save') : t('common.create')}
      okTestId="tpl-form-submit"
      successText={existing ? t('common.saved') : t('common.created')}
      width={1180}
      initialValues={initial}
      onSubmit={async (v) => {
        const body = { type_id: type.id, name: v.name.trim(), fields: normalizeLayout(v.fields ?? [], type.fields) };
        if (existing) await ticketConfigApi.updateTemplate(existing.id, body);
        else await ticketConfigApi.createTemplate(body);
      }}
      onClose={onClose}
      onDone={onDone}
    >
      {(form) => (
        <>
          <Form.Item name="name" label={t('tkcfg.tpl.name')} rules={[{ required: true, whitespace: true, message: t('tkcfg.tpl.nameRequired') }, { max: 64 }]} style={{ maxWidth: 420 }}>
            <Input maxLength={64} data-testid="tpl-form-name" />
          </Form.Item>
          <Row gutter={24}>
            <Col xs={24} lg={11}>
              <Form.Item name="fields" label={t('tkcfg.tpl.layout')} extra={t('tkcfg.tpl.layoutHelp')}>
                <LayoutEditor fields={type.fields} />
              </Form.Item>
            </Col>
            <Col xs={24} lg={13}>
              <Typography.Text strong>{t('tkcfg.tpl.preview')}</Typography.Text>
              <Form.Item noStyle shouldUpdate={(a: TemplateForm, b: TemplateForm) => a.fields !== b.fields}>
                {() => <TemplatePreview items={(form.getFieldValue('fields') as LayoutItem[]) ?? []} fields={type.fields} />}
              </Form.Item>
            </Col>
          </Row>
        </>
      )}
    </FormModal>
  );
}

/** The ordered fields of a template: drag or up / down, half or full, remove (not the title), add. */
function LayoutEditor({ fields, value = [], onChange }: { fields: FieldDef[]; value?: LayoutItem[]; onChange?: (v: LayoutItem[]) => void }) {
  const t = useT();
  const [dragging, setDragging] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const set = (next: LayoutItem[]) => onChange?.(next);
  const field = (code: string) => fields.find((f) => f.code === code);
  const unused = unusedFields(value, fields);

  const drop = (e: DragEvent, to: number) => {
    e.preventDefault();
    if (dragging !== null && dragging !== to) set(moveInLayout(value, dragging, to - dragging));
    setDragging(null);
    setOver(null);
  };

  return (
    <div className="tkcfg-layout" data-testid="tpl-layout">
      {value.map((item, i) => {
        const f = field(item.code);
        return (
          <div
            key={item.code}
            className={`tkcfg-layout-row${over === i && dragging !== null && dragging !== i ? ' tkcfg-layout-over' : ''}${dragging === i ? ' tkcfg-layout-dragging' : ''}`}
            draggable
            onDragStart={(e) => {
              setDragging(i);
              e.dataTransfer.effectAllowed = 'move';
              e.dataTransfer.setData('text/plain', item.code);
            }}
            onDragOver={(e) => {
              e.preventDefault();
              setOver(i);
            }}
            onDragEnd={() => {
              setDragging(null);
              setOver(null);
            }}
            onDrop={(e) => drop(e, i)}
            data-testid={`tpl-item-${item.code}`}
          >
            <HolderOutlined className="tkcfg-layout-handle" />
            <span className="tkcfg-layout-label">
              {f?.label ?? item.code}
              {f?.required && <span className="tkcfg-required">*</span>}
              <Typography.Text type="secondary" className="tkcfg-layout-code">{item.code}</Typography.Text>
            </span>
            <Segmented
              size="small"
              value={item.width}
              onChange={(w) => set(setWidth(value, item.code, w as LayoutItem['width']))}
              options={[
                { value: 'half', label: t('tkcfg.tpl.half') },
                { value: 'full', label: t('tkcfg.tpl.full') },
              ]}
              data-testid={`tpl-width-${item.code}`}
            />
            <Space size={0}>
              <MoveButtons index={i} count={value.length} onMove={(d) => set(moveInLayout(value, i, d))} upTestId={`tpl-up-${item.code}`} downTestId={`tpl-down-${item.code}`} />
              <Tooltip title={item.code === 'title' ? t('tkcfg.tpl.titleStays') : t('common.remove')}>
                <Button type="text" size="small" danger icon={<DeleteOutlined />} disabled={item.code === 'title'} onClick={() => set(removeFromLayout(value, item.code))} data-testid={`tpl-remove-${item.code}`} />
              </Tooltip>
            </Space>
          </div>
        );
      })}
      <Select
        className="tkcfg-layout-add"
        value={null}
        placeholder={unused.length ? t('tkcfg.tpl.addField') : t('tkcfg.tpl.allUsed')}
        disabled={unused.length === 0}
        showSearch
        optionFilterProp="label"
        onChange={(code: string) => {
          const f = field(code);
          if (f) set(addToLayout(value, f));
        }}
        options={unused.map((f) => ({
          value: f.code,
          label: `${f.label} (${f.code})`,
        }))}
        optionRender={(o) => {
          const f = field(String(o.value));
          return (
            <Space>
              {f && <Tag color={KIND_COLORS[f.kind]}>{t(`tkcfg.kind.${f.kind}`)}</Tag>}
              {o.label}
              {f && <Typography.Text type="secondary">{fieldTypeLabel(t, f.type)}</Typography.Text>}
            </Space>
          );
        }}
        data-testid="tpl-add-field"
      />
    </div>
  );
}

/** The form the template gives, on the two-column grid (disabled sample inputs). */
function TemplatePreview({ items, fields }: { items: LayoutItem[]; fields: FieldDef[] }) {
  const t = useT();
  const rows = layoutRows(items);
  if (rows.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <div className="tkcfg-preview" data-testid="tpl-preview">
      {rows.map((row) => (
        <div key={row.map((i) => i.code).join('+')} className="tkcfg-preview-row">
          {row.map((item) => {
            const f = fields.find((x) => x.code === item.code);
            return (
              <div key={item.code} className={`tkcfg-preview-cell tkcfg-preview-${item.width}`} data-testid={`tpl-preview-${item.code}`}>
                <div className="tkcfg-preview-label">
                  {f?.required && <span className="tkcfg-required">*</span>}
                  {f?.label ?? item.code}
                </div>
                {f ? <SampleInput field={f} /> : <Input disabled size="small" />}
              </div>
            );
          })}
        </div>
      ))}
      {items.length > 0 && (
        <Typography.Text type="secondary" className="tkcfg-preview-note">
          {t('tkcfg.tpl.previewNote')}
        </Typography.Text>
      )}
    </div>
  );
}

function SampleInput({ field }: { field: FieldDef }) {
  const t = useT();
  const opts = (field.options ?? []).map((o) => ({ value: o.value, label: o.label }));
  const placeholder = fieldTypeLabel(t, field.type);
  const common = { disabled: true, size: 'small' as const, style: { width: '100%' }, placeholder };
  switch (field.type) {
    case 'long_text':
      return <Input.TextArea disabled rows={2} placeholder={placeholder} />;
    case 'number':
      return <InputNumber {...common} />;
    case 'date':
      return <DatePicker {...common} />;
    case 'datetime':
      return <DatePicker {...common} showTime />;
    case 'single_select':
    case 'cascade':
      return <Select {...common} options={opts} />;
    case 'multi_select':
      return opts.length <= 4 ? <Checkbox.Group disabled options={opts} /> : <Select {...common} mode="multiple" options={opts} />;
    case 'attachment':
      return (
        <Upload disabled>
          <Button size="small" icon={<UploadOutlined />} disabled>{placeholder}</Button>
        </Upload>
      );
    default:
      return <Input {...common} />;
  }
}
