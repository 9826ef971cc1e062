// How the agent sees a conversation: customer on the left, agents on the right, system notices
// centred, internal notes (transfer notes) highlighted, withdrawn messages muted with their text,
// document link cards and files (images as thumbnails). Also used read-only for history contacts.
import { Fragment, memo, type ReactNode } from 'react';
import { Button, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined, ExclamationCircleOutlined, FileOutlined, LinkOutlined, LoadingOutlined, LockOutlined, UndoOutlined } from '@ant-design/icons';
import type { TFunc } from '../../i18n';
import {
  canRecall, documentBody, fileBody, formatBytes, noticeInfo, recallSecondsLeft, type AgentMessage, type PendingOut,
} from './model';

export interface MessageListProps {
  messages: readonly AgentMessage[];
  pending?: readonly PendingOut[];
  t: TFunc;
  lang: string;
  /** Whether an agent message is mine (right side, may be recalled). */
  isMine: (m: AgentMessage) => boolean;
  /** Queue names for transfer notes. */
  queueName?: (id: string) => string;
  /** The customer has read up to this seq. */
  customerReadSeq?: number;
  /** Interactive parts (absent in the read-only view). */
  recall?: {
    limitS: number;
    serverNow: number;
    onRecall: (m: AgentMessage) => void;
    busyId: string | null;
  };
  onRetry?: (p: PendingOut) => void;
  onDiscard?: (p: PendingOut) => void;
  customerName?: string;
}

export function MessageList({ messages, pending = [], t, lang, isMine, queueName, customerReadSeq = 0, recall, onRetry, onDiscard, customerName }: MessageListProps) {
  // The read mark goes under my newest message the customer has read.
  let readId: string | null = null;
  for (const m of messages) if (m.sender === 'agent' && !m.recalled && m.seq <= customerReadSeq) readId = m.id;
  let lastDay = '';
  return (
    <>
      {messages.map((m) => {
        const mine = isMine(m);
        let day: ReactNode = null;
        const d = dayLabel(m.at, lang);
        if (d && d !== lastDay) {
          day = <div className="cw-day">{d}</div>;
          lastDay = d;
        }
        return (
          <Fragment key={m.id}>
            {day}
            <MessageRow
              m={m}
              t={t}
              lang={lang}
              mine={mine}
              queueName={queueName}
              read={m.id === readId}
              recallLeft={recall && canRecall(m, mine, recall.limitS, recall.serverNow) ? recallSecondsLeft(m, recall.limitS, recall.serverNow) : 0}
              recallBusy={recall?.busyId === m.id}
              onRecall={recall?.onRecall}
              customerName={customerName}
            />
          </Fragment>
        );
      })}
      {pending.map((p) => (
        <PendingRow key={p.clientId} p={p} t={t} onRetry={onRetry} onDiscard={onDiscard} />
      ))}
    </>
  );
}

/** One message; memoised, so the clock ticking for the recall countdown re-renders only the rows it changes. */
const MessageRow = memo(function MessageRow({
  m, t, lang, mine, queueName, read, recallLeft, recallBusy, onRecall, customerName,
}: {
  m: AgentMessage;
  t: TFunc;
  lang: string;
  mine: boolean;
  queueName?: (id: string) => string;
  read: boolean;
  /** Seconds left to withdraw it (0: no recall action). */
  recallLeft: number;
  recallBusy: boolean;
  onRecall?: (m: AgentMessage) => void;
  customerName?: string;
}) {
  const common = {
    'data-testid': 'wb-chat-message',
    'data-id': m.id,
    'data-seq': m.seq,
    'data-sender': m.sender,
    'data-kind': m.kind,
    'data-recalled': m.recalled ? 'true' : undefined,
  };
  if (m.kind === 'notice' || m.sender === 'system') {
    const n = noticeInfo(m.body);
    if (n.internal) {
      const target = n.toQueueId ? queueName?.(n.toQueueId) ?? null : null;
      return (
        <div className="cw-internal" {...common} data-internal="true">
          <div className="cw-internal-head">
            <LockOutlined /> <strong>{t('wb.chat.internal')}</strong>
            <span className="cw-internal-event">
              {n.event === 'transferred' ? (target ? t('wb.chat.transferNotice', { target }) : t('wb.chat.transferNoticePlain')) : n.event ?? ''}
            </span>
            <span className="cw-time">{timeLabel(m.at, lang)}</span>
          </div>
          {n.note && (
            <div className="cw-internal-note" data-testid="wb-chat-internal-note">
              {n.note}
            </div>
          )}
          <div className="cw-internal-hint">{t('wb.chat.internalHint')}</div>
        </div>
      );
    }
    const text = n.text ?? n.note ?? n.event;
    if (!text) return null;
    return (
      <div className="cw-notice" {...common}>
        <span>{text}</span>
      </div>
    );
  }

  const right = m.sender === 'agent';
  return (
    <div className={`cw-row ${right ? 'cw-right' : 'cw-left'}${m.recalled ? ' cw-recalled' : ''}`} {...common}>
      {!right && <div className="cw-avatar cw-avatar-customer">{initial(customerName)}</div>}
      <div className="cw-col">
        {right && !mine && <div className="cw-who">{t('wb.chat.otherAgent')}</div>}
        <div className={`cw-bubble cw-kind-${m.kind}`}>
          <Body m={m} t={t} />
        </div>
        <div className="cw-meta">
          {m.recalled && (
            <Tooltip title={t('wb.chat.recalledHint')}>
              <Tag color="default" className="cw-recalled-tag" data-testid="wb-chat-recalled-badge">
                {t('wb.chat.recalled')}
              </Tag>
            </Tooltip>
          )}
          <span className="cw-time">{timeLabel(m.at, lang)}</span>
          {read && <span className="cw-read" data-testid="wb-chat-read">{t('wb.chat.read')}</span>}
          {recallLeft > 0 && onRecall && (
            <Tooltip title={t('wb.chat.recallLeft', { s: recallLeft })}>
              <Button
                type="link"
                size="small"
                className="cw-recall"
                icon={<UndoOutlined />}
                loading={recallBusy}
                onClick={() => onRecall(m)}
                data-testid="wb-chat-recall"
              >
                {t('wb.chat.recall')}
              </Button>
            </Tooltip>
          )}
        </div>
      </div>
    </div>
  );
});

