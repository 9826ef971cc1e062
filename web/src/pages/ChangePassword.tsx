import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Space } from 'antd';
import { useNavigate } from 'react-router-dom';
import { authApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import { useAuth } from '../auth/AuthContext';
import { useT } from '../i18n';
import { landingPath } from '../menu';

interface PwdForm {
  current_password: string;
  new_password: string;
  confirm: string;
}

/** The form, used both standalone (forced change) and inside the app shell (voluntary). */
export function ChangePasswordForm({ forced }: { forced: boolean }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const { refreshMe, logout } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const onFinish = async (v: PwdForm) => {
    setBusy(true);
    setError(null);
    try {
      await authApi.changePassword(v.current_password, v.new_password);
      message.success(t('pwd.changed'));
      const me = await refreshMe();
      navigate(me ? landingPath(me.permissions) : '/login', { replace: true });
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <>
      {forced && <Alert type="info" showIcon message={t('pwd.forcedHint')} style={{ marginBottom: 16 }} data-testid="pwd-forced-hint" />}
      {error != null && <Alert type="error" showIcon message={errorText(error, t)} style={{ marginBottom: 16 }} data-testid="pwd-error" />}
      <Form<PwdForm> layout="vertical" onFinish={onFinish} requiredMark={false}>
        <Form.Item name="current_password" label={t('pwd.current')} rules={[{ required: true, message: t('common.required') }]}>
          <Input.Password autoComplete="current-password" data-testid="pwd-current" />
        </Form.Item>
        <Form.Item
          name="new_password"
          label={t('pwd.new')}
          dependencies={['current_password']}
          rules={[
            { required: true, message: t('common.required') },
            { min: 8, max: 128, message: t('pwd.length') },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                value && value === getFieldValue('current_password') ? Promise.reject(new Error(t('pwd.sameAsOld'))) : Promise.resolve(),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="pwd-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('pwd.confirm')}
          dependencies={['new_password']}
          rules={[
            { required: true, message: t('common.required') },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue('new_password') ? Promise.resolve() : Promise.reject(new Error(t('pwd.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="pwd-confirm" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="pwd-submit">
            {t('pwd.submit')}
          </Button>
          {forced ? (
            <Button onClick={() => void logout().then(() => navigate('/login', { replace: true }))} data-testid="pwd-logout">
              {t('pwd.logoutInstead')}
            </Button>
          ) : (
            <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
          )}
        </Space>
      </Form>
    </>
  );
}

/** Voluntary change inside the shell. */
export default function ChangePasswordPage() {
  const t = useT();
  return (
    <Card title={t('pwd.title')} style={{ maxWidth: 480 }}>
      <ChangePasswordForm forced={false} />
    </Card>
  );
}
