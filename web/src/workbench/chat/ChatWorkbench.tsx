// The chat workbench (M1, M2, M4, M7–M9, M11): my chats on the left (offered, connected, wrap-up)
// with unread counts and timers; the conversation in the middle (answer, messages, reply box,
// recall, transfer, end the chat, then the service summary and "continue working"); the
// customer and their latest contacts on the right.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Alert, App as AntApp, Badge, Button, Empty, Input, Popconfirm, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import {
  CheckOutlined, MessageOutlined, PlayCircleOutlined, PoweroffOutlined, SaveOutlined, SwapOutlined,
} from '@ant-design/icons';
import { contactsApi, paramsApi } from '../../api/endpoints';
import { errorText } from '../../api/errors';
import type { AgentStatus, Contact, ContactHistory, LibraryDocument, LiveEvent, Me } from '../../api/types';
import { Countdown, Elapsed } from '../../components/Timers';
import { useI18n, type MessageKey, type TFunc } from '../../i18n';
import { formatDuration } from '../../util/time';
import { useLive } from '../../util/useLive';
import { setTitleUnread } from '../../util/title';
import { useNow } from '../../util/useNow';
import { queueName as boundQueueName } from '../model';
import type { AgentStatusHandle } from '../useAgentStatus';
import { SUMMARY_MAX, useSummary } from '../useSummary';
import SummaryFields from '../SummaryFields';
import Composer from './Composer';
import { MessageList } from './MessageView';
import {
  customerLabel, customerTyping, DEFAULT_RECALL_LIMIT_S, isMine as isMineMessage, lastMessagePreview, pickSelected, sortChats, unreadCount,
  unreadTotal, wrapUpTitleKey, type AgentMessage, type Conversation, type CustomerPresence,
} from './model';
import SidePanel from './SidePanel';
import TransferDialog from '../TransferDialog';
import { useChatSessions, type ChatSessions } from './useChatSessions';
import { useLibrary, type Library } from './useLibrary';

interface Props {
  me: Me;
  agent: AgentStatusHandle;
  /** My chat contacts (any order). */
  contacts: readonly Contact[];
}

const SINCE_KEY = 'sb.wb.chatSince';

/**
 * When each chat entered its current state, for the list's timers: the `contact.connected` /
 * `contact.wrap_up` event time when heard, else when this page first saw the state (a chat found
 * already connected on load counts from when it was queued). Contacts carry no such time.
 */
function useStateSince(chats: readonly Contact[], offset: number): (c: Contact) => string {
  const stored = useRef<Record<string, { state: string; at: string }>>(
    (() => {
      try {
        return JSON.parse(sessionStorage.getItem(SINCE_KEY) ?? '{}') as Record<string, { state: string; at: string }>;
      } catch {
        return {};
      }
    })(),
  );
  const heard = useRef(new Map<string, { state: string; at: string }>());
  const first = useRef(true);
  useLive({
    onEvent: (e: LiveEvent) => {
      if ((e.type === 'contact.connected' || e.type === 'contact.wrap_up') && typeof e.contact_id === 'string' && typeof e.at === 'string') {
        heard.current.set(e.contact_id, { state: e.type === 'contact.connected' ? 'connected' : 'wrap_up', at: e.at });
      }
    },
  });
  const [, bump] = useState(0);
  useEffect(() => {
    const next: Record<string, { state: string; at: string }> = {};
    let changed = false;
    for (const c of chats) {
      const cur = stored.current[c.id];
      if (cur && cur.state === c.state) {
        next[c.id] = cur;
        continue;
      }
      const h = heard.current.get(c.id);
      const at =
        h && h.state === c.state
          ? h.at
          : c.state === 'offered' || (first.current && !cur)
            ? c.enqueued_at
            : new Date(Date.now() + offset).toISOString();
      next[c.id] = { state: c.state, at };
      changed = true;
    }
    if (Object.keys(stored.current).length !== Object.keys(next).length) changed = true;
    first.current = chats.length === 0 && first.current;
    if (changed) {
      stored.current = next;
      try {
        sessionStorage.setItem(SINCE_KEY, JSON.stringify(next));
      } catch {
        /* ignore */
      }
      bump((n) => n + 1);
    }
  }, [chats, offset]);
  return (c: Contact) => (stored.current[c.id]?.state === c.state ? stored.current[c.id].at : c.enqueued_at);
}

