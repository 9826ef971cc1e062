// A ticket (/tickets/:id): header with number, title, status, flag; the actions the server
// offers; the fields in the template's layout (editable); the service trail with follow-up
// notes; my reminders, cc and linked contacts.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Popconfirm, Result, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, CheckCircleOutlined, PhoneOutlined, ReloadOutlined, RollbackOutlined, SwapOutlined, UserAddOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { errorText } from '../api/errors';
import { useAuth } from '../auth/AuthContext';
import { useT } from '../i18n';
import { throttle } from '../util/throttle';
import { useDialer } from '../workbench/Dialer';
import { cleanNumber, isDialable } from '../workbench/dial';
import { useLive } from '../util/useLive';
import { actionNeedsDialog, PRIORITY_COLORS, STATUS_COLORS, statusLabel, ticketButtons } from './actions';
import { ActionDialog, ReopenDialog, TransferDialog } from './ActionDialogs';
import { ticketsApi } from './api';
import { CcCard, ContactsCard, FlagPicker, InfoCard, RemindersCard } from './DetailSide';
import FieldsCard from './FieldsCard';
import { priorityText } from './labels';
import { systemName } from './systemNames';
import TrailCard from './TrailCard';
import CallsCard from './CallsCard';
import type { Ticket, TicketActionOption } from './types';
import { useTicket, type TicketHandle } from './useTicket';
import { useTemplates, useTicketMeta, type TicketMeta } from './useTicketMeta';
import './tickets.css';

export default function TicketDetailPage() {
  const { id = '' } = useParams();
  return <TicketDetail key={id} id={id} />;
}

function TicketDetail({ id }: { id: string }) {
  const t = useT();
  const navigate = useNavigate();
  const meta = useTicketMeta();
  const handle = useTicket(id);
  const { ticket, reload, reloadTrail } = handle;

  const refetchSoon = useMemo(() => throttle(() => Promise.all([reload(), reloadTrail()]), 1000), [reload, reloadTrail]);
  useLive({
    onEvent: (e) => {
      if (e.type.startsWith('ticket.') && e.ticket_id === id) refetchSoon();
    },
  });
  useEffect(() => () => refetchSoon.cancel(), [refetchSoon]);

  const back = () => (window.history.length > 1 ? navigate(-1) : navigate('/tickets'));

  if (!ticket) {
    if (handle.error) {
      const gone = handle.error instanceof ApiError && handle.error.status === 404;
      return (
        <Result
          status={gone ? '404' : 'warning'}
          title={gone ? t('tk.detail.notFound') : errorText(handle.error, t)}
          extra={
            <Space>
              <Button onClick={() => navigate('/tickets')}>{t('tk.detail.backToList')}</Button>
              {!gone && <Button type="primary" onClick={() => void handle.reload()}>{t('common.refresh')}</Button>}
            </Space>
          }
          data-testid="ticket-detail-error"
        />
      );
    }
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  }
  return <Loaded ticket={ticket} handle={handle} meta={meta} onBack={back} />;
}

