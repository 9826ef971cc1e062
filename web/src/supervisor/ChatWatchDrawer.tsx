// A supervisor watching a chat from the wallboard (P3): the conversation's transcript, read
// only (no input box), kept live by the `chat.message` events supervisors receive for every
// conversation, and fetched again after each reconnection in case events were missed.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Alert, Button, Drawer, Spin, Tag } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { chatApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import { useI18n } from '../i18n';
import { useLive } from '../util/useLive';
import { MessageList } from '../workbench/chat/MessageView';
import type { AgentMessage } from '../workbench/chat/model';
import { agentSide, watchEvent, withHistory } from './chatWatch';

/** Which conversation is watched, and whose it is (for the title). */
export interface WatchedChat {
  contactId: string;
  agentName: string;
}

export default function ChatWatchDrawer({ watched, onClose }: { watched: WatchedChat | null; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Drawer
      open={watched != null}
      onClose={onClose}
      width={520}
      destroyOnClose
      title={
        <span>
          <EyeOutlined /> {watched ? t('sv.watch.title', { name: watched.agentName }) : ''}
        </span>
      }
      styles={{ body: { display: 'flex', flexDirection: 'column', padding: 0 } }}
      data-testid="chat-watch"
    >
      {watched && <Transcript key={watched.contactId} contactId={watched.contactId} />}
    </Drawer>
  );
}

function Transcript({ contactId }: { contactId: string }) {
  const { t, lang } = useI18n();
  const [messages, setMessages] = useState<readonly AgentMessage[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const alive = useRef(true);
  const scroller = useRef<HTMLDivElement>(null);

  const load = useCallback(async () => {
    try {
      const history = await chatApi.messages(contactId);
      if (!alive.current) return;
      setMessages((list) => withHistory(list, history));
      setLoaded(true);
      setError(null);
    } catch (e) {
      if (alive.current) setError(e);
    }
  }, [contactId]);

  useEffect(() => {
    alive.current = true;
    void load();
    return () => {
      alive.current = false;
    };
  }, [load]);

  useLive({
    onConnected: () => void load(),
    onEvent: (e) => setMessages((list) => watchEvent(list, contactId, e)),
  });

  // Follow the conversation: each new message scrolls into view.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages]);

  return (
    <>
      <Alert type="info" showIcon banner message={t('sv.watch.readOnly')} data-testid="chat-watch-readonly" />
      <div className="cw-messages" ref={scroller} data-testid="chat-watch-messages" data-count={messages.length}>
        {!loaded && error == null && (
          <div className="cw-loading">
            <Spin size="small" /> {t('wb.chat.loading')}
          </div>
        )}
        {error != null && (
          <Alert
            type="error"
            showIcon
            message={t('sv.watch.loadError', { error: errorText(error, t) })}
            action={<Button size="small" onClick={() => void load()}>{t('wb.chat.retry')}</Button>}
          />
        )}
        {loaded && messages.length === 0 && <div className="cw-notice"><span>{t('wb.chat.empty')}</span></div>}
        <MessageList messages={messages} t={t} lang={lang} isMine={agentSide} />
      </div>
      <div className="chat-watch-foot">
        <Tag icon={<EyeOutlined />}>{t('sv.watch.footer')}</Tag>
      </div>
    </>
  );
}