export default function ChatWorkbench({ me, agent, contacts }: Props) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const chats = useMemo(() => sortChats(contacts), [contacts]);
  const [selected, setSelected] = useState<string | null>(null);
  const selectedId = pickSelected(selected, chats);
  const sessions = useChatSessions({ me, chats, selectedId, t });
  const library = useLibrary();
  const since = useStateSince(chats, agent.offset);
  const [recallLimit, setRecallLimit] = useState(DEFAULT_RECALL_LIMIT_S);
  const [histories, setHistories] = useState<Record<string, ContactHistory | null>>({});
  const [historyErrors, setHistoryErrors] = useState<Record<string, unknown>>({});
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const requested = useRef(new Set<string>());

  useEffect(() => {
    paramsApi.get().then(
      (p) => typeof p.recall_limit_s === 'number' && setRecallLimit(p.recall_limit_s),
      () => undefined,
    );
  }, []);

  // The customer and their history, once per chat.
  useEffect(() => {
    for (const c of chats) {
      if (requested.current.has(c.id)) continue;
      requested.current.add(c.id);
      contactsApi.history(c.id).then(
        (h) => setHistories((m) => ({ ...m, [c.id]: h })),
        (e: unknown) => {
          requested.current.delete(c.id);
          setHistoryErrors((m) => ({ ...m, [c.id]: e }));
        },
      );
    }
  }, [chats]);

  // The unread total in the tab's title.
  const total = unreadTotal(sessions.convs, chats.map((c) => c.id));
  useEffect(() => setTitleUnread(total), [total]);
  useEffect(() => () => setTitleUnread(0), []);

  const status = agent.status as AgentStatus;
  const queueName = useCallback((id: string) => boundQueueName(status, id), [status]);
  const isMine = useCallback((m: AgentMessage) => isMineMessage(m, me.id, sessions.sentHere), [me.id, sessions.sentHere]);
  const canManageTeam = me.permissions.includes('documents.manage');

  return (
    <div className="cw" data-testid="chat-workbench">
      <aside className="cw-list" data-testid="wb-chat-list">
        <div className="cw-list-head">
          <MessageOutlined /> {t('wb.chat.list')}
          <Badge count={chats.length} color="#8c8c8c" showZero size="small" style={{ marginLeft: 6 }} />
        </div>
        <div className="cw-list-items">
          {chats.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('wb.chat.listEmpty')} />
          ) : (
            chats.map((c) => (
              <ChatListItem
                key={c.id}
                contact={c}
                active={c.id === selectedId}
                conv={sessions.convs[c.id]}
                name={customerLabel(c, histories[c.id], t)}
                since={since(c)}
                offset={agent.offset}
                t={t}
                onSelect={() => setSelected(c.id)}
                agent={agent}
              />
            ))
          )}
        </div>
      </aside>
      <div className="cw-main">
        {chats.length === 0 || !selectedId ? (
          <div className="cw-none">
            <Empty description={t('wb.chat.select')} />
          </div>
        ) : (
          chats.map((c) => (
            <ChatPane
              key={c.id}
              contact={c}
              active={c.id === selectedId}
              agent={agent}
              sessions={sessions}
              library={library}
              conv={sessions.convs[c.id]}
              loadError={sessions.loadErrors[c.id]}
              name={customerLabel(c, histories[c.id], t)}
              since={since(c)}
              recallLimit={recallLimit}
              draft={drafts[c.id] ?? ''}
              setDraft={(v) => setDrafts((d) => ({ ...d, [c.id]: v }))}
              queueName={queueName}
              isMine={isMine}
              canManageTeam={canManageTeam}
              t={t}
              lang={lang}
              onTransferred={() => {
                message.success(t('wb.chat.transferred'));
                void agent.refresh();
              }}
            />
          ))
        )}
      </div>
      {selectedId && chats.find((c) => c.id === selectedId) && (
        <SidePanel
          key={selectedId}
          contact={chats.find((c) => c.id === selectedId) as Contact}
          history={histories[selectedId]}
          historyError={historyErrors[selectedId]}
          t={t}
          lang={lang}
          queueName={queueName}
          isMine={isMine}
          customerName={customerLabel(chats.find((c) => c.id === selectedId) as Contact, histories[selectedId], t)}
        />
      )}
    </div>
  );
}

