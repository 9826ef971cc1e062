// The customer chat page (/chat/:tenant/:entry): no login, phone and desktop, zh-CN / English.
// Plain React and CSS (chat.css) to keep this bundle small and apart from the admin app.
import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useI18n, type TFunc } from '../i18n';
import { refusalText } from '../api/errors';
import { AttachmentBody, ComposerExtras, EndedExtras } from './extensions';
import { EmojiPicker } from './emoji';
import { AgentIcon, GlobeIcon, SendIcon, SmileIcon } from './icons';
import { browserStore, identityFromQuery, visitorId, type ChatAuth, type KeyValueStore } from './identity';
import { canRate, charCount, checkPrechat, timeline, waitMinutes, type PrechatField, type QueueInfo, type ShownMessage, type StartRequest } from './model';
import { MAX_MESSAGE_CHARS, PRECHAT_LIMITS } from './protocol';
import { useChat, type ChatController } from './useChat';
import { useWidgetBridge } from './embed';
import './chat.css';

interface Props {
  tenant: string;
  entry: string;
  /** The page's query string (identity, embed). */
  search: string;
  store?: KeyValueStore;
}

export default function ChatPage({ tenant, entry, search, store: given }: Props) {
  const { t, lang, setLang } = useI18n();
  const store = useMemo(() => given ?? browserStore(), [given]);
  const auth = useMemo<ChatAuth>(() => identityFromQuery(search) ?? { visitor: visitorId(store, tenant, entry) }, [search, store, tenant, entry]);
  const embed = useMemo(() => new URLSearchParams(search).get('embed') === '1', [search]);
  const chat = useChat({ tenant, entry, auth, store });
  const { state } = chat;
  useWidgetBridge(embed ? search : '', state.messages, t('chat.attachment'));
  const [form, setForm] = useState<Record<PrechatField, string>>({ name: '', phone: '', email: '', question: '' });
  const [formErrors, setFormErrors] = useState<Partial<Record<PrechatField, string>>>({});
  const [confirmEnd, setConfirmEnd] = useState(false);

  const title = state.title || t('chat.title');
  useEffect(() => {
    document.title = title;
  }, [title]);

  const ended = state.phase === 'ended';
  const waiting = state.phase === 'starting' || state.phase === 'waiting';
  const showForm = state.phase === 'idle' && !state.conversation && state.prechatForm && chat.online;
  const status = !chat.online
    ? t('chat.status.connecting')
    : ended
      ? t('chat.status.ended')
      : state.phase === 'connected'
        ? t('chat.status.connected')
        : waiting
          ? t('chat.status.waiting')
          : t('chat.status.online');

  const validate = (requireQuestion: boolean): StartRequest | null => {
    const { req, errors } = checkPrechat(form);
    const out: Partial<Record<PrechatField, string>> = {};
    for (const f of errors) {
      out[f] = charCount(form[f].trim()) > PRECHAT_LIMITS[f]
        ? t('chat.prechat.tooLong', { n: PRECHAT_LIMITS[f] })
        : f === 'email' ? t('chat.prechat.badEmail') : t('chat.prechat.badPhone');
    }
    if (requireQuestion && !req.question && !out.question) out.question = t('chat.prechat.needQuestion');
    setFormErrors(out);
    return Object.keys(out).length ? null : req;
  };

  const submitForm = (e: FormEvent) => {
    e.preventDefault();
    const req = validate(true);
    if (req) chat.startChat(req);
  };

  /** The composer: with the form on screen, its details (not the question) go with the first message. */
  const sendFromComposer = (text: string): boolean => {
    if (!showForm) return chat.send(text);
    const req = validate(false);
    if (!req) return false;
    const { question: _q, ...details } = req;
    return chat.send(text, details);
  };

  const canLeave = chat.online && !!state.conversation && !ended;
  useEffect(() => {
    if (!canLeave) setConfirmEnd(false);
  }, [canLeave]);

  return (
    <div className={`sbc-page${embed ? ' sbc-embed' : ''}`}>
      <div className="sbc-window" data-testid="chat-page" data-phase={state.phase} data-online={chat.online ? 'true' : 'false'} lang={lang}>
        <header className="sbc-header">
          <div className="sbc-avatar sbc-avatar-lg">
            <AgentIcon size={22} />
          </div>
          <div className="sbc-head-text">
            <div className="sbc-title" data-testid="chat-title">{title}</div>
            <div className="sbc-sub" data-testid="chat-status">
              <span className={`sbc-dot ${chat.online ? (ended ? 'idle' : 'on') : 'off'}`} />
              {status}
            </div>
          </div>
          <div className="sbc-head-actions">
            {canLeave && (
              <button type="button" className="sbc-head-btn" data-testid="chat-end" onClick={() => setConfirmEnd((v) => !v)}>
                {t('chat.end')}
              </button>
            )}
            <button
              type="button"
              className="sbc-head-btn sbc-lang"
              data-testid="chat-lang"
              aria-label={t('lang.label')}
              title={t('lang.label')}
              onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}
            >
              <GlobeIcon />
              <span>{t('chat.langOther')}</span>
            </button>
          </div>
        </header>

        {confirmEnd && canLeave && (
          <div className="sbc-confirm" data-testid="chat-end-confirm">
            <span>{t('chat.endConfirm')}</span>
            <span className="sbc-confirm-actions">
              <button type="button" className="sbc-btn sbc-btn-ghost" onClick={() => setConfirmEnd(false)}>
                {t('chat.endCancel')}
              </button>
              <button
                type="button"
                className="sbc-btn sbc-btn-danger"
                data-testid="chat-end-ok"
                onClick={() => {
                  setConfirmEnd(false);
                  chat.leave();
                }}
              >
                {t('chat.end')}
              </button>
            </span>
          </div>
        )}

        <Banner chat={chat} t={t} />

        <Conversation chat={chat} t={t} lang={lang}>
          {showForm && <PrechatForm form={form} setForm={setForm} errors={formErrors} onSubmit={submitForm} t={t} />}
        </Conversation>

        {ended ? null : (
          <Composer
            t={t}
            disabled={false}
            onSend={sendFromComposer}
            onTyping={chat.typing}
            extras={<ComposerExtras disabled={false} conversation={state.conversation} upload={chat.upload} messages={state.messages} t={t} />}
          />
        )}
      </div>
    </div>
  );
}

