// Ticket types (T1): the list, a new type (name and description; the server gives it the system
// fields and the default workflow), the active switch, and delete (refused while tickets use the
// type: deactivate it instead).
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Popconfirm, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, LayoutOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { errorText } from '../../api/errors';
import { useT } from '../../i18n';
import { useLoad } from '../../util/useLoad';
import FormModal from '../../components/FormModal';
import { ticketConfigApi, typeInput } from './api';
import type { TicketType } from '../../tickets/types';
import './ticketAdmin.css';

export default function TicketTypesPage() {
  const t = useT();
  const navigate = useNavigate();
  const { message, modal } = AntApp.useApp();
  const types = useLoad<TicketType[]>(() => ticketConfigApi.types(), []);
  const [creating, setCreating] = useState(false);
  const [switching, setSwitching] = useState<string | null>(null);

  const setActive = async (tt: TicketType, active: boolean) => {
    setSwitching(tt.id);
    try {
      const saved = await ticketConfigApi.saveType(tt.id, typeInput({ ...tt, active }));
      types.setData(types.data.map((x) => (x.id === saved.id ? saved : x)));
      message.success(active ? t('tkcfg.type.activated', { name: tt.name }) : t('tkcfg.type.deactivated', { name: tt.name }));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'stale') {
        message.warning(t('tkcfg.type.staleList'));
        void types.reload();
      } else {
        message.error(errorText(e, t));
      }
    } finally {
      setSwitching(null);
    }
  };

  const remove = async (tt: TicketType) => {
    try {
      await ticketConfigApi.deleteType(tt.id);
      message.success(t('common.deleted'));
      void types.reload();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'in_use') {
        modal.confirm({
          title: t('tkcfg.type.inUseTitle', { name: tt.name }),
          content: <span data-testid="type-in-use">{t('tkcfg.type.inUse')}</span>,
          okText: tt.active ? t('tkcfg.type.deactivateInstead') : t('common.ok'),
          cancelText: t('common.cancel'),
          onOk: () => (tt.active ? setActive(tt, false) : undefined),
        });
      } else {
        message.error(errorText(e, t));
      }
    }
  };

  return (
    <Card
      title={t('tkcfg.type.title')}
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void types.reload()}>{t('common.refresh')}</Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="types-add">
            {t('tkcfg.type.add')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('tkcfg.type.help')}</Typography.Paragraph>
      {types.error != null && <Alert type="error" showIcon message={errorText(types.error, t)} style={{ marginBottom: 16 }} />}
      <Table<TicketType>
        rowKey="id"
        loading={types.loading}
        dataSource={types.data}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        data-testid="types-table"
        onRow={(tt) => ({ 'data-testid': `type-row-${tt.name}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('tkcfg.type.name'),
            dataIndex: 'name',
            render: (name: string, tt) => (
              <Space>
                <Link to={`/admin/ticket-types/${tt.id}`}>{name}</Link>
                {!tt.active && <Tag>{t('tkcfg.type.inactive')}</Tag>}
              </Space>
            ),
          },
          { title: t('tkcfg.type.description'), dataIndex: 'description', ellipsis: true, render: (d: string) => d || '—' },
          {
            title: t('tkcfg.type.fieldsCount'),
            key: 'fields',
            align: 'right',
            render: (_, tt) => (
              <Tooltip title={tt.fields.map((f) => f.label).join('、')}>
                {tt.fields.length}
              </Tooltip>
            ),
          },
          { title: t('tkcfg.type.statusesCount'), key: 'statuses', align: 'right', render: (_, tt) => tt.workflow.statuses.length },
          { title: t('tkcfg.type.actionsCount'), key: 'actions', align: 'right', render: (_, tt) => tt.workflow.actions.length },
          { title: t('tkcfg.type.rulesCount'), key: 'rules', align: 'right', render: (_, tt) => (tt.rules ?? []).length },
          { title: t('tkcfg.type.version'), dataIndex: 'version', align: 'right' },
          {
            title: t('tkcfg.type.active'),
            dataIndex: 'active',
            render: (active: boolean, tt) => (
              <Switch
                checked={active}
                loading={switching === tt.id}
                onChange={(v) => void setActive(tt, v)}
                data-testid={`type-active-${tt.name}`}
              />
            ),
          },
          {
            title: t('common.actions'),
            key: 'ops',
            fixed: 'right',
            render: (_, tt) => (
              <Space size={0}>
                <Tooltip title={t('common.edit')}>
                  <Button type="link" size="small" icon={<EditOutlined />} onClick={() => navigate(`/admin/ticket-types/${tt.id}`)} data-testid={`type-edit-${tt.name}`} />
                </Tooltip>
                <Tooltip title={t('tkcfg.type.templates')}>
                  <Button type="link" size="small" icon={<LayoutOutlined />} onClick={() => navigate(`/admin/ticket-templates?type=${tt.id}`)} data-testid={`type-templates-${tt.name}`} />
                </Tooltip>
                <Popconfirm title={t('tkcfg.type.confirmDelete', { name: tt.name })} onConfirm={() => remove(tt)} okText={t('common.ok')} cancelText={t('common.cancel')}>
                  <Tooltip title={t('common.delete')}>
                    <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid={`type-delete-${tt.name}`} />
                  </Tooltip>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <FormModal<{ name: string; description?: string }>
        open={creating}
        formKey="new"
        title={t('tkcfg.type.add')}
        okText={t('common.create')}
        okTestId="type-form-submit"
        successText={t('common.created')}
        banner={<Alert type="info" showIcon message={t('tkcfg.type.addHelp')} style={{ marginBottom: 16 }} />}
        initialValues={{ name: '', description: '' }}
        onSubmit={async (v) => {
          const created = await ticketConfigApi.createType(v.name.trim(), (v.description ?? '').trim());
          navigate(`/admin/ticket-types/${created.id}`);
        }}
        onClose={() => setCreating(false)}
      >
        <Form.Item name="name" label={t('tkcfg.type.name')} rules={[{ required: true, whitespace: true, message: t('tkcfg.type.nameRequired') }, { max: 64 }]}>
          <Input maxLength={64} autoFocus data-testid="type-form-name" />
        </Form.Item>
        <Form.Item name="description" label={t('tkcfg.type.description')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="type-form-description" />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