function ChatListItem({
  contact: c, active, conv, name, since, offset, t, onSelect, agent,
}: {
  contact: Contact;
  active: boolean;
  conv: Conversation | undefined;
  name: string;
  since: string;
  offset: number;
  t: TFunc;
  onSelect: () => void;
  agent: AgentStatusHandle;
}) {
  const unread = unreadCount(conv);
  const preview = lastMessagePreview(conv);
  const previewText = !preview
    ? c.title ?? ''
    : 'text' in preview
      ? preview.text
      : t(preview.kind === 'recalled' ? 'wb.chat.preview.recalled' : preview.kind === 'document' ? 'wb.chat.preview.document' : 'wb.chat.preview.file');
  return (
    <div
      role="button"
      tabIndex={0}
      className={`cw-item${active ? ' cw-item-active' : ''} cw-item-${c.state}`}
      onClick={onSelect}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onSelect()}
      data-testid="wb-chat-item"
      data-contact-id={c.id}
      data-state={c.state}
      data-unread={unread}
    >
      <div className="cw-avatar">{Array.from(name.trim() || '?')[0].toUpperCase()}</div>
      <div className="cw-item-body">
        <div className="cw-item-top">
          <span className="cw-item-name">{name}</span>
          <span className="cw-item-timer" title={t(`wb.chat.timer.${c.state as 'offered' | 'connected' | 'wrap_up'}`)}>
            <Elapsed since={since} offset={offset} />
          </span>
        </div>
        <div className="cw-item-bottom">
          <span className="cw-item-preview">{previewText}</span>
          {unread > 0 && <Badge count={unread} size="small" data-testid="wb-chat-unread" />}
        </div>
        <div className="cw-item-state">
          <Tag bordered={false} color={c.state === 'offered' ? 'processing' : c.state === 'connected' ? 'blue' : 'orange'}>
            {t(`wb.chat.state.${c.state as 'offered' | 'connected' | 'wrap_up'}`)}
          </Tag>
          {c.state === 'offered' && <AnswerButton contact={c} agent={agent} t={t} size="small" />}
        </div>
      </div>
    </div>
  );
}

function AnswerButton({ contact, agent, t, size }: { contact: Contact; agent: AgentStatusHandle; t: TFunc; size?: 'small' | 'large' }) {
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
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
    <Button
      type="primary"
      size={size}
      icon={<CheckOutlined />}
      loading={busy}
      onClick={(e) => {
        e.stopPropagation();
        void answer();
      }}
      data-testid={size === 'small' ? 'wb-chat-answer-list' : 'wb-chat-answer'}
    >
      {t('wb.chat.answer')}
    </Button>
  );
}

interface PaneProps {
  contact: Contact;
  active: boolean;
  agent: AgentStatusHandle;
  sessions: ChatSessions;
  library: Library;
  conv: Conversation | undefined;
  loadError: unknown;
  name: string;
  since: string;
  recallLimit: number;
  draft: string;
  setDraft: (v: string) => void;
  queueName: (id: string) => string;
  isMine: (m: AgentMessage) => boolean;
  canManageTeam: boolean;
  t: TFunc;
  lang: string;
  onTransferred: () => void;
}

/** What the agent reads when the customer leaves or comes back. */
const PRESENCE_TEXT = {
  disconnected: 'wb.chat.customerDisconnected',
  left: 'wb.chat.customerLeft',
  back: 'wb.chat.customerBack',
} as const satisfies Record<NonNullable<CustomerPresence>, MessageKey>;

