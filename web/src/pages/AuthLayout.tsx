import type { ReactNode } from 'react';
import { Card, Typography } from 'antd';
import LangSwitch from '../components/LangSwitch';
import { useT } from '../i18n';

/** Centered card used by the login and forced password change pages. */
export default function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  const t = useT();
  return (
    <div className="auth-page">
      <div className="auth-lang">
        <LangSwitch />
      </div>
      <div className="auth-brand">
        <img src="/favicon.svg" alt="" width={40} height={40} />
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('app.name')}
          </Typography.Title>
          <Typography.Text type="secondary" data-testid="login-subtitle">
            {t('login.subtitle')}
          </Typography.Text>
        </div>
      </div>
      <Card title={title} className="auth-card">
        {children}
      </Card>
    </div>
  );
}