function Body({ m, t }: { m: AgentMessage; t: TFunc }) {
  if (m.kind === 'text') return <>{linkify(typeof m.body === 'string' ? m.body : '')}</>;
  if (m.kind === 'document') return <DocumentCardView body={m.body} t={t} />;
  if (m.kind === 'file') return <FileCardView body={m.body} t={t} />;
  return null;
}

export function DocumentCardView({ body, t }: { body: unknown; t: TFunc }) {
  const d = documentBody(body);
  if (!d) return <span className="cw-muted">{t('wb.chat.preview.document')}</span>;
  return (
    <div className="cw-doc" data-testid="wb-chat-document">
      <div className="cw-doc-icon">
        <LinkOutlined />
      </div>
      <div className="cw-doc-text">
        {d.url ? (
          <a href={d.url} target="_blank" rel="noopener noreferrer nofollow" className="cw-doc-title">
            {d.title}
          </a>
        ) : (
          <span className="cw-doc-title">{d.title}</span>
        )}
        {d.description && <div className="cw-doc-desc">{d.description}</div>}
        {d.url && <div className="cw-doc-url">{hostOf(d.url)}</div>}
      </div>
    </div>
  );
}

export function FileCardView({ body, t }: { body: unknown; t: TFunc }) {
  const f = fileBody(body);
  if (!f) return <span className="cw-muted">{t('wb.chat.preview.file')}</span>;
  if (f.image && f.url) {
    return (
      <a href={f.url} target="_blank" rel="noopener noreferrer" className="cw-image" title={t('wb.chat.openImage')} data-testid="wb-chat-image">
        <img src={f.url} alt={f.name} loading="lazy" />
      </a>
    );
  }
  return (
    <div className="cw-file" data-testid="wb-chat-file">
      <FileOutlined className="cw-file-icon" />
      <div className="cw-file-text">
        <div className="cw-file-name">{f.name}</div>
        <div className="cw-file-size">{formatBytes(f.size)}</div>
      </div>
      {f.url && (
        <a href={f.url} download={f.name} rel="noopener noreferrer" title={t('wb.chat.download')} className="cw-file-dl">
          <DownloadOutlined />
        </a>
      )}
    </div>
  );
}

function PendingRow({ p, t, onRetry, onDiscard }: { p: PendingOut; t: TFunc; onRetry?: (p: PendingOut) => void; onDiscard?: (p: PendingOut) => void }) {
  const failed = p.status === 'failed';
  let content: ReactNode;
  if (p.text !== undefined) content = linkify(p.text);
  else if (p.document) content = <span><LinkOutlined /> {p.document.title}</span>;
  else if (p.file) content = <span><FileOutlined /> {p.file.name} <span className="cw-file-size">{formatBytes(p.file.size)}</span></span>;
  return (
    <div className={`cw-row cw-right cw-pending${failed ? ' cw-failed' : ''}`} data-testid="wb-chat-pending" data-client-id={p.clientId} data-status={p.status}>
      <div className="cw-col">
        <div className="cw-bubble">{content}</div>
        <div className="cw-meta">
          {failed ? (
            <>
              <Typography.Text type="danger" className="cw-fail-text">
                <ExclamationCircleOutlined /> {t('wb.chat.failed', { error: p.error ?? '' })}
              </Typography.Text>
              {onRetry && (
                <Button type="link" size="small" onClick={() => onRetry(p)} data-testid="wb-chat-resend">
                  {t('wb.chat.resend')}
                </Button>
              )}
              {onDiscard && (
                <Button type="link" size="small" danger onClick={() => onDiscard(p)}>
                  {t('wb.chat.discard')}
                </Button>
              )}
            </>
          ) : (
            <span className="cw-time">
              <LoadingOutlined /> {p.file ? t('wb.chat.uploading') : t('wb.chat.sending')}
            </span>
          )}
        </div>
      </div>
    </div>
  );
}

function initial(name?: string): string {
  const n = (name ?? '').trim();
  return n ? Array.from(n)[0].toUpperCase() : '?';
}

function hostOf(url: string): string {
  try {
    return new URL(url, window.location.href).host;
  } catch {
    return url;
  }
}

/** Plain text with http(s) links made clickable (opened in a new tab). */
export function linkify(text: string): ReactNode {
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

export function timeLabel(at: string, lang: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', hour12: false });
}

export function dayLabel(at: string, lang: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleDateString(lang, { month: 'short', day: 'numeric', weekday: 'short' });
}

export function dateTimeLabel(at: string | null | undefined, lang: string): string {
  if (!at) return '';
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(lang, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
}