function Loaded({ ticket, handle, meta, onBack }: { ticket: Ticket; handle: TicketHandle; meta: TicketMeta; onBack: () => void }) {
  const t = useT();
  const { me } = useAuth();
  const type = meta.typeById(ticket.type_id);
  const { templates } = useTemplates(ticket.type_id);
  const template = templates.find((x) => x.id === ticket.template_id) ?? null;
  const buttons = ticketButtons(ticket, (a) => systemName('action', a.code, a.label, t));
  const [action, setAction] = useState<TicketActionOption | null>(null);
  const [transfer, setTransfer] = useState(false);
  const [reopen, setReopen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);

  const title = typeof ticket.fields?.title === 'string' ? ticket.fields.title : '';
  const priority = typeof ticket.fields?.priority === 'string' ? ticket.fields.priority : null;
  // T4: call the ticket's phone number; the call is linked to the ticket and written in its trail.
  const dialer = useDialer();
  const phone = typeof ticket.fields?.phone === 'string' ? cleanNumber(ticket.fields.phone) : '';
  const callable = dialer && isDialable(phone);

  const runNow = async (key: string, fn: () => Promise<unknown>) => {
    setBusy(key);
    await handle.run(fn);
    setBusy(null);
  };

  const doAction = (a: TicketActionOption) => {
    if (actionNeedsDialog(a)) setAction(a);
    else void runNow(`action:${a.code}`, () => ticketsApi.act(ticket.id, a.code, { version: ticket.version }));
  };

  const closes = (a: TicketActionOption) => type?.workflow.statuses.find((s) => s.code === a.to)?.category === 'closed';

  return (
    <div className="tk-detail" data-testid="ticket-detail" data-ticket-id={ticket.id} data-status={ticket.status}>
      <Card className="tk-detail-head">
        <div className="tk-detail-title-row">
          <Space align="center" wrap>
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={onBack} aria-label={t('common.back')} data-testid="ticket-back" />
            <Typography.Text code className="tk-number" data-testid="ticket-number">
              {ticket.number}
            </Typography.Text>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="ticket-title">
              {title || '—'}
            </Typography.Title>
            <Tag color={STATUS_COLORS[ticket.status_category] ?? 'default'} data-testid="ticket-status">
              {systemName('status', ticket.status, ticket.status_label || statusLabel(type, ticket.status), t)}
            </Tag>
            {priority && <Tag color={PRIORITY_COLORS[priority] ?? 'default'}>{priorityText(t, priority)}</Tag>}
          </Space>
          <Space wrap>
            {callable && (
              <Button
                icon={<PhoneOutlined />}
                onClick={() => dialer.open({ number: phone, ticket: { id: ticket.id, number: ticket.number }, stay: true, onPlaced: () => void handle.reloadTrail() })}
                data-testid="ticket-call"
              >
                {t('tk.call')}
              </Button>
            )}
            <FlagPicker ticket={ticket} handle={handle} />
            <Button icon={<ReloadOutlined />} onClick={() => void Promise.all([handle.reload(), handle.reloadTrail()])} aria-label={t('common.refresh')} data-testid="ticket-reload" />
          </Space>
        </div>
        <div className="tk-actions" data-testid="ticket-actions">
          <Space wrap>
            {buttons.claim && (
              <Button type="primary" icon={<UserAddOutlined />} loading={busy === 'claim'} onClick={() => void runNow('claim', () => ticketsApi.claim(ticket.id))} data-testid="ticket-claim">
                {t('tk.claim')}
              </Button>
            )}
            {buttons.workflow.map((a) =>
              closes(a) && !actionNeedsDialog(a) ? (
                <Popconfirm
                  key={a.code}
                  title={t('tk.action.confirmClose', { action: a.label })}
                  onConfirm={() => doAction(a)}
                  okText={t('common.ok')}
                  cancelText={t('common.cancel')}
                >
                  <Button icon={<CheckCircleOutlined />} loading={busy === `action:${a.code}`} data-testid={`ticket-action-${a.code}`}>
                    {a.label}
                  </Button>
                </Popconfirm>
              ) : (
                <Button
                  key={a.code}
                  icon={closes(a) ? <CheckCircleOutlined /> : undefined}
                  loading={busy === `action:${a.code}`}
                  onClick={() => doAction(a)}
                  data-testid={`ticket-action-${a.code}`}
                >
                  {a.label}
                </Button>
              ),
            )}
            {buttons.transfer && (
              <Button icon={<SwapOutlined />} onClick={() => setTransfer(true)} data-testid="ticket-transfer">
                {t('tk.transfer.button')}
              </Button>
            )}
            {buttons.reopen && (
              <Button icon={<RollbackOutlined />} onClick={() => setReopen(true)} data-testid="ticket-reopen">
                {t('tk.reopen.button')}
              </Button>
            )}
            {!buttons.claim && buttons.workflow.length === 0 && !buttons.transfer && !buttons.reopen && (
              <Typography.Text type="secondary">{t('tk.action.none')}</Typography.Text>
            )}
          </Space>
        </div>
      </Card>
      {meta.error != null && <Alert type="warning" showIcon message={errorText(meta.error, t)} style={{ marginTop: 16 }} />}
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={16}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <FieldsCard ticket={ticket} template={template} meta={meta} handle={handle} />
            {(ticket.contact_ids ?? []).length > 0 && <CallsCard ticket={ticket} />}
            <TrailCard ticket={ticket} handle={handle} meta={meta} />
          </Space>
        </Col>
        <Col xs={24} xl={8}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <InfoCard ticket={ticket} meta={meta} />
            <RemindersCard ticket={ticket} handle={handle} />
            <CcCard ticket={ticket} handle={handle} meta={meta} />
            <ContactsCard ticket={ticket} handle={handle} />
          </Space>
        </Col>
      </Row>
      <ActionDialog action={action} ticket={ticket} type={type} handle={handle} onClose={() => setAction(null)} />
      <TransferDialog open={transfer} ticket={ticket} dir={meta.dir} myId={me?.id ?? ''} handle={handle} onClose={() => setTransfer(false)} />
      <ReopenDialog open={reopen} ticket={ticket} handle={handle} onClose={() => setReopen(false)} />
    </div>
  );
}
