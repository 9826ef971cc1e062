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
import TicketNotifier from './tickets/TicketNotifier';
import './styles.css';

const UsersPage = lazy(() => import('./admin/Users'));
const RolesPage = lazy(() => import('./admin/Roles'));
const QueuesPage = lazy(() => import('./admin/Queues'));
const ParamsPage = lazy(() => import('./admin/Params'));
const CustomerFieldsPage = lazy(() => import('./admin/CustomerFields'));
const ChatEntriesPage = lazy(() => import('./admin/ChatEntries'));
const DocumentsPage = lazy(() => import('./admin/Documents'));
const CannedRepliesPage = lazy(() => import('./admin/CannedReplies'));
const VoiceExtensionsPage = lazy(() => import('./admin/voice/Extensions'));
const VoiceTrunksPage = lazy(() => import('./admin/voice/Trunks'));
const VoiceNumbersPage = lazy(() => import('./admin/voice/Numbers'));
const VoiceFlowsPage = lazy(() => import('./admin/voice/Flows'));
const VoiceFlowEditor = lazy(() => import('./admin/voice/flows/FlowEditor'));
const VoicePromptsPage = lazy(() => import('./admin/voice/Prompts'));
const VoiceQueuesPage = lazy(() => import('./admin/voice/QueueVoice'));
const VoiceNumberGroupsPage = lazy(() => import('./admin/voice/NumberGroups'));
const WebhooksPage = lazy(() => import('./admin/integrations/Webhooks'));
const VoiceOutboundRulesPage = lazy(() => import('./admin/voice/OutboundRules'));
const WorkbenchPage = lazy(() => import('./workbench/Workbench'));
const WallboardPage = lazy(() => import('./supervisor/Wallboard'));
const TicketCenterPage = lazy(() => import('./tickets/TicketCenter'));
const TicketDetailPage = lazy(() => import('./tickets/TicketDetail'));
const TicketStatsPage = lazy(() => import('./supervisor/TicketStats'));
const TicketCategoriesPage = lazy(() => import('./admin/tickets/Categories'));
const TicketTypesPage = lazy(() => import('./admin/tickets/TicketTypes'));
const TicketTypeEditPage = lazy(() => import('./admin/tickets/TicketTypeEdit'));
const TicketTemplatesPage = lazy(() => import('./admin/tickets/Templates'));
const CallRecordsPage = lazy(() => import('./calls/CallRecords'));
const ReportsPage = lazy(() => import('./reports/Reports'));
const ScorecardsPage = lazy(() => import('./quality/Scorecards'));
const QualityReviewsPage = lazy(() => import('./quality/Reviews'));
const QualityReviewPage = lazy(() => import('./quality/ReviewPage'));
const QualityReportPage = lazy(() => import('./quality/Report'));
const MyQualityPage = lazy(() => import('./quality/MyQuality'));
const CustomersPage = lazy(() => import('./customers/Customers'));
const CustomerProfilePage = lazy(() => import('./customers/CustomerProfile'));

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

