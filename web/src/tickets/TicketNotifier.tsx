// Ticket reminders and rule notices, on every page of the signed-in app: `ticket.reminder` and
// `ticket.notice` from the live socket become an antd notification with a link to the ticket,
// plus a browser notification while the tab is hidden (when the user allowed them).
//
// It subscribes to the page's one shared socket (api/live.ts: LiveConnection keeps a single
// WebSocket for any number of subscribers), so the workbench and the wallboard, which subscribe
// too, never cause a second connection.
import { useRef } from 'react';
import { App as AntApp, Button, Space, Typography } from 'antd';
import { BellOutlined, NotificationOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { useT } from '../i18n';
import { useLive } from '../util/useLive';
import { ticketAlert, ticketPath, type TicketAlert } from './events';
import { formatTime } from './fields';

/** Show a system notification while the page is hidden; clicking it opens the ticket. */
function browserNotify(title: string, body: string, tag: string, open: () => void): void {
  if (typeof window === 'undefined' || !('Notification' in window)) return;
  const N = window.Notification;
  if (N.permission !== 'granted' || !document.hidden) return;
  try {
    const n = new N(title, { body, tag });
    n.onclick = () => {
      window.focus();
      open();
      n.close();
    };
  } catch {
    /* some browsers only allow notifications from a service worker */
  }
}

export default function TicketNotifier() {
  const { hasPermission } = useAuth();
  if (!hasPermission('tickets.work')) return null;
  return <Listener />;
}

function Listener() {
  const t = useT();
  const { notification } = AntApp.useApp();
  const navigate = useNavigate();
  const shown = useRef<Set<string>>(new Set());

  const show = (a: TicketAlert) => {
    // The server may deliver a reminder again after a reconnect: show it once per page.
    if (a.kind === 'reminder') {
      if (shown.current.has(a.key)) return;
      shown.current.add(a.key);
    }
    const open = () => {
      notification.destroy(a.key);
      navigate(ticketPath(a.ticketId));
    };
    const head = a.kind === 'reminder' ? t('tk.notify.reminder', { number: a.number }) : t('tk.notify.notice', { number: a.number });
    const detail = a.kind === 'reminder' ? a.note : a.rule ? t('tk.notify.rule', { rule: a.rule }) : '';
    notification.open({
      key: a.key,
      icon: a.kind === 'reminder' ? <BellOutlined style={{ color: '#faad14' }} /> : <NotificationOutlined style={{ color: '#1677ff' }} />,
      message: <span data-testid={`ticket-${a.kind}-notification`}>{head}</span>,
      description: (
        <Space direction="vertical" size={4} style={{ width: '100%' }}>
          {a.title && <Typography.Text strong>{a.title}</Typography.Text>}
          {detail && <Typography.Text>{detail}</Typography.Text>}
          {a.kind === 'reminder' && a.at && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatTime(a.at)}
            </Typography.Text>
          )}
          <Button type="link" size="small" style={{ padding: 0 }} onClick={open} data-testid="ticket-notification-open">
            {t('tk.open')}
          </Button>
        </Space>
      ),
      duration: a.kind === 'reminder' ? 0 : 8,
      placement: 'topRight',
    });
    browserNotify(head, [a.title, detail].filter(Boolean).join(' · '), a.key, () => navigate(ticketPath(a.ticketId)));
  };

  useLive({
    onEvent: (e) => {
      const a = ticketAlert(e);
      if (a) show(a);
    },
  });
  return null;
}