function Banner({ chat, t }: { chat: ChatController; t: TFunc }) {
  if (chat.unreachable) {
    return (
      <div className="sbc-banner sbc-banner-warn" data-testid="chat-banner" role="status">
        <span>{t('chat.unreachable')}</span>
        <button type="button" className="sbc-link" onClick={chat.retryNow}>
          {t('chat.retryNow')}
        </button>
      </div>
    );
  }
  if (!chat.online && (chat.state.conversation || chat.state.pending.length > 0)) {
    return (
      <div className="sbc-banner sbc-banner-warn" data-testid="chat-banner" role="status">
        <span>{t('chat.offline')}</span>
      </div>
    );
  }
  if (chat.error) {
    const text = chat.error.code === 'rate_limited' ? t('chat.error.rate_limited') : t('chat.error.generic', { message: refusalText(chat.error, t) });
    return (
      <div className="sbc-banner sbc-banner-error" data-testid="chat-error" data-code={chat.error.code} role="alert">
        <span>{text}</span>
        <button type="button" className="sbc-link" onClick={chat.dismissError} aria-label={t('chat.dismiss')}>
          ×
        </button>
      </div>
    );
  }
  return null;
}

function Conversation({ chat, t, lang, children }: { chat: ChatController; t: TFunc; lang: string; children?: ReactNode }) {
  const { state } = chat;
  const items = useMemo(() => timeline(state), [state]);
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const ended = state.phase === 'ended';
  const waiting = (state.phase === 'starting' || state.phase === 'waiting') && !!(state.conversation || state.start);
  // The customer's last message the agent has read (one "read" mark, under that message).
  const readMark = useMemo(() => {
    let id: string | null = null;
    for (const m of state.messages) if (m.sender === 'customer' && m.seq <= state.agentReadSeq) id = m.id;
    return id;
  }, [state.messages, state.agentReadSeq]);

  const onScroll = () => {
    const el = scroller.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
  };
  useLayoutEffect(() => {
    const el = scroller.current;
    const last = items[items.length - 1];
    if (el && (stick.current || last?.type === 'pending')) el.scrollTop = el.scrollHeight;
  }, [items, chat.agentTyping, waiting, ended]);

  let lastDay = '';
  return (
    <div className="sbc-scroll" ref={scroller} onScroll={onScroll} data-testid="chat-messages">
      <div className="sbc-intro">
        <div className="sbc-avatar sbc-avatar-xl">
          <AgentIcon size={28} />
        </div>
        <div className="sbc-intro-title">{t('chat.greeting')}</div>
        <div className="sbc-intro-sub">{t('chat.greetingSub')}</div>
      </div>
      {children}
      {items.map((item) => {
        let day: ReactNode = null;
        if (item.type === 'message' && item.message.at) {
          const d = dayLabel(item.message.at, lang);
          if (d !== lastDay) {
            if (lastDay) day = <div className="sbc-day">{d}</div>;
            lastDay = d;
          }
        }
        if (item.type === 'notice') {
          return (
            <div key={item.key} className="sbc-notice" data-testid="chat-notice" data-kind={item.notice.kind}>
              <span>{t(`chat.notice.${item.notice.kind}`)}</span>
            </div>
          );
        }
        if (item.type === 'pending') {
          return (
            <div key={item.key} className="sbc-row sbc-customer sbc-pending" data-testid="chat-pending" data-client-id={item.pending.clientId}>
              <div className="sbc-col">
                <div className="sbc-bubble">{linkify(item.pending.text)}</div>
                <div className="sbc-meta">{t('chat.pending')}</div>
              </div>
            </div>
          );
        }
        return (
          <Fragment key={item.key}>
            {day}
            <MessageRow message={item.message} t={t} lang={lang} read={item.message.id === readMark} />
          </Fragment>
        );
      })}
      {waiting && (
        <div className="sbc-waiting" data-testid="chat-waiting" role="status">
          <span className="sbc-waiting-line">
            <span className="sbc-spinner" aria-hidden />
            {t('chat.waiting')}
          </span>
          {state.queue && (
            <span className="sbc-queue" data-testid="chat-queue" data-position={state.queue.position}>
              {queueText(state.queue, t)}
            </span>
          )}
        </div>
      )}
      {chat.agentTyping && !ended && (
        <div className="sbc-row sbc-agent" data-testid="chat-typing" aria-live="polite">
          <div className="sbc-avatar">
            <AgentIcon size={16} />
          </div>
          <div className="sbc-col">
            <div className="sbc-bubble sbc-typing" aria-label={t('chat.typing')} title={t('chat.typing')}>
              <i />
              <i />
              <i />
            </div>
          </div>
        </div>
      )}
      {ended && (
        <div className="sbc-ended" data-testid="chat-ended">
          <div className="sbc-ended-title">{t('chat.ended.title')}</div>
          <div className="sbc-ended-sub">{t('chat.ended.sub')}</div>
          <EndedExtras chat={chat} t={t} />
          <button
            type="button"
            className={`sbc-btn ${canRate(state) ? 'sbc-btn-ghost' : 'sbc-btn-primary'}`}
            data-testid="chat-restart"
            onClick={chat.startOver}
          >
            {t('chat.restart')}
          </button>
        </div>
      )}
    </div>
  );
}

