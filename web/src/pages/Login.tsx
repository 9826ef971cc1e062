import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { errorText } from '../api/errors';
import { useT } from '../i18n';
import { landingPath } from '../menu';
import AuthLayout from './AuthLayout';

const TENANT_KEY = 'sb.tenant';

function storedTenant(): string {
  try {
    return localStorage.getItem(TENANT_KEY) || 'demo';
  } catch {
    return 'demo';
  }
}

interface LoginForm {
  tenant: string;
  login: string;
  password: string;
}

export default function LoginPage() {
  const t = useT();
  const { login, me, status, sessionExpired } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (status === 'authenticated' && me) {
    return <Navigate to={me.must_change_password ? '/change-password' : landingPath(me.permissions)} replace />;
  }

  const onFinish = async (v: LoginForm) => {
    setBusy(true);
    setError(null);
    try {
      const res = await login(v.tenant.trim(), v.login.trim(), v.password);
      try {
        localStorage.setItem(TENANT_KEY, v.tenant.trim());
      } catch {
        /* ignore */
      }
      if (res.must_change_password || res.user.must_change_password) {
        navigate('/change-password', { replace: true });
      } else {
        const from = (location.state as { from?: string } | null)?.from;
        navigate(from && from !== '/' ? from : landingPath(res.user.permissions), { replace: true });
      }
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <AuthLayout title={t('login.title')}>
      {sessionExpired && !error && (
        <Alert type="warning" showIcon message={t('error.unauthenticated')} style={{ marginBottom: 16 }} />
      )}
      {error != null && (
        <Alert type="error" showIcon message={errorText(error, t)} style={{ marginBottom: 16 }} data-testid="login-error" />
      )}
      <Form<LoginForm>
        layout="vertical"
        initialValues={{ tenant: storedTenant(), login: '', password: '' }}
        onFinish={onFinish}
        requiredMark={false}
      >
        <Form.Item name="tenant" label={t('login.tenant')} rules={[{ required: true, whitespace: true, message: t('login.tenantRequired') }]}>
          <Input prefix={<TeamOutlined />} autoComplete="organization" data-testid="login-tenant" />
        </Form.Item>
        <Form.Item name="login" label={t('login.login')} rules={[{ required: true, whitespace: true, message: t('login.loginRequired') }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-name" />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
          {t('login.submit')}
        </Button>
      </Form>
    </AuthLayout>
  );
}
