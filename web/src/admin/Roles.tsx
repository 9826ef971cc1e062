import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Checkbox, Form, Input, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { rolesApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { Permission, Role } from '../api/types';
import { useT } from '../i18n';
import { useLoad } from '../util/useLoad';
import FormModal from '../components/FormModal';
import { permissionLabel, roleLabel } from './labels';

const isLocked = (r: Role) => r.builtin && r.name === 'admin';

export default function RolesPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  const roles = useLoad<Role[]>(() => rolesApi.list(), []);
  const perms = useLoad<Permission[]>(() => rolesApi.permissions(), []);
  const [editing, setEditing] = useState<Role | 'new' | null>(null);

  const remove = async (r: Role) => {
    try {
      await rolesApi.remove(r.id);
      message.success(t('common.deleted'));
      void roles.reload();
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  return (
    <Card
      title={t('roles.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="roles-add">
          {t('roles.add')}
        </Button>
      }
    >
      {(roles.error ?? perms.error) != null && (
        <Alert type="error" showIcon message={errorText(roles.error ?? perms.error, t)} style={{ marginBottom: 16 }} />
      )}
      <Table<Role>
        rowKey="id"
        loading={roles.loading}
        dataSource={roles.data}
        pagination={false}
        data-testid="roles-table"
        onRow={(r) => ({ 'data-testid': `role-row-${r.name}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('roles.name'), dataIndex: 'name', render: (n: string) => roleLabel(n, t) },
          {
            title: t('roles.type'),
            dataIndex: 'builtin',
            width: 110,
            render: (b: boolean) => (b ? <Tag color="blue">{t('roles.builtin')}</Tag> : <Tag>{t('roles.custom')}</Tag>),
          },
          {
            title: t('roles.permissions'),
            dataIndex: 'permissions',
            render: (ps: string[]) => (
              <Space size={[4, 4]} wrap>
                {ps.map((p) => (
                  <Tooltip key={p} title={p}>
                    <Tag>{permissionLabel(p, t, perms.data.find((x) => x.code === p)?.description)}</Tag>
                  </Tooltip>
                ))}
              </Space>
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 110,
            render: (_, r) => (
              <Space size={0}>
                <Tooltip title={isLocked(r) ? t('common.view') : t('common.edit')}>
                  <Button
                    type="link"
                    size="small"
                    icon={isLocked(r) ? <EyeOutlined /> : <EditOutlined />}
                    onClick={() => setEditing(r)}
                    data-testid={`role-edit-${r.name}`}
                  />
                </Tooltip>
                <Popconfirm
                  title={t('roles.confirmDelete', { name: r.name })}
                  onConfirm={() => remove(r)}
                  disabled={r.builtin}
                  okText={t('common.ok')}
                  cancelText={t('common.cancel')}
                >
                  <Tooltip title={r.builtin ? t('roles.builtinNoDelete') : t('common.delete')}>
                    <Button type="link" size="small" danger icon={<DeleteOutlined />} disabled={r.builtin} data-testid={`role-delete-${r.name}`} />
                  </Tooltip>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <RoleModal
        role={editing}
        permissions={perms.data}
        onClose={() => setEditing(null)}
        onDone={() => void roles.reload()}
      />
    </Card>
  );
}

function RoleModal({ role, permissions, onClose, onDone }: { role: Role | 'new' | null; permissions: Permission[]; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const existing = role && role !== 'new' ? role : null;
  const readOnly = !!existing && isLocked(existing);

  const submit = async (v: { name: string; permissions: string[] }) => {
    if (existing) {
      await rolesApi.update(existing.id, existing.builtin ? { permissions: v.permissions } : { name: v.name.trim(), permissions: v.permissions });
    } else {
      await rolesApi.create(v.name.trim(), v.permissions);
    }
  };

  return (
    <FormModal<{ name: string; permissions: string[] }>
      open={role !== null}
      formKey={existing?.id ?? 'new'}
      title={existing ? (readOnly ? t('roles.view') : t('roles.edit')) : t('roles.add')}
      okTestId="role-form-submit"
      successText={existing ? t('common.saved') : t('common.created')}
      width={640}
      readOnly={readOnly}
      banner={readOnly && <Alert type="info" showIcon message={t('roles.adminReadOnly')} style={{ marginBottom: 16 }} />}
      initialValues={{ name: existing?.name ?? '', permissions: existing?.permissions ?? [] }}
      onSubmit={submit}
      onClose={onClose}
      onDone={onDone}
    >
      <Form.Item name="name" label={t('roles.name')} rules={[{ required: true, whitespace: true, message: t('roles.nameRequired') }]}>
        <Input disabled={readOnly || !!existing?.builtin} data-testid="role-form-name" />
      </Form.Item>
      <Form.Item name="permissions" label={t('roles.permissions')}>
        <Checkbox.Group style={{ width: '100%' }} data-testid="role-form-permissions">
          <Space direction="vertical" style={{ width: '100%' }}>
            {permissions.map((p) => (
              <Checkbox key={p.code} value={p.code} data-testid={`perm-${p.code}`}>
                {permissionLabel(p.code, t, p.description)}{' '}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {p.code}
                  {p.description && permissionLabel(p.code, t, p.description) !== p.description ? ` · ${p.description}` : ''}
                </Typography.Text>
              </Checkbox>
            ))}
          </Space>
        </Checkbox.Group>
      </Form.Item>
    </FormModal>
  );
}