function MessageRow({ message: m, t, lang, read }: { message: ShownMessage; t: TFunc; lang: string; read: boolean }) {
  const common = { 'data-testid': 'chat-message', 'data-seq': m.seq, 'data-id': m.id, 'data-sender': m.sender };
  if (m.recalled) {
    return (
      <div className="sbc-notice sbc-recalled" {...common} data-recalled="true">
        <span>{t('chat.recalled')}</span>
      </div>
    );
  }
  if (m.sender === 'system' || m.kind === 'notice') {
    const text = noticeText(m.body);
    if (!text) return null;
    return (
      <div className="sbc-notice" {...common}>
        <span>{text}</span>
      </div>
    );
  }
  const mine = m.sender === 'customer';
  const content = m.kind === 'text' ? linkify(typeof m.body === 'string' ? m.body : '') : <AttachmentBody message={m} t={t} />;
  return (
    <div className={`sbc-row ${mine ? 'sbc-customer' : 'sbc-agent'}`} {...common}>
      {!mine && (
        <div className="sbc-avatar" title={t('chat.agent')}>
          <AgentIcon size={16} />
        </div>
      )}
      <div className="sbc-col">
        <div className="sbc-bubble">{content}</div>
        <div className="sbc-meta">
          {timeLabel(m.at, lang)}
          {mine && read && <span className="sbc-read" data-testid="chat-read">{t('chat.read')}</span>}
        </div>
      </div>
    </div>
  );
}

