// The right side of the chat workbench: who the customer is and their latest 3 other contacts
// (M8), each opening a read-only view (the messages of a chat when I may read them, the service
// summary always).
import { useEffect, useState } from 'react';
import { Alert, Descriptions, Empty, Modal, Rate, Spin, Tag, Typography } from 'antd';
import { SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { ApiError } from '../../api/client';
import { chatApi } from '../../api/endpoints';
import { errorText } from '../../api/errors';
import type { Contact, ContactHistory } from '../../api/types';
import { hasKey, type TFunc } from '../../i18n';
import { CHANNEL_COLORS } from '../QueuePicker';
import { CreateTicketButton } from '../../tickets/CreateTicketButton';
import { CustomerBriefView } from '../../customers/CustomerBriefView';
import { dateTimeLabel, MessageList } from './MessageView';
import { toAgentMessages, type AgentMessage } from './model';

interface Props {
  contact: Contact;
  history: ContactHistory | null | undefined;
  historyError: unknown;
  t: TFunc;
  lang: string;
  queueName: (id: string) => string;
  isMine: (m: AgentMessage) => boolean;
  customerName: string;
}

export default function SidePanel({ contact, history, historyError, t, lang, queueName, isMine, customerName }: Props) {
  const [open, setOpen] = useState<Contact | null>(null);
  const customer = history?.customer ?? null;
  const entry = typeof contact.data?.entry === 'string' ? contact.data.entry : null;
  return (
    <aside className="cw-side" data-testid="wb-chat-side">
      <section className="cw-side-section">
        <div className="cw-side-title">
          <UserOutlined /> {t('wb.chat.customerInfo')}
        </div>
        <div className="cw-customer-head">
          <div className="cw-avatar cw-avatar-lg">{Array.from(customerName.trim() || '?')[0].toUpperCase()}</div>
          <div className="cw-customer-name-block">
            <div className="cw-customer-name" data-testid="wb-chat-customer-name">{customerName}</div>
            {customer ? (
              customer.verified ? (
                <Tag color="green" icon={<SafetyCertificateOutlined />} bordered={false}>
                  {t('wb.chat.info.verified')}
                </Tag>
              ) : (
                <Tag bordered={false}>{t('wb.chat.info.anonymous')}</Tag>
              )
            ) : null}
          </div>
        </div>
        <Descriptions size="small" column={1} className="cw-info" colon={false}>
          <Descriptions.Item label={t('wb.chat.info.phone')}>{customer?.phone || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('wb.chat.info.email')}>{customer?.email || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('wb.chat.info.queue')}>{queueName(contact.queue_id)}</Descriptions.Item>
          {entry && <Descriptions.Item label={t('wb.chat.info.entry')}>{entry}</Descriptions.Item>}
        </Descriptions>
        <CustomerBriefView brief={history?.directory} />
        {(contact.state === 'connected' || contact.state === 'wrap_up') && (
          <div style={{ marginTop: 8 }}>
            <CreateTicketButton contactId={contact.id} size="small" testId="wb-chat-create-ticket" />
          </div>
        )}
      </section>
      <section className="cw-side-section cw-side-history">
        <div className="cw-side-title">{t('wb.chat.history')}</div>
        {historyError ? (
          <Typography.Text type="danger">{t('wb.chat.history.loadError', { error: errorText(historyError, t) })}</Typography.Text>
        ) : history === undefined ? (
          <Spin size="small" />
        ) : !history || history.recent.length === 0 ? (
          <Typography.Text type="secondary" data-testid="wb-chat-history-empty">
            {t('wb.chat.history.empty')}
          </Typography.Text>
        ) : (
          <div className="cw-history" data-testid="wb-chat-history">
            {history.recent.map((c) => (
              <button key={c.id} type="button" className="cw-history-item" onClick={() => setOpen(c)} data-testid="wb-chat-history-item" data-id={c.id}>
                <div className="cw-history-top">
                  <Tag color={CHANNEL_COLORS[c.channel]} bordered={false}>
                    {t(`channel.${c.channel}`)}
                  </Tag>
                  <span className="cw-history-time">{dateTimeLabel(c.created_at, lang)}</span>
                </div>
                <div className="cw-history-title">{c.title || '—'}</div>
                {typeof c.rating === 'number' && <Rate disabled value={c.rating} className="cw-rate" />}
                <div className="cw-history-summary">{c.summary || t('wb.chat.history.noSummary')}</div>
              </button>
            ))}
          </div>
        )}
      </section>
      {open && (
        <HistoryModal contact={open} t={t} lang={lang} queueName={queueName} isMine={isMine} customerName={customerName} onClose={() => setOpen(null)} />
      )}
    </aside>
  );
}

function HistoryModal({
  contact, t, lang, queueName, isMine, customerName, onClose,
}: {
  contact: Contact;
  t: TFunc;
  lang: string;
  queueName: (id: string) => string;
  isMine: (m: AgentMessage) => boolean;
  customerName: string;
  onClose: () => void;
}) {
  const [messages, setMessages] = useState<AgentMessage[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const isChat = contact.channel === 'chat';
  useEffect(() => {
    if (!isChat) return;
    let alive = true;
    chatApi.messages(contact.id, 0).then(
      (list) => alive && setMessages(toAgentMessages(list)),
      (e) => alive && setError(e),
    );
    return () => {
      alive = false;
    };
  }, [contact.id, isChat]);
  const stateKey = `contactState.${contact.state}`;
  return (
    <Modal open title={t('wb.chat.history.detail')} onCancel={onClose} footer={null} width={640} data-testid="wb-chat-history-modal">
      <Descriptions size="small" column={2} colon={false} className="cw-history-desc">
        <Descriptions.Item label={t('wb.contact.title')} span={2}>
          {contact.title || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('wb.chat.history.time')}>{dateTimeLabel(contact.created_at, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('wb.chat.history.state')}>
          <Tag color={CHANNEL_COLORS[contact.channel]} bordered={false}>
            {t(`channel.${contact.channel}`)}
          </Tag>
          {hasKey(stateKey) ? t(stateKey) : contact.state}
        </Descriptions.Item>
        {typeof contact.rating === 'number' && (
          <Descriptions.Item label={t('wb.chat.history.rating')} span={2}>
            <span data-testid="wb-chat-history-rating">
              <Rate disabled value={contact.rating} className="cw-rate" /> {contact.rating_comment ?? ''}
            </span>
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('wb.summary.label')} span={2}>
          <span data-testid="wb-chat-history-summary">{contact.summary || t('wb.chat.history.noSummary')}</span>
        </Descriptions.Item>
      </Descriptions>
      {isChat && (
        <>
          <Typography.Text strong>{t('wb.chat.history.messages')}</Typography.Text>
          <div className="cw-history-messages" data-testid="wb-chat-history-messages">
            {error ? (
              <Alert
                type={error instanceof ApiError && error.status === 404 ? 'info' : 'error'}
                showIcon
                message={error instanceof ApiError && error.status === 404 ? t('wb.chat.history.noMessages') : errorText(error, t)}
              />
            ) : messages === null ? (
              <Spin />
            ) : messages.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('wb.chat.empty')} />
            ) : (
              <MessageList messages={messages} t={t} lang={lang} isMine={isMine} queueName={queueName} customerName={customerName} />
            )}
          </div>
        </>
      )}
    </Modal>
  );
}
