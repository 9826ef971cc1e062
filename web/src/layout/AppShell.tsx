import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Avatar, Button, Drawer, Dropdown, Layout, Menu, Space, Tag, Typography, type MenuProps } from 'antd';
import {
  ApartmentOutlined, ApiOutlined, CustomerServiceOutlined, KeyOutlined, LogoutOutlined, SafetyCertificateOutlined,
  SettingOutlined, TeamOutlined, UserOutlined, ControlOutlined, DashboardOutlined, FileTextOutlined, MessageOutlined,
  ThunderboltOutlined, MenuOutlined,
} from '@ant-design/icons';
import { ProfileOutlined } from '@ant-design/icons';
import { BarChartOutlined, ClusterOutlined, LayoutOutlined, NodeIndexOutlined, ToolOutlined } from '@ant-design/icons';
import { DeploymentUnitOutlined, NumberOutlined, PhoneOutlined } from '@ant-design/icons';
import { AuditOutlined, CheckSquareOutlined, FormOutlined, LineChartOutlined, LinkOutlined, SendOutlined, StarOutlined } from '@ant-design/icons';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import LangSwitch from '../components/LangSwitch';
import { useT } from '../i18n';
import { filterMenu, isGroup, MENU, selectedKey } from '../menu';
import { AgentProvider } from '../workbench/AgentContext';
import { useNarrow } from '../util/useNarrow';

const ICONS: Record<string, ReactNode> = {
  workbench: <CustomerServiceOutlined />,
  supervisor: <DashboardOutlined />,
  tickets: <ProfileOutlined />,
  admin: <SettingOutlined />,
  users: <TeamOutlined />,
  roles: <SafetyCertificateOutlined />,
  queues: <ApartmentOutlined />,
  'chat-entries': <MessageOutlined />,
  documents: <FileTextOutlined />,
  'canned-replies': <ThunderboltOutlined />,
  params: <ControlOutlined />,
  'api-docs': <ApiOutlined />,
  'ticket-stats': <BarChartOutlined />,
  'ticket-setup': <ToolOutlined />,
  voice: <PhoneOutlined />,
  'voice-extensions': <UserOutlined />,
  'voice-trunks': <DeploymentUnitOutlined />,
  'voice-numbers': <NumberOutlined />,
  'ticket-types': <NodeIndexOutlined />,
  'ticket-templates': <LayoutOutlined />,
  'ticket-categories': <ClusterOutlined />,
  'my-quality': <StarOutlined />,
  quality: <AuditOutlined />,
  'quality-reviews': <CheckSquareOutlined />,
  'quality-report': <LineChartOutlined />,
  scorecards: <FormOutlined />,
  integrations: <LinkOutlined />,
  webhooks: <SendOutlined />,
};

export default function AppShell({ children }: { children?: ReactNode }) {
  const t = useT();
  const { me, logout, hasPermission } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  // Phone width: no side menu beside the content; a menu button opens it as a drawer.
  const narrow = useNarrow();
  const [drawerOpen, setDrawerOpen] = useState(false);
  useEffect(() => setDrawerOpen(false), [location.pathname, narrow]);

  const items = useMemo<MenuProps['items']>(() => {
    const entries = filterMenu(MENU, me?.permissions ?? []);
    return entries.map((e) => {
      if (isGroup(e)) {
        return {
          key: e.key,
          icon: ICONS[e.key],
          label: t(e.labelKey),
          children: e.children.map((c) => ({
            key: c.key,
            icon: ICONS[c.key],
            label: <span data-testid={`nav-${c.key}`}>{t(c.labelKey)}</span>,
            onClick: () => navigate(c.path),
          })),
        };
      }
      if (e.external) {
        return {
          key: e.key,
          icon: ICONS[e.key],
          label: (
            <a href={e.path} target="_blank" rel="noreferrer" data-testid={`nav-${e.key}`}>
              {t(e.labelKey)}
            </a>
          ),
        };
      }
      return {
        key: e.key,
        icon: ICONS[e.key],
        label: <span data-testid={`nav-${e.key}`}>{t(e.labelKey)}</span>,
        onClick: () => navigate(e.path),
      };
    });
  }, [me, t, navigate]);

  const current = selectedKey(location.pathname);

  const userMenu: MenuProps['items'] = [
    {
      key: 'password',
      icon: <KeyOutlined />,
      label: <span data-testid="menu-change-password">{t('shell.changePassword')}</span>,
      onClick: () => navigate('/change-password'),
    },
    { type: 'divider' },
    {
      key: 'logout',
      icon: <LogoutOutlined />,
      label: <span data-testid="menu-logout">{t('shell.logout')}</span>,
      onClick: () => void logout().then(() => navigate('/login', { replace: true })),
    },
  ];

  const logo = (showName: boolean) => (
    <div className="shell-logo">
      <img src="/favicon.svg" alt="" width={28} height={28} />
      {showName && <span>{t('app.name')}</span>}
    </div>
  );
  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      items={items}
      selectedKeys={current ? [current] : []}
      defaultOpenKeys={['admin', 'voice', 'ticket-setup', 'integrations']}
      onClick={() => setDrawerOpen(false)}
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {narrow ? (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          width={260}
          closable={false}
          className="shell-drawer"
          styles={{ body: { padding: 0, background: '#001529' } }}
          data-testid="side-menu"
        >
          {logo(true)}
          {menu}
        </Drawer>
      ) : (
        <Layout.Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} theme="dark" width={232} data-testid="side-menu">
          {logo(!collapsed)}
          {menu}
        </Layout.Sider>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header className={`shell-header${narrow ? ' shell-header-narrow' : ''}`}>
          {narrow && (
            <Button
              type="text"
              icon={<MenuOutlined />}
              onClick={() => setDrawerOpen(true)}
              aria-label={t('shell.menu')}
              data-testid="menu-toggle"
              className="shell-menu-toggle"
            />
          )}
          <Space size={narrow ? 'small' : 'middle'}>
            {me && !narrow && (
              <Tag color="blue" data-testid="header-tenant">
                {t('shell.tenant')}: {me.tenant}
              </Tag>
            )}
            <LangSwitch />
            <Dropdown menu={{ items: userMenu }} trigger={['click']}>
              <a onClick={(e) => e.preventDefault()} data-testid="user-menu" className="shell-user">
                <Avatar size="small" icon={<UserOutlined />} />
                <Typography.Text data-testid="header-display-name">{me?.display_name || me?.login}</Typography.Text>
              </a>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content className={`shell-content${narrow ? ' shell-content-narrow' : ''}`} data-testid="shell-content">
          {me && hasPermission('agent.work') ? <AgentProvider me={me}>{children ?? <Outlet />}</AgentProvider> : (children ?? <Outlet />)}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