function PrechatForm({
  form, setForm, errors, onSubmit, t,
}: {
  form: Record<PrechatField, string>;
  setForm: (f: Record<PrechatField, string>) => void;
  errors: Partial<Record<PrechatField, string>>;
  onSubmit: (e: FormEvent) => void;
  t: TFunc;
}) {
  const field = (name: PrechatField, type: string, autoComplete: string) => (
    <label className={`sbc-field${errors[name] ? ' sbc-field-error' : ''}`}>
      <span className="sbc-label">{t(`chat.prechat.${name}`)}</span>
      <input
        type={type}
        autoComplete={autoComplete}
        value={form[name]}
        maxLength={PRECHAT_LIMITS[name] + 20}
        data-testid={`prechat-${name}`}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
      />
      {errors[name] && <span className="sbc-error">{errors[name]}</span>}
    </label>
  );
  return (
    <form className="sbc-card sbc-prechat" data-testid="chat-prechat" onSubmit={onSubmit} noValidate>
      <div className="sbc-card-title">{t('chat.prechat.title')}</div>
      <div className="sbc-card-hint">{t('chat.prechat.hint')}</div>
      <div className="sbc-grid">
        {field('name', 'text', 'name')}
        {field('phone', 'tel', 'tel')}
      </div>
      {field('email', 'email', 'email')}
      <label className={`sbc-field${errors.question ? ' sbc-field-error' : ''}`}>
        <span className="sbc-label">{t('chat.prechat.question')}</span>
        <textarea
          rows={3}
          value={form.question}
          placeholder={t('chat.prechat.questionPlaceholder')}
          data-testid="prechat-question"
          onChange={(e) => setForm({ ...form, question: e.target.value })}
        />
        {errors.question && <span className="sbc-error">{errors.question}</span>}
      </label>
      <button type="submit" className="sbc-btn sbc-btn-primary sbc-btn-block" data-testid="prechat-submit">
        {t('chat.prechat.submit')}
      </button>
      <div className="sbc-card-foot">{t('chat.prechat.or')}</div>
    </form>
  );
}

