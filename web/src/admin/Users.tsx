import { useMemo, useState } from 'react';
import {
  Alert, App as AntApp, Button, Card, Divider, Form, Input, InputNumber, Popconfirm, Radio, Select, Space, Switch,
  Table, Tag, Tooltip, Typography,
} from 'antd';
import { EditOutlined, KeyOutlined, PlusOutlined, ReloadOutlined, StopOutlined, UploadOutlined } from '@ant-design/icons';
import { rolesApi, usersApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { Role, SignInMode, User } from '../api/types';
import { useI18n, useT } from '../i18n';
import { useLoad } from '../util/useLoad';
import FormModal from '../components/FormModal';
import { roleLabel } from './labels';
import { rangeRule } from './ranges';
import ImportModal from '../components/ImportModal';

interface CreateForm {
  login: string;
  real_name: string;
  display_name: string;
  chat_limit: number;
  roles: string[];
  password: string;
}

interface EditForm {
  real_name: string;
  display_name: string;
  chat_limit: number;
  roles: string[];
  active: boolean;
  sign_in_mode: SignInMode;
  auto_answer: boolean;
}

function useRoleOptions(users: User[]) {
  const t = useT();
  // GET /roles needs roles.manage; fall back to role names seen on users.
  const roles = useLoad<Role[]>(() => rolesApi.list().catch(() => []), []);
  return useMemo(() => {
    const names = new Set<string>(roles.data.map((r) => r.name));
    users.forEach((u) => u.roles.forEach((r) => names.add(r)));
    return [...names].map((n) => ({ value: n, label: roleLabel(n, t) }));
  }, [roles.data, users, t]);
}

export default function UsersPage() {
  const t = useT();
  const { lang } = useI18n();
  const { message } = AntApp.useApp();
  const users = useLoad<User[]>(() => usersApi.list(), []);
  const roleOptions = useRoleOptions(users.data);
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [importing, setImporting] = useState(false);

  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    if (!q) return users.data;
    return users.data.filter((u) => [u.login, u.real_name, u.display_name].some((s) => s.toLowerCase().includes(q)));
  }, [users.data, search]);

  const deactivate = async (u: User) => {
    try {
      await usersApi.deactivate(u.id);
      message.success(t('users.deactivated'));
      void users.reload();
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  return (
    <Card
      title={t('users.title')}
      extra={
        <Space wrap>
          <Input.Search allowClear placeholder={t('users.search')} onChange={(e) => setSearch(e.target.value)} style={{ width: 220 }} data-testid="users-search" />
          <Button icon={<ReloadOutlined />} onClick={() => void users.reload()} aria-label={t('common.refresh')} />
          <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="users-import">
            {t('import.button')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="users-add">
            {t('users.add')}
          </Button>
        </Space>
      }
    >
      {users.error != null && <Alert type="error" showIcon message={errorText(users.error, t)} style={{ marginBottom: 16 }} />}
      <Table<User>
        rowKey="id"
        size="middle"
        loading={users.loading}
        dataSource={rows}
        data-testid="users-table"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        onRow={(u) => ({ 'data-testid': `user-row-${u.login}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('users.login'), dataIndex: 'login', sorter: (a, b) => a.login.localeCompare(b.login) },
          { title: t('users.displayName'), dataIndex: 'display_name' },
          { title: t('users.realName'), dataIndex: 'real_name' },
          {
            title: t('users.roles'),
            dataIndex: 'roles',
            render: (roles: string[]) => roles.map((r) => <Tag key={r}>{roleLabel(r, t)}</Tag>),
          },
          { title: t('users.chatLimit'), dataIndex: 'chat_limit', align: 'right' },
          {
            title: t('users.status'),
            key: 'status',
            render: (_, u) => (
              <Space size={4} wrap>
                {u.active ? <Tag color="green">{t('users.active')}</Tag> : <Tag>{t('users.inactive')}</Tag>}
                {u.must_change_password && <Tag color="orange">{t('users.mustChange')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('users.createdAt'),
            dataIndex: 'created_at',
            render: (s: string) => (s ? new Date(s).toLocaleString(lang) : ''),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            render: (_, u) => (
              <Space size={0}>
                <Tooltip title={t('common.edit')}>
                  <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(u)} data-testid={`user-edit-${u.login}`} />
                </Tooltip>
                <Tooltip title={t('users.resetPassword')}>
                  <Button type="link" size="small" icon={<KeyOutlined />} onClick={() => setResetting(u)} data-testid={`user-reset-${u.login}`} />
                </Tooltip>
                <Popconfirm
                  title={t('users.confirmDeactivate', { name: u.login })}
                  onConfirm={() => deactivate(u)}
                  okText={t('common.ok')}
                  cancelText={t('common.cancel')}
                  disabled={!u.active}
                >
                  <Tooltip title={t('users.deactivate')}>
                    <Button type="link" size="small" danger icon={<StopOutlined />} disabled={!u.active} data-testid={`user-deactivate-${u.login}`} />
                  </Tooltip>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <CreateUserModal open={creating} roleOptions={roleOptions} onClose={() => setCreating(false)} onDone={() => void users.reload()} />
      <EditUserModal user={editing} roleOptions={roleOptions} onClose={() => setEditing(null)} onDone={() => void users.reload()} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} onDone={() => void users.reload()} />
      <ImportModal
        open={importing}
        onClose={() => setImporting(false)}
        onDone={() => void users.reload()}
        send={usersApi.import}
        templates={[
          { label: t('import.templateCsv'), path: usersApi.templatePath('csv'), filename: 'users-template.csv', testId: 'import-template-csv' },
          { label: t('import.templateXlsx'), path: usersApi.templatePath('xlsx'), filename: 'users-template.xlsx', testId: 'import-template-xlsx' },
        ]}
      />
    </Card>
  );
}

type RoleOption = { value: string; label: string };

function CreateUserModal({ open, roleOptions, onClose, onDone }: { open: boolean; roleOptions: RoleOption[]; onClose: () => void; onDone: () => void }) {
  const t = useT();
  return (
    <FormModal<CreateForm>
      open={open}
      title={t('users.add')}
      okText={t('common.create')}
      okTestId="user-form-submit"
      formTestId="user-form"
      successText={t('common.created')}
      initialValues={{ chat_limit: 3, roles: roleOptions.some((o) => o.value === 'agent') ? ['agent'] : [] }}
      onSubmit={(v) => usersApi.create({ ...v, login: v.login.trim(), display_name: v.display_name.trim(), real_name: v.real_name.trim() })}
      onClose={onClose}
      onDone={onDone}
    >
      <Form.Item name="login" label={t('users.login')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input autoComplete="off" data-testid="user-form-login" />
      </Form.Item>
      <Form.Item name="real_name" label={t('users.realName')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input data-testid="user-form-real-name" />
      </Form.Item>
      <Form.Item
        name="display_name"
        label={t('users.displayName')}
        extra={t('users.displayNameHelp')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }]}
      >
        <Input data-testid="user-form-display-name" />
      </Form.Item>
      <Form.Item name="chat_limit" label={t('users.chatLimit')} extra={t('users.chatLimitHelp')} rules={[rangeRule(t, 'chat_limit')]}>
        <InputNumber precision={0} style={{ width: 160 }} data-testid="user-form-chat-limit" />
      </Form.Item>
      <Form.Item name="roles" label={t('users.roles')}>
        <Select mode="multiple" options={roleOptions} data-testid="user-form-roles" classNames={{ popup: { root: 'user-form-roles-popup' } }} />
      </Form.Item>
      <Form.Item
        name="password"
        label={t('users.initialPassword')}
        extra={t('users.initialPasswordHelp')}
        rules={[
          { required: true, message: t('common.required') },
          { min: 8, max: 128, message: t('users.passwordLength') },
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="user-form-password" />
      </Form.Item>
    </FormModal>
  );
}

function EditUserModal({ user, roleOptions, onClose, onDone }: { user: User | null; roleOptions: RoleOption[]; onClose: () => void; onDone: () => void }) {
  const t = useT();
  return (
    <FormModal<EditForm>
      open={!!user}
      formKey={user?.id}
      title={user ? `${t('users.edit')}: ${user.login}` : ''}
      okTestId="user-edit-submit"
      successText={t('common.saved')}
      initialValues={
        user
          ? {
              real_name: user.real_name,
              display_name: user.display_name,
              chat_limit: user.chat_limit,
              roles: user.roles,
              active: user.active,
              sign_in_mode: user.agent_params?.sign_in_mode ?? 'automatic',
              auto_answer: user.agent_params?.auto_answer ?? false,
            }
          : undefined
      }
      onSubmit={async (v) => {
        if (!user) return false;
        await usersApi.update(user.id, {
          real_name: v.real_name.trim(),
          display_name: v.display_name.trim(),
          chat_limit: v.chat_limit,
          roles: v.roles,
          active: v.active,
          agent_params: { sign_in_mode: v.sign_in_mode, auto_answer: v.auto_answer },
        });
      }}
      onClose={onClose}
      onDone={onDone}
    >
      <Form.Item name="real_name" label={t('users.realName')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input data-testid="user-edit-real-name" />
      </Form.Item>
      <Form.Item name="display_name" label={t('users.displayName')} extra={t('users.displayNameHelp')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input data-testid="user-edit-display-name" />
      </Form.Item>
      <Form.Item name="chat_limit" label={t('users.chatLimit')} extra={t('users.chatLimitHelp')} rules={[rangeRule(t, 'chat_limit')]}>
        <InputNumber precision={0} style={{ width: 160 }} data-testid="user-edit-chat-limit" />
      </Form.Item>
      <Form.Item name="roles" label={t('users.roles')}>
        <Select mode="multiple" options={roleOptions} data-testid="user-edit-roles" />
      </Form.Item>
      <Form.Item name="active" label={t('users.activeFlag')} valuePropName="checked">
        <Switch data-testid="user-edit-active" />
      </Form.Item>
      <Divider orientation="left" plain>
        <Typography.Text strong>{t('users.agentParams')}</Typography.Text>
      </Divider>
      <Form.Item name="sign_in_mode" label={t('users.signInMode')} extra={t('params.precedence')}>
        <Radio.Group data-testid="user-edit-sign-in-mode">
          <Space direction="vertical">
            <Radio value="automatic">{t('users.signInAutomatic')}</Radio>
            <Radio value="specified">{t('users.signInSpecified')}</Radio>
          </Space>
        </Radio.Group>
      </Form.Item>
      <Form.Item name="auto_answer" label={t('users.autoAnswer')} valuePropName="checked">
        <Switch data-testid="user-edit-auto-answer" />
      </Form.Item>
    </FormModal>
  );
}

function ResetPasswordModal({ user, onClose, onDone }: { user: User | null; onClose: () => void; onDone: () => void }) {
  const t = useT();
  return (
    <FormModal<{ password: string }>
      open={!!user}
      formKey={user?.id}
      title={user ? t('users.resetPasswordTitle', { name: user.login }) : ''}
      okText={t('common.ok')}
      okTestId="user-reset-submit"
      successText={t('users.passwordReset')}
      onSubmit={async ({ password }) => {
        if (!user) return false;
        await usersApi.resetPassword(user.id, password);
      }}
      onClose={onClose}
      onDone={onDone}
    >
      <Form.Item
        name="password"
        label={t('users.newPassword')}
        extra={t('users.resetPasswordHelp')}
        rules={[
          { required: true, message: t('common.required') },
          { min: 8, max: 128, message: t('users.passwordLength') },
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="user-reset-password" />
      </Form.Item>
    </FormModal>
  );
}
