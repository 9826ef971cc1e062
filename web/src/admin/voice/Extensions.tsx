// 分机: each agent's SIP extension and password (only its digest is kept), and how many phones are registered.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, ReloadOutlined } from '@ant-design/icons';
import { voiceApi } from '../../api/endpoints';
import { errorText } from '../../api/errors';
import type { SipExtension } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { useT } from '../../i18n';
import { useLoad } from '../../util/useLoad';
import FormModal from '../../components/FormModal';
import { isExtensionNumber, isSipPassword } from './rules';

interface ExtensionForm {
  number: string;
  password: string;
  confirm: string;
}

const agentName = (e: SipExtension) => (e.display_name && e.display_name !== e.login ? `${e.display_name} (${e.login})` : e.login);

export default function ExtensionsPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  const { me } = useAuth();
  const rows = useLoad<SipExtension[]>(() => voiceApi.extensions(), []);
  const [editing, setEditing] = useState<SipExtension | null>(null);

  const remove = async (e: SipExtension) => {
    try {
      await voiceApi.removeExtension(e.agent_id);
      message.success(t('common.deleted'));
      void rows.reload();
    } catch (err) {
      message.error(errorText(err, t));
    }
  };

  return (
    <Card
      title={t('voice.ext.title')}
      extra={<Button icon={<ReloadOutlined />} onClick={() => void rows.reload()} aria-label={t('common.refresh')} />}
    >
      <Typography.Paragraph type="secondary">{t('voice.ext.intro', { domain: me?.tenant ?? '' })}</Typography.Paragraph>
      {rows.error != null && <Alert type="error" showIcon message={errorText(rows.error, t)} style={{ marginBottom: 16 }} />}
      <Table<SipExtension>
        rowKey="agent_id"
        loading={rows.loading}
        dataSource={rows.data}
        data-testid="extensions-table"
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        onRow={(e) => ({ 'data-testid': `extension-row-${e.login}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('voice.ext.agent'),
            key: 'agent',
            render: (_, e) => (
              <Space size={4}>
                {agentName(e)}
                {!e.active && <Tag>{t('voice.ext.inactive')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('voice.ext.number'),
            dataIndex: 'number',
            render: (n: string | null, e) =>
              n ? (
                <Typography.Text code data-testid={`extension-number-${e.login}`}>{n}</Typography.Text>
              ) : (
                <Typography.Text type="secondary" data-testid={`extension-number-${e.login}`}>{t('voice.ext.none')}</Typography.Text>
              ),
          },
          {
            title: t('voice.ext.devices'),
            dataIndex: 'registered_devices',
            render: (n: number, e) =>
              e.number ? (
                <Tag color={n > 0 ? 'green' : undefined} data-testid={`extension-devices-${e.login}`} data-devices={n}>
                  {t('voice.ext.devicesN', { n })}
                </Tag>
              ) : (
                '—'
              ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            render: (_, e) => (
              <Space size={0}>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(e)} data-testid={`extension-set-${e.login}`}>
                  {t(e.number ? 'voice.ext.change' : 'voice.ext.set')}
                </Button>
                {e.number && (
                  <Popconfirm
                    title={t('voice.ext.confirmRemove', { name: agentName(e), number: e.number })}
                    onConfirm={() => remove(e)}
                    okText={t('common.ok')}
                    cancelText={t('common.cancel')}
                  >
                    <Tooltip title={t('voice.ext.remove')}>
                      <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t('voice.ext.remove')} data-testid={`extension-remove-${e.login}`} />
                    </Tooltip>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <FormModal<ExtensionForm>
        open={editing !== null}
        formKey={editing?.agent_id}
        title={editing ? t('voice.ext.dialogTitle', { name: agentName(editing) }) : ''}
        okTestId="extension-form-submit"
        formTestId="extension-form"
        successText={t('common.saved')}
        initialValues={{ number: editing?.number ?? '', password: '', confirm: '' }}
        onSubmit={(v) => voiceApi.setExtension(editing!.agent_id, { number: v.number.trim(), password: v.password })}
        onClose={() => setEditing(null)}
        onDone={() => void rows.reload()}
      >
        <Form.Item
          name="number"
          label={t('voice.ext.number')}
          extra={t('voice.ext.numberHelp')}
          required
          rules={[{ validator: (_, v) => (isExtensionNumber(String(v ?? '')) ? Promise.resolve() : Promise.reject(new Error(t('voice.ext.numberInvalid')))) }]}
        >
          <Input inputMode="numeric" autoComplete="off" maxLength={10} data-testid="extension-form-number" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('voice.ext.password')}
          extra={t('voice.ext.passwordHelp')}
          required
          rules={[{ validator: (_, v) => (isSipPassword(String(v ?? '')) ? Promise.resolve() : Promise.reject(new Error(t('voice.ext.passwordInvalid')))) }]}
        >
          <Input.Password autoComplete="new-password" maxLength={64} data-testid="extension-form-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('voice.ext.confirm')}
          dependencies={['password']}
          required
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, v) => (v && v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('voice.ext.mismatch')))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" maxLength={64} data-testid="extension-form-confirm" />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
