// Cards of the work area: an incoming offer (answer only: inbound offers cannot be rejected, R6),
// and a connected / wrap-up contact with its data, the service summary and release / continue.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Descriptions, Input, Space, Tag, Typography } from 'antd';
import { CheckOutlined, ExportOutlined, PhoneOutlined, PlayCircleOutlined, PoweroffOutlined, SaveOutlined } from '@ant-design/icons';
import { contactsApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { AgentStatus, Contact } from '../api/types';
import { useT } from '../i18n';
import { Countdown, Elapsed } from '../components/Timers';
import { formatDuration } from '../util/time';
import { contactHeadline, safeLink } from './model';
import { CHANNEL_COLORS } from './QueuePicker';
import { CreateTicketButton } from '../tickets/CreateTicketButton';
import type { AgentStatusHandle } from './useAgentStatus';
import { SUMMARY_MAX, useSummary } from './useSummary';
import CallerCard from './CallerCard';
import { CallControls, HoldTotal } from './CallControls';
import { hasCallControls } from './callControl';
import TransferNote from './TransferNote';
import { useQueueName } from './useQueueName';
import SummaryFields from './SummaryFields';
import { contactCustomerNumber, summaryLabelKey } from './dial';
import { CallBackButton } from './Dialer';

export function OfferCard({ contact, agent }: { contact: Contact; agent: AgentStatusHandle }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const queue = useQueueName(agent.status, contact.queue_id);
  const answer = async () => {
    setBusy(true);
    try {
      await contactsApi.answer(contact.id);
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(false);
      void agent.refresh();
    }
  };
  return (
    <Card
      className="contact-card offer-card"
      data-testid="offer-card"
      data-contact-id={contact.id}
      title={
        <Space>
          <PhoneOutlined className="offer-ring" />
          <span>{t('wb.offer.title')}</span>
          <Tag color={CHANNEL_COLORS[contact.channel]} data-testid="offer-channel">
            {t(`channel.${contact.channel}`)}
          </Tag>
        </Space>
      }
      extra={
        <Space size={4}>
          <Typography.Text type="secondary">{t('wb.offer.expiresIn')}</Typography.Text>
          <Typography.Text strong className="offer-countdown">
            <Countdown until={contact.offer_expires_at} offset={agent.offset} testId="offer-countdown" />
          </Typography.Text>
        </Space>
      }
    >
      <div className="offer-body">
        <div>
          <Typography.Title level={5} style={{ margin: 0 }} data-testid="offer-headline">
            {contactHeadline(contact)}
          </Typography.Title>
          <Typography.Text type="secondary">
            {[contact.title && contact.customer && contact.channel !== 'voice' ? contact.customer : null, queue]
              .filter(Boolean)
              .join(' · ')}
          </Typography.Text>
        </div>
        <Button type="primary" size="large" icon={<CheckOutlined />} loading={busy} onClick={() => void answer()} data-testid="offer-answer">
          {t('wb.offer.answer')}
        </Button>
      </div>
      {contact.channel === 'voice' && <CallerCard contactId={contact.id} />}
      <Typography.Text type="secondary" className="offer-note">
        {t('wb.offer.noReject')}
      </Typography.Text>
    </Card>
  );
}

/** A connected or wrap-up contact. Keyed by contact id, so the summary draft survives the release. */
export function ContactCard({ contact, agent, compact = false }: { contact: Contact; agent: AgentStatusHandle; compact?: boolean }) {
  const t = useT();
  const status = agent.status as AgentStatus;
  const wrapUp = contact.state === 'wrap_up';
  const summary = useSummary(contact, agent);
  const queue = useQueueName(status, contact.queue_id);
  const { draft, setDraft, saved, dirty, text, pending, error, needSummary, save, release, continueWork } = summary;

  const link = safeLink(contact.link);
  const call = contact.channel === 'voice';
  // A call's data (caller, IVR path and variables) is shown by its screen pop instead.
  const dataEntries = call ? [] : Object.entries(contact.data ?? {}).filter(([, v]) => typeof v === 'string');
  const wrapSince = status.state === 'wrap_up' ? status.state_since : null;
  const limit = status.wrap_up_limit_s;
  const summaryMissing = status.summary_required && !saved.trim();

  return (
    <Card
      className={`contact-card ${wrapUp ? 'wrap-card' : 'connected-card'}`}
      data-testid="contact-card"
      data-contact-id={contact.id}
      data-state={contact.state}
      title={
        <Space>
          <Tag color={CHANNEL_COLORS[contact.channel]}>{t(`channel.${contact.channel}`)}</Tag>
          {call && contact.direction === 'outbound' && (
            <Tag color="purple" data-testid="contact-outbound">
              {t('dial.outbound')}
            </Tag>
          )}
          <span data-testid="contact-headline">{contactHeadline(contact)}</span>
        </Space>
      }
      extra={
        <Tag color={wrapUp ? 'orange' : 'blue'} data-testid="contact-state">
          {t(wrapUp ? 'state.wrap_up' : `activity.talking.${contact.channel}`)}
        </Tag>
      }
    >
      <Descriptions size="small" column={compact ? { xs: 1, sm: 2, md: 2, lg: 2, xl: 2, xxl: 2 } : { xs: 1, sm: 2, md: 2, lg: 3, xl: 3, xxl: 4 }} className="contact-fields" data-testid="contact-fields">
        {/* A call's number and customer are its screen pop's (its title is the number). */}
        {!call && <Descriptions.Item label={t('wb.contact.title')}>{contact.title || '—'}</Descriptions.Item>}
        {!call && <Descriptions.Item label={t('wb.contact.customer')}>{contact.customer || '—'}</Descriptions.Item>}
        <Descriptions.Item label={t('wb.contact.queue')}>
          <span data-testid="contact-queue">{queue}</span>
        </Descriptions.Item>
        {!call && (
          <Descriptions.Item label={t('wb.contact.link')}>
            {link ? (
              <a href={link} target="_blank" rel="noopener noreferrer" data-testid="contact-link">
                {link} <ExportOutlined />
              </a>
            ) : (
              '—'
            )}
          </Descriptions.Item>
        )}
        {dataEntries.map(([k, v]) => (
          <Descriptions.Item key={k} label={k}>
            <span data-testid={`contact-data-${k}`}>{v}</span>
          </Descriptions.Item>
        ))}
      </Descriptions>

      {call && <TransferNote contactId={contact.id} />}
      {hasCallControls(contact) && <CallControls contact={contact} agent={agent} />}
      {call && wrapUp && (
        <div className="call-hold-info">
          <HoldTotal contact={contact} offset={agent.offset} />
        </div>
      )}

      {call && <CallerCard contactId={contact.id} outbound={contact.direction === 'outbound'} />}

      {wrapUp && (
        <div className="wrap-timer" data-testid="wrap-up-timer">
          <Typography.Text type="secondary">{t('wb.wrap.elapsed')}</Typography.Text>{' '}
          {wrapSince ? <Elapsed since={wrapSince} offset={agent.offset} /> : <span>—</span>}
          {limit > 0 && (
            <Typography.Text type="secondary" data-testid="wrap-up-limit">
              {' '}
              / {t('wb.wrap.limit', { time: formatDuration(limit) })}
            </Typography.Text>
          )}
        </div>
      )}

      <div className="summary-box">
        <Typography.Text strong data-testid="contact-summary-label">
          {t(summaryLabelKey(contact))}
        </Typography.Text>
        {status.summary_required && <Typography.Text type="secondary"> ({t('wb.summary.required')})</Typography.Text>}
        <Input.TextArea
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          maxLength={SUMMARY_MAX}
          showCount
          autoSize={{ minRows: 3, maxRows: 8 }}
          placeholder={`${t('wb.summary.problem')}: ${t('wb.summary.placeholder')}`}
          aria-label={t('wb.summary.problem')}
          data-testid="contact-summary"
          style={{ marginTop: 6 }}
        />
        <SummaryFields summary={summary} required={status.summary_required} testId="contact-summary" />
        {needSummary ? (
          <Alert type="error" showIcon style={{ marginTop: 8 }} message={t('error.summary_required')} data-testid="summary-required" />
        ) : (
          wrapUp &&
          summaryMissing &&
          !text && <Alert type="info" showIcon style={{ marginTop: 8 }} message={t('wb.summary.requiredHint')} data-testid="summary-required-hint" />
        )}
        {error && <Alert type="error" showIcon style={{ marginTop: 8 }} message={error} data-testid="contact-error" />}
      </div>

      <div className="contact-actions">
        <Space wrap>
          <Button icon={<SaveOutlined />} disabled={!dirty || !text} loading={pending === 'save'} onClick={() => void save()} data-testid="contact-summary-save">
            {t('wb.summary.save')}
          </Button>
          {saved && !dirty && (
            <Typography.Text type="success" data-testid="contact-summary-saved">
              {t('wb.summary.savedMark')}
            </Typography.Text>
          )}
          <CreateTicketButton contactId={contact.id} testId="contact-create-ticket" />
          {call && wrapUp && <CallBackButton number={contactCustomerNumber(contact)} testId="contact-call-back" />}
        </Space>
        {wrapUp ? (
          <Button type="primary" icon={<PlayCircleOutlined />} loading={pending === 'continue'} onClick={() => void continueWork()} data-testid="contact-continue">
            {t('wb.continue')}
          </Button>
        ) : (
          <Button danger type="primary" icon={<PoweroffOutlined />} loading={pending === 'release'} onClick={() => void release()} data-testid="contact-release">
            {t('wb.contact.release')}
          </Button>
        )}
      </div>
    </Card>
  );
}