function ChatPane(props: PaneProps) {
  const { contact: c, active, agent, sessions, library, conv, loadError, name, since, recallLimit, draft, setDraft, queueName, isMine, t, lang } = props;
  const { message } = AntApp.useApp();
  const summary = useSummary(c, agent);
  const [transferOpen, setTransferOpen] = useState(false);
  const [recalling, setRecalling] = useState<string | null>(null);
  // Only the chat on screen needs a running clock (recall countdowns, typing indicator).
  const now = useNow(active ? 1000 : 60_000);
  const serverNow = now + agent.offset;
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const connected = c.state === 'connected';
  const wrapUp = c.state === 'wrap_up';
  const offered = c.state === 'offered';
  const typing = customerTyping(conv, now);
  const messages = conv?.messages ?? [];
  const pending = conv?.pending ?? [];

  const onScroll = () => {
    const el = scroller.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
  };
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && active && stick.current) el.scrollTop = el.scrollHeight;
  }, [conv?.messages, conv?.pending, typing, active, c.state]);

  const recall = async (m: AgentMessage) => {
    setRecalling(m.id);
    try {
      await sessions.recall(c.id, m.id);
      message.success(t('wb.chat.recallDone'));
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setRecalling(null);
    }
  };

  const recallRef = useRef(recall);
  recallRef.current = recall;
  const onRecall = useCallback((m: AgentMessage) => void recallRef.current(m), []);

  const onSendDocument = (d: LibraryDocument) => sessions.sendDocument(c.id, { id: d.id, title: d.title });
  const stateTag = (
    <Tag bordered={false} color={offered ? 'processing' : connected ? 'blue' : 'orange'} data-testid="wb-chat-state">
      {t(`wb.chat.state.${c.state as 'offered' | 'connected' | 'wrap_up'}`)}
    </Tag>
  );

  return (
    <section className="cw-pane" hidden={!active} data-testid={active ? 'wb-chat-pane' : undefined} data-contact-id={c.id} data-state={c.state}>
      <header className="cw-pane-head">
        <div className="cw-avatar">{Array.from(name.trim() || '?')[0].toUpperCase()}</div>
        <div className="cw-pane-title">
          <div className="cw-pane-name">
            <span data-testid="wb-chat-name">{name}</span> {stateTag}
            <span className="cw-pane-timer">
              {t(`wb.chat.timer.${c.state as 'offered' | 'connected' | 'wrap_up'}`)} <Elapsed since={since} offset={agent.offset} />
            </span>
          </div>
          <div className="cw-pane-sub" title={c.title ?? ''}>
            {[c.title, queueName(c.queue_id)].filter(Boolean).join(' · ')}
          </div>
        </div>
        {connected && (
          <Space size={8} className="cw-pane-actions">
            <Button icon={<SwapOutlined />} onClick={() => setTransferOpen(true)} data-testid="wb-chat-transfer">
              {t('wb.chat.transfer')}
            </Button>
            <Popconfirm
              title={t('wb.chat.releaseConfirm')}
              okText={t('wb.chat.release')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true, 'data-testid': 'wb-chat-release-ok' }}
              onConfirm={() => void summary.release()}
            >
              <Button danger icon={<PoweroffOutlined />} loading={summary.pending === 'release'} data-testid="wb-chat-release">
                {t('wb.chat.release')}
              </Button>
            </Popconfirm>
          </Space>
        )}
      </header>

      <div className="cw-messages" ref={scroller} onScroll={onScroll} data-testid={active ? 'wb-chat-messages' : undefined}>
        {!conv?.loaded && !loadError && (
          <div className="cw-loading">
            <Spin size="small" /> {t('wb.chat.loading')}
          </div>
        )}
        {loadError ? (
          <Alert
            type="error"
            showIcon
            message={t('wb.chat.loadError', { error: errorText(loadError, t) })}
            action={<Button size="small" onClick={() => sessions.reload(c.id)}>{t('wb.chat.retry')}</Button>}
          />
        ) : null}
        {conv?.loaded && messages.length === 0 && pending.length === 0 && <div className="cw-notice"><span>{t('wb.chat.empty')}</span></div>}
        <MessageList
          messages={messages}
          pending={pending}
          t={t}
          lang={lang}
          isMine={isMine}
          queueName={queueName}
          customerReadSeq={conv?.customerReadSeq ?? 0}
          customerName={name}
          recall={connected ? { limitS: recallLimit, serverNow, onRecall, busyId: recalling } : undefined}
          onRetry={(p) => sessions.retry(c.id, p.clientId)}
          onDiscard={(p) => sessions.discard(c.id, p.clientId)}
        />
        {conv?.customerPresence && (connected || wrapUp) && (
          <div className="cw-notice" data-testid="wb-chat-presence">
            <span>{t(PRESENCE_TEXT[conv.customerPresence])}</span>
          </div>
        )}
        {typing && connected && (
          <div className="cw-typing" data-testid="wb-chat-typing">
            <span className="cw-dots">
              <i />
              <i />
              <i />
            </span>
            {t('wb.chat.typing')}
          </div>
        )}
      </div>

      {offered && (
        <div className="cw-offer" data-testid="wb-chat-offer">
          <div>
            <div className="cw-offer-title">{t('wb.chat.offerTitle')}</div>
            <Typography.Text type="secondary">{t('wb.chat.offerHint')}</Typography.Text>
          </div>
          <Space size={12}>
            <span className="cw-offer-countdown">
              {t('wb.offer.expiresIn')} <Countdown until={c.offer_expires_at} offset={agent.offset} />
            </span>
            <AnswerButton contact={c} agent={agent} t={t} size="large" />
          </Space>
        </div>
      )}
      {connected && (
        <Composer
          t={t}
          value={draft}
          onChange={setDraft}
          onSend={(text) => sessions.send(c.id, text)}
          onTyping={() => sessions.typing(c.id)}
          onSendDocument={onSendDocument}
          onSendFile={(f) => sessions.sendFile(c.id, f)}
          library={library}
          canManageTeam={props.canManageTeam}
        />
      )}
      {connected && summary.error && <Alert type="error" showIcon banner message={summary.error} />}
      {wrapUp && <WrapUpPanel contact={c} agent={agent} summary={summary} t={t} />}
      {transferOpen && (
        <TransferDialog
          open={transferOpen}
          contact={c}
          t={t}
          onClose={() => setTransferOpen(false)}
          onDone={() => {
            setTransferOpen(false);
            props.onTransferred();
          }}
        />
      )}
    </section>
  );
}

