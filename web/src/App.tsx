import { lazy, Suspense, type ReactNode } from 'react';
import { App as AntApp, Button, ConfigProvider, Result, Spin } from 'antd';
import zhCNLocale from 'antd/locale/zh_CN';
import enUSLocale from 'antd/locale/en_US';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AuthProvider, useAuth } from './auth/AuthContext';
import { errorText } from './api/errors';
import { I18nProvider, useI18n, useT } from './i18n';
import { landingPath } from './menu';
import AppShell from './layout/AppShell';
import LoginPage from './pages/Login';
import ChangePasswordPage, { ChangePasswordForm } from './pages/ChangePassword';
import AuthLayout from './pages/AuthLayout';
import './styles.css';

const UsersPage = lazy(() => import('./admin/Users'));
const RolesPage = lazy(() => import('./admin/Roles'));
const QueuesPage = lazy(() => import('./admin/Queues'));
const ParamsPage = lazy(() => import('./admin/Params'));
const WorkbenchPage = lazy(() => import('./workbench/Workbench'));
const WallboardPage = lazy(() => import('./supervisor/Wallboard'));

function FullPageSpin() {
  return (
    <div style={{ display: 'flex', minHeight: '60vh', alignItems: 'center', justifyContent: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

/** Signed-in routes: loads /me, sends anonymous users to /login and forced changes to /change-password. */
function RequireAuth({ children }: { children: ReactNode }) {
  const { status, me, loadError, refreshMe } = useAuth();
  const location = useLocation();
  const t = useT();
  if (status === 'loading') return <FullPageSpin />;
  if (status === 'error') {
    return (
      <Result
        status="warning"
        title={errorText(loadError, t)}
        extra={<Button onClick={() => void refreshMe()}>{t('common.refresh')}</Button>}
      />
    );
  }
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  if (me.must_change_password && location.pathname !== '/change-password') return <Navigate to="/change-password" replace />;
  return <>{children}</>;
}

function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const { hasPermission } = useAuth();
  if (!hasPermission(permission)) return <NoAccess />;
  return <Suspense fallback={<FullPageSpin />}>{children}</Suspense>;
}

function NoAccess() {
  const t = useT();
  return <Result status="403" title="403" subTitle={t('shell.noAccess')} data-testid="no-access" />;
}

function NotFound() {
  const t = useT();
  const { me } = useAuth();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('shell.notFound')}
      extra={<Button href={me ? landingPath(me.permissions) : '/login'}>{t('shell.home')}</Button>}
    />
  );
}

function Landing() {
  const { me } = useAuth();
  return <Navigate to={me ? landingPath(me.permissions) : '/login'} replace />;
}

/** Forced change: standalone page; voluntary change: inside the shell. */
function ChangePasswordRoute() {
  const { me } = useAuth();
  const t = useT();
  if (me?.must_change_password) {
    return (
      <AuthLayout title={t('pwd.title')}>
        <ChangePasswordForm forced />
      </AuthLayout>
    );
  }
  return (
    <AppShell>
      <ChangePasswordPage />
    </AppShell>
  );
}

function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        path="/change-password"
        element={
          <RequireAuth>
            <ChangePasswordRoute />
          </RequireAuth>
        }
      />
      <Route
        element={
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        }
      >
        <Route index element={<Landing />} />
        <Route path="/workbench" element={<RequirePermission permission="agent.work"><WorkbenchPage /></RequirePermission>} />
        <Route path="/supervisor" element={<RequirePermission permission="supervisor.monitor"><WallboardPage /></RequirePermission>} />
        <Route path="/admin" element={<Landing />} />
        <Route path="/admin/users" element={<RequirePermission permission="users.manage"><UsersPage /></RequirePermission>} />
        <Route path="/admin/roles" element={<RequirePermission permission="roles.manage"><RolesPage /></RequirePermission>} />
        <Route path="/admin/queues" element={<RequirePermission permission="queues.manage"><QueuesPage /></RequirePermission>} />
        <Route path="/admin/params" element={<RequirePermission permission="params.manage"><ParamsPage /></RequirePermission>} />
        <Route path="/no-access" element={<NoAccess />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function Themed() {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={lang === 'en' ? enUSLocale : zhCNLocale} theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}>
      <AntApp>
        <AuthProvider>
          <BrowserRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
            <AppRoutes />
          </BrowserRouter>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export default function App() {
  return (
    <I18nProvider>
      <Themed />
    </I18nProvider>
  );
}
