// A customer's service trail, newest first and paged by time: calls (their recording plays
// inline where the caller may hear it, the record opens in the call records), chats (their
// transcript opens read-only), tasks, tickets (their page opens), each with its score.
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Empty, Modal, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { StarFilled } from '@ant-design/icons';
import { customersApi } from '../api/endpoints';
import { getToken } from '../api/client';
import { errorText } from '../api/errors';
import type { CustomerTrailEntry } from '../api/types';
import { localTime, recordingUrl } from '../calls/model';
import { useI18n, type MessageKey } from '../i18n';
import { MessageList } from '../workbench/chat/MessageView';
import { toAgentMessage, type AgentMessage } from '../workbench/chat/model';
import { trailTarget } from './model';

const COLORS: Record<string, string> = { call: 'blue', chat: 'green', task: 'orange', ticket: 'purple', video: 'cyan' };

export function CustomerTrail({ customerId }: { customerId: string }) {
  const { t } = useI18n();
  const [items, setItems] = useState<CustomerTrailEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [chat, setChat] = useState<string | null>(null);

  const load = useCallback(
    async (before?: string) => {
      setLoading(true);
      try {
        const page = await customersApi.trail(customerId, before);
        setItems((prev) => (before != null ? [...prev, ...page.items] : page.items));
        setNext(page.next_before);
        setError(null);
      } catch (e) {
        setError(e);
      } finally {
        setLoading(false);
      }
    },
    [customerId],
  );
  useEffect(() => {
    void load();
  }, [load]);

  if (error != null) return <Alert type="error" showIcon message={errorText(error, t)} />;
  if (loading && items.length === 0) return <Spin />;
  if (items.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customers.noTrail')} />;
  return (
    <div data-testid="customer-trail">
      <Timeline
        items={items.map((e, i) => ({
          key: `${e.contact_id ?? e.ticket_id}-${i}`,
          color: COLORS[e.kind] ?? 'gray',
          children: <TrailItem entry={e} onChat={setChat} />,
        }))}
      />
      {next != null && (
        <Button onClick={() => void load(next)} loading={loading}>
          {t('customers.more')}
        </Button>
      )}
      <Transcript customerId={customerId} contactId={chat} onClose={() => setChat(null)} />
    </div>
  );
}

function TrailItem({ entry: e, onChat }: { entry: CustomerTrailEntry; onChat: (contactId: string) => void }) {
  const { t } = useI18n();
  const target = trailTarget(e);
  return (
    <Space direction="vertical" size={2} data-testid="trail-entry" data-kind={e.kind}>
      <Space wrap>
        <Tag color={COLORS[e.kind]}>{t(`customers.kind.${e.kind}` as MessageKey)}</Tag>
        <Typography.Text type="secondary">{localTime(e.at)}</Typography.Text>
        {e.ticket_number && <Typography.Text strong>{e.ticket_number}</Typography.Text>}
        {e.title && <span>{e.title}</span>}
        {e.agent_name && <Typography.Text type="secondary">{e.agent_name}</Typography.Text>}
        {e.score != null && (
          <Tag color="gold" icon={<StarFilled />} data-testid="trail-score">
            {e.score}/5
          </Tag>
        )}
      </Space>
      {e.summary && <Typography.Text type="secondary">{e.summary}</Typography.Text>}
      {target.kind === 'ticket' && (
        <Link to={`/tickets/${target.id}`} data-testid="trail-open-ticket">
          {t('customers.openTicket')}
        </Link>
      )}
      {target.kind === 'chat' && (
        <Button size="small" onClick={() => onChat(target.contactId)} data-testid="trail-open-chat">
          {t('customers.openTranscript')}
        </Button>
      )}
      {target.kind === 'call' && (
        <Space wrap>
          <Link to={`/calls?open=${target.id}`}>{t('customers.openCall')}</Link>
          {e.recording_playable && (
            <audio controls preload="none" src={recordingUrl(target.id, getToken())} data-testid="trail-audio" />
          )}
        </Space>
      )}
    </Space>
  );
}

function Transcript({ customerId, contactId, onClose }: { customerId: string; contactId: string | null; onClose: () => void }) {
  const { t, lang } = useI18n();
  const [messages, setMessages] = useState<AgentMessage[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setMessages(null);
    setError(null);
    if (!contactId) return;
    let live = true;
    customersApi.chat(customerId, contactId).then(
      (ms) => live && setMessages(ms.map(toAgentMessage).filter((m): m is AgentMessage => m != null)),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [customerId, contactId]);
  return (
    <Modal open={contactId != null} onCancel={onClose} footer={null} title={t('customers.transcript')} width={720} destroyOnHidden>
      <div data-testid="trail-transcript">
        {error != null && <Alert type="error" showIcon message={errorText(error, t)} />}
        {!messages && error == null && <Spin />}
        {messages && <MessageList messages={messages} t={t} lang={lang} isMine={(m) => m.sender === 'agent'} />}
      </div>
    </Modal>
  );
}