function Composer({
  t, disabled, onSend, onTyping, extras,
}: { t: TFunc; disabled: boolean; onSend: (text: string) => boolean; onTyping: () => void; extras?: ReactNode }) {
  const [text, setText] = useState('');
  const [emoji, setEmoji] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const count = charCount(text.trim());
  const tooLong = count > MAX_MESSAGE_CHARS;

  useLayoutEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 140)}px`;
  }, [text]);

  const submit = () => {
    if (disabled || tooLong || !text.trim()) return;
    if (onSend(text)) {
      setText('');
      setEmoji(false);
    }
    input.current?.focus();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter sends, Shift+Enter is a new line; never while an input method is composing.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submit();
    }
  };
  const pick = useCallback((emojiChar: string) => {
    const el = input.current;
    setText((cur) => {
      const start = el?.selectionStart ?? cur.length;
      const end = el?.selectionEnd ?? cur.length;
      const next = cur.slice(0, start) + emojiChar + cur.slice(end);
      requestAnimationFrame(() => {
        if (!el) return;
        el.focus();
        el.setSelectionRange(start + emojiChar.length, start + emojiChar.length);
      });
      return next;
    });
  }, []);
  const closeEmoji = useCallback(() => setEmoji(false), []);

  return (
    <div className="sbc-composer">
      {(tooLong || count > MAX_MESSAGE_CHARS - 500) && (
        <div className={`sbc-count${tooLong ? ' over' : ''}`} data-testid="chat-count">
          {tooLong ? t('chat.input.tooLong', { n: MAX_MESSAGE_CHARS }) : `${count} / ${MAX_MESSAGE_CHARS}`}
        </div>
      )}
      {emoji && <EmojiPicker label={t('chat.input.emoji')} onPick={pick} onClose={closeEmoji} />}
      <div className="sbc-compose-row">
        <div className="sbc-tools">
          <button
            type="button"
            className={`sbc-icon-btn${emoji ? ' active' : ''}`}
            data-testid="chat-emoji"
            data-emoji-toggle
            aria-label={t('chat.input.emoji')}
            title={t('chat.input.emoji')}
            onClick={() => setEmoji((v) => !v)}
          >
            <SmileIcon />
          </button>
          {extras}
        </div>
        <textarea
          ref={input}
          className="sbc-input"
          rows={1}
          value={text}
          placeholder={t('chat.input.placeholder')}
          title={t('chat.input.hint')}
          aria-label={t('chat.input.placeholder')}
          data-testid="chat-input"
          enterKeyHint="send"
          onChange={(e) => {
            setText(e.target.value);
            if (e.target.value.trim()) onTyping();
          }}
          onKeyDown={onKeyDown}
        />
        <button
          type="button"
          className="sbc-send"
          data-testid="chat-send"
          aria-label={t('chat.input.send')}
          title={t('chat.input.send')}
          disabled={disabled || tooLong || !text.trim()}
          onClick={submit}
        >
          <SendIcon />
        </button>
      </div>
    </div>
  );
}

/** Plain text with http(s) links made clickable (opened in a new tab). */
function linkify(text: string): ReactNode {
  const parts = text.split(/(https?:\/\/[^\s<>"']+)/g);
  if (parts.length === 1) return text;
  return parts.map((p, i) =>
    i % 2 === 1 ? (
      <a key={i} href={p} target="_blank" rel="noopener noreferrer nofollow">
        {p}
      </a>
    ) : (
      p
    ),
  );
}

/** "You are number 3 in line, estimated wait about 4 min" (or without the wait when unknown). */
function queueText(q: QueueInfo, t: TFunc): string {
  const m = waitMinutes(q.estimatedWaitS);
  if (m === null) return t('chat.queue.position', { n: q.position });
  if (m === 0) return t('chat.queue.positionSoon', { n: q.position });
  return t('chat.queue.positionWait', { n: q.position, m });
}

function noticeText(body: unknown): string | null {
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object' && typeof (body as { text?: unknown }).text === 'string') return (body as { text: string }).text;
  return null;
}

function timeLabel(at: string, lang: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', hour12: false });
}

function dayLabel(at: string, lang: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleDateString(lang, { month: 'short', day: 'numeric', weekday: 'short' });
}