function WrapUpPanel({ contact, agent, summary, t }: { contact: Contact; agent: AgentStatusHandle; summary: ReturnType<typeof useSummary>; t: TFunc }) {
  const status = agent.status as AgentStatus;
  const limit = status.wrap_up_limit_s;
  const wrapSince = status.state === 'wrap_up' ? status.state_since : null;
  const summaryMissing = status.summary_required && !summary.saved.trim();
  return (
    <div className="cw-wrap" data-testid="wb-chat-wrap" data-contact-id={contact.id}>
      <div className="cw-wrap-head">
        <Typography.Text strong data-testid="wb-chat-wrap-title">{t(wrapUpTitleKey(status.summary_required))}</Typography.Text>
        <span className="cw-wrap-timer">
          <Typography.Text type="secondary">{t('wb.wrap.elapsed')}</Typography.Text>{' '}
          {wrapSince ? <Elapsed since={wrapSince} offset={agent.offset} /> : <span>—</span>}
          {limit > 0 && <Typography.Text type="secondary"> / {t('wb.wrap.limit', { time: formatDuration(limit) })}</Typography.Text>}
        </span>
      </div>
      <Input.TextArea
        value={summary.draft}
        onChange={(e) => summary.setDraft(e.target.value)}
        maxLength={SUMMARY_MAX}
        autoSize={{ minRows: 2, maxRows: 5 }}
        placeholder={`${t('wb.summary.problem')}${status.summary_required ? ` (${t('wb.summary.required')})` : ''}: ${t('wb.summary.placeholder')}`}
        aria-label={t('wb.summary.problem')}
        data-testid="wb-chat-summary"
      />
      <SummaryFields summary={summary} required={status.summary_required} testId="wb-chat-summary" />
      {summary.needSummary ? (
        <Alert type="error" showIcon style={{ marginTop: 8 }} message={t('error.summary_required')} data-testid="wb-chat-summary-required" />
      ) : (
        summaryMissing && !summary.text && <Alert type="info" showIcon style={{ marginTop: 8 }} message={t('wb.summary.requiredHint')} />
      )}
      {summary.error && <Alert type="error" showIcon style={{ marginTop: 8 }} message={summary.error} data-testid="wb-chat-wrap-error" />}
      <div className="cw-wrap-actions">
        <Space>
          <Button icon={<SaveOutlined />} disabled={!summary.dirty || !summary.text} loading={summary.pending === 'save'} onClick={() => void summary.save()} data-testid="wb-chat-summary-save">
            {t('wb.summary.save')}
          </Button>
          {summary.saved && !summary.dirty && (
            <Typography.Text type="success" data-testid="wb-chat-summary-saved">
              {t('wb.summary.savedMark')}
            </Typography.Text>
          )}
        </Space>
        <Tooltip title={summaryMissing && !summary.text ? t('wb.summary.requiredHint') : undefined}>
          <Button type="primary" icon={<PlayCircleOutlined />} loading={summary.pending === 'continue'} onClick={() => void summary.continueWork()} data-testid="wb-chat-continue">
            {t('wb.continue')}
          </Button>
        </Tooltip>
      </div>
    </div>
  );
}
