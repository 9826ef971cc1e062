// The agent's own service list (001's 服务列表): the contacts in service (connected or wrap-up)
// and the ended ones, newest first; each opens as its channel does — a call's record, a
// chat's transcript, a task's details.
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, Button, Card, Descriptions, List, Modal, Spin, Tabs, Tag, Typography } from 'antd';
import { chatApi, serviceListApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { Contact, ServiceEntry } from '../api/types';
import { localTime } from '../calls/model';
import { useI18n } from '../i18n';
import { MessageList } from './chat/MessageView';
import { toAgentMessage, type AgentMessage } from './chat/model';
import { CHANNEL_COLORS } from './QueuePicker';

type ServiceTab = 'open' | 'ended';

export default function ServiceList() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [tab, setTab] = useState<ServiceTab>('open');
  const [items, setItems] = useState<ServiceEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [shown, setShown] = useState<Contact | null>(null);

  const load = useCallback(
    async (before?: string) => {
      setLoading(true);
      try {
        const page = await serviceListApi.list(tab, before);
        setItems((prev) => (before != null ? [...prev, ...page.items] : page.items));
        setNext(page.next_before);
        setError(null);
      } catch (e) {
        setError(e);
      } finally {
        setLoading(false);
      }
    },
    [tab],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const open = (e: ServiceEntry) => {
    if (e.call_id) navigate(`/calls?open=${e.call_id}`);
    else setShown(e.contact);
  };

  return (
    <Card size="small" title={t('service.title')} data-testid="service-list" extra={<Button size="small" onClick={() => void load()}>{t('common.refresh')}</Button>}>
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as ServiceTab)}
        items={[
          { key: 'open', label: t('service.open') },
          { key: 'ended', label: t('service.ended') },
        ]}
      />
      {error != null && <Alert type="error" showIcon message={errorText(error, t)} />}
      <List<ServiceEntry>
        size="small"
        loading={loading}
        dataSource={items}
        locale={{ emptyText: t('service.empty') }}
        renderItem={(e) => (
          <List.Item onClick={() => open(e)} style={{ cursor: 'pointer' }} data-testid="service-entry" data-id={e.contact.id}>
            <Tag color={CHANNEL_COLORS[e.contact.channel]}>{t(`channel.${e.contact.channel}`)}</Tag>
            <span>{e.contact.title ?? e.contact.customer ?? '—'}</span>
            <Typography.Text type="secondary">{localTime(e.contact.created_at)}</Typography.Text>
          </List.Item>
        )}
      />
      {next != null && <Button onClick={() => void load(next)}>{t('customers.more')}</Button>}
      <ContactModal contact={shown} onClose={() => setShown(null)} />
    </Card>
  );
}

function ContactModal({ contact, onClose }: { contact: Contact | null; onClose: () => void }) {
  const { t, lang } = useI18n();
  const [messages, setMessages] = useState<AgentMessage[] | null>(null);
  useEffect(() => {
    setMessages(null);
    if (contact?.channel !== 'chat') return;
    let live = true;
    chatApi.messages(contact.id).then(
      (ms) => live && setMessages(ms.map(toAgentMessage).filter((m): m is AgentMessage => m != null)),
      () => live && setMessages([]),
    );
    return () => {
      live = false;
    };
  }, [contact]);
  return (
    <Modal open={contact != null} onCancel={onClose} footer={null} width={720} title={contact?.title ?? t('service.title')} destroyOnHidden>
      {contact && (
        <Descriptions size="small" column={1} bordered data-testid="service-contact">
          <Descriptions.Item label={t('customers.created')}>{localTime(contact.created_at)}</Descriptions.Item>
          <Descriptions.Item label={t('customers.name')}>{contact.customer ?? '—'}</Descriptions.Item>
          {contact.summary && <Descriptions.Item label={t('calls.summary')}>{contact.summary}</Descriptions.Item>}
        </Descriptions>
      )}
      {contact?.channel === 'chat' && (messages ? <MessageList messages={messages} t={t} lang={lang} isMine={(m) => m.sender === 'agent'} /> : <Spin />)}
    </Modal>
  );
}