/** A page for holders of any one of these permissions. */
function RequireAnyPermission({ permissions, children }: { permissions: string[]; children: ReactNode }) {
  const { hasPermission } = useAuth();
  if (!permissions.some(hasPermission)) return <NoAccess />;
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
            <TicketNotifier />
            <AppShell />
          </RequireAuth>
        }
      >
        <Route index element={<Landing />} />
        <Route path="/workbench" element={<RequirePermission permission="agent.work"><WorkbenchPage /></RequirePermission>} />
        <Route path="/supervisor" element={<RequirePermission permission="supervisor.monitor"><WallboardPage /></RequirePermission>} />
        <Route path="/supervisor/tickets" element={<RequirePermission permission="tickets.view_all"><TicketStatsPage /></RequirePermission>} />
        <Route path="/reports" element={<RequirePermission permission="reports.view"><ReportsPage /></RequirePermission>} />
        <Route path="/tickets" element={<RequirePermission permission="tickets.work"><TicketCenterPage /></RequirePermission>} />
        <Route path="/tickets/:id" element={<RequirePermission permission="tickets.work"><TicketDetailPage /></RequirePermission>} />
        <Route path="/customers" element={<RequirePermission permission="customers.work"><CustomersPage /></RequirePermission>} />
        <Route path="/customers/:id" element={<RequirePermission permission="customers.work"><CustomerProfilePage /></RequirePermission>} />
        <Route path="/calls" element={<RequireAnyPermission permissions={['agent.work', 'recordings.access']}><CallRecordsPage /></RequireAnyPermission>} />
        <Route path="/my-quality" element={<RequirePermission permission="agent.work"><MyQualityPage /></RequirePermission>} />
        <Route path="/quality" element={<RequirePermission permission="quality.review"><QualityReviewsPage /></RequirePermission>} />
        <Route path="/quality/report" element={<RequirePermission permission="quality.review"><QualityReportPage /></RequirePermission>} />
        <Route path="/quality/reviews/:id" element={<RequirePermission permission="quality.review"><QualityReviewPage /></RequirePermission>} />
        <Route path="/admin/quality/scorecards" element={<RequirePermission permission="quality.manage"><ScorecardsPage /></RequirePermission>} />
        <Route path="/admin" element={<Landing />} />
        <Route path="/admin/users" element={<RequirePermission permission="users.manage"><UsersPage /></RequirePermission>} />
        <Route path="/admin/roles" element={<RequirePermission permission="roles.manage"><RolesPage /></RequirePermission>} />
        <Route path="/admin/queues" element={<RequirePermission permission="queues.manage"><QueuesPage /></RequirePermission>} />
        <Route path="/admin/chat-entries" element={<RequirePermission permission="queues.manage"><ChatEntriesPage /></RequirePermission>} />
        <Route path="/admin/documents" element={<RequirePermission permission="documents.manage"><DocumentsPage /></RequirePermission>} />
        <Route path="/admin/canned-replies" element={<RequirePermission permission="documents.manage"><CannedRepliesPage /></RequirePermission>} />
        <Route path="/admin/params" element={<RequirePermission permission="params.manage"><ParamsPage /></RequirePermission>} />
        <Route path="/admin/customer-fields" element={<RequirePermission permission="params.manage"><CustomerFieldsPage /></RequirePermission>} />
        <Route path="/admin/voice/extensions" element={<RequirePermission permission="users.manage"><VoiceExtensionsPage /></RequirePermission>} />
        <Route path="/admin/voice/trunks" element={<RequirePermission permission="params.manage"><VoiceTrunksPage /></RequirePermission>} />
        <Route path="/admin/voice/numbers" element={<RequirePermission permission="queues.manage"><VoiceNumbersPage /></RequirePermission>} />
        <Route path="/admin/voice/flows" element={<RequirePermission permission="queues.manage"><VoiceFlowsPage /></RequirePermission>} />
        <Route path="/admin/voice/flows/:id" element={<RequirePermission permission="queues.manage"><VoiceFlowEditor /></RequirePermission>} />
        <Route path="/admin/voice/prompts" element={<RequirePermission permission="queues.manage"><VoicePromptsPage /></RequirePermission>} />
        <Route path="/admin/voice/queues" element={<RequirePermission permission="queues.manage"><VoiceQueuesPage /></RequirePermission>} />
        <Route path="/admin/voice/number-groups" element={<RequirePermission permission="queues.manage"><VoiceNumberGroupsPage /></RequirePermission>} />
        <Route path="/admin/integrations/webhooks" element={<RequirePermission permission="integrations.manage"><WebhooksPage /></RequirePermission>} />
        <Route path="/admin/voice/outbound-rules" element={<RequirePermission permission="params.manage"><VoiceOutboundRulesPage /></RequirePermission>} />
        <Route path="/admin/ticket-types" element={<RequirePermission permission="tickets.manage"><TicketTypesPage /></RequirePermission>} />
        <Route path="/admin/ticket-types/:id" element={<RequirePermission permission="tickets.manage"><TicketTypeEditPage /></RequirePermission>} />
        <Route path="/admin/ticket-templates" element={<RequirePermission permission="tickets.manage"><TicketTemplatesPage /></RequirePermission>} />
        <Route path="/admin/ticket-categories" element={<RequirePermission permission="tickets.manage"><TicketCategoriesPage /></RequirePermission>} />
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
