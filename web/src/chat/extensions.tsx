// What the chat page adds around its core (messages, composer): plugged in here and nowhere else.
//
//  - `ComposerExtras`: next to the emoji button, "send a picture or a file" (upload.ts):
//    checked here (size, type), sent over HTTP into the open conversation with its progress;
//    the stored message joins the list (once, whether the reply or the socket brings it first).
//  - `EndedExtras`: under "this chat has ended", the satisfaction rating (1-5 stars and an
//    optional comment) sent over the ended conversation's socket; "thank you" once stored.
//  - `AttachmentBody`: how a `file` / `document` message is shown: a document link card, an
//    image thumbnail or a file link (docs/api-v1.md, "Canned replies, documents, files").
import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { TFunc } from '../i18n';
import { refusalText } from '../api/errors';
import { PaperclipIcon, StarIcon } from './icons';
import { canRate, charCount, type ShownMessage } from './model';
import { MAX_FILE_BYTES, MAX_RATING_COMMENT, RATING_MAX } from './protocol';
import { newClientId } from './identity';
import { checkFile, FILE_ACCEPT, formatBytes, retryable, uploadProblem, type UploadProblem } from './upload';
import type { ChatController } from './useChat';

export interface ComposerExtrasProps {
  /** The whole composer is disabled. */
  disabled: boolean;
  /** Files go into this conversation; none yet: the button is disabled. */
  conversation: string | null;
  upload: ChatController['upload'];
  /** The conversation's messages: a failed upload that arrived all the same (only its reply was lost) needs no retry. */
  messages: readonly ShownMessage[];
  t: TFunc;
}

interface Uploading {
  name: string;
  size: number;
  /** 0…1 */
  progress: number;
}

const MAX_MB = Math.round(MAX_FILE_BYTES / (1024 * 1024));

function problemText(t: TFunc, kind: UploadProblem, detail?: string): string {
  switch (kind) {
    case 'too_large':
      return t('chat.file.tooLarge', { n: MAX_MB });
    case 'type':
      return t('chat.file.badType');
    case 'empty':
      return t('chat.file.empty');
    case 'closed':
      return t('chat.file.closed');
    case 'gone':
      return t('chat.file.gone');
    case 'identity':
      return t('chat.file.identity');
    case 'network':
      return t('chat.file.network');
    default:
      return t('chat.file.failed', { message: detail ?? '' });
  }
}

/** The paperclip: pick a file, check it, upload it with its progress; errors above the composer. */
export function ComposerExtras({ disabled, conversation, upload, messages, t }: ComposerExtrasProps): ReactElement {
  const input = useRef<HTMLInputElement>(null);
  const abort = useRef<AbortController | null>(null);
  const [busy, setBusy] = useState<Uploading | null>(null);
  /** What went wrong; `retry` when the same file may go again (with the same client_id). */
  const [problem, setProblem] = useState<{ kind: UploadProblem; detail?: string; retry?: { file: File; clientId: string } } | null>(null);
  const canPick = !disabled && !!conversation && !busy;

  // A new conversation: the last one's error no longer applies.
  useEffect(() => setProblem(null), [conversation]);
  // The server stored it after all (its reply was lost, the socket brought the message).
  const retryId = problem?.retry?.clientId;
  useEffect(() => {
    if (retryId && messages.some((m) => m.clientId === retryId)) setProblem(null);
  }, [retryId, messages]);

  const send = async (file: File, clientId: string = newClientId()) => {
    setProblem(null);
    const local = checkFile(file);
    if (local) {
      setProblem({ kind: local });
      return;
    }
    const ctl = new AbortController();
    abort.current = ctl;
    setBusy({ name: file.name, size: file.size, progress: 0 });
    const outcome = await upload(file, {
      clientId,
      signal: ctl.signal,
      onProgress: (progress) => setBusy((b) => (b ? { ...b, progress } : b)),
    });
    abort.current = null;
    setBusy(null);
    if (!outcome.ok) {
      const kind = uploadProblem(outcome);
      if (kind) {
        setProblem({
          kind,
          detail: outcome.reason === 'http' ? refusalText({ code: outcome.code, message: outcome.message }, t) : undefined,
          retry: retryable(outcome) ? { file, clientId } : undefined,
        });
      }
    }
  };

  const label = conversation ? t('chat.file.attach') : t('chat.file.needConversation');
  const percent = busy ? Math.round(busy.progress * 100) : 0;
  return (
    <>
      <button
        type="button"
        className="sbc-icon-btn"
        data-testid="chat-attach"
        aria-label={label}
        title={label}
        disabled={!canPick}
        onClick={() => input.current?.click()}
      >
        <PaperclipIcon />
      </button>
      <input
        ref={input}
        type="file"
        hidden
        accept={FILE_ACCEPT}
        disabled={!canPick}
        data-testid="chat-file-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void send(file);
        }}
      />
      {busy && (
        <div className="sbc-upload" data-testid="chat-upload" role="status" aria-live="polite">
          <PaperclipIcon />
          <span className="sbc-upload-main">
            <span className="sbc-upload-name">
              {busy.name} <span className="sbc-upload-size">{formatBytes(busy.size)}</span>
            </span>
            <span className="sbc-progress" aria-hidden>
              <span style={{ width: `${percent}%` }} />
            </span>
          </span>
          <span className="sbc-upload-pct">{t('chat.file.uploading', { p: percent })}</span>
          <button type="button" className="sbc-link" data-testid="chat-upload-cancel" onClick={() => abort.current?.abort()}>
            {t('chat.file.cancel')}
          </button>
        </div>
      )}
      {!busy && problem && (
        <div className="sbc-upload sbc-upload-error" data-testid="chat-upload-error" data-problem={problem.kind} role="alert">
          <span className="sbc-upload-main">{problemText(t, problem.kind, problem.detail)}</span>
          {problem.retry && canPick && (
            <button
              type="button"
              className="sbc-link"
              data-testid="chat-upload-retry"
              onClick={() => problem.retry && void send(problem.retry.file, problem.retry.clientId)}
            >
              {t('chat.retryNow')}
            </button>
          )}
          <button type="button" className="sbc-link" onClick={() => setProblem(null)} aria-label={t('chat.dismiss')}>
            ×
          </button>
        </div>
      )}
    </>
  );
}

export interface EndedExtrasProps {
  chat: Pick<ChatController, 'state' | 'online' | 'rate' | 'rating'>;
  t: TFunc;
}

const SCORES = Array.from({ length: RATING_MAX }, (_, i) => i + 1);

/** The satisfaction rating of the ended conversation, or "thank you" once the server stored it. */
export function EndedExtras({ chat, t }: EndedExtrasProps): ReactElement | null {
  const { state, online, rating } = chat;
  const [score, setScore] = useState(0);
  const [hover, setHover] = useState(0);
  const [comment, setComment] = useState('');

  if (state.rating !== null) {
    return (
      <div className="sbc-rate sbc-rated" data-testid="chat-rated" data-score={state.rating} role="status">
        <span className="sbc-stars sbc-stars-static" aria-label={t('chat.rate.star', { n: state.rating })}>
          {SCORES.map((n) => (
            <StarIcon key={n} filled={n <= (state.rating ?? 0)} size={20} />
          ))}
        </span>
        <span className="sbc-rate-thanks">{t('chat.rate.thanks')}</span>
      </div>
    );
  }
  if (!canRate(state)) return null;

  const length = charCount(comment.trim());
  const tooLong = length > MAX_RATING_COMMENT;
  const shown = hover || score;
  const submit = () => {
    if (!score || tooLong || rating.sending) return;
    chat.rate(score, comment);
  };
  const failure = rating.error
    ? rating.error.code === 'no_conversation'
      ? t('chat.rate.gone')
      : t('chat.rate.failed', { message: refusalText(rating.error, t) })
    : null;
  return (
    <div className="sbc-rate" data-testid="chat-rate">
      <div className="sbc-rate-title">{t('chat.rate.title')}</div>
      <div className="sbc-stars" role="radiogroup" aria-label={t('chat.rate.title')} onMouseLeave={() => setHover(0)}>
        {SCORES.map((n) => (
          <label
            key={n}
            className={`sbc-star${n <= shown ? ' on' : ''}`}
            data-testid="chat-rate-star"
            data-score={n}
            title={t(`chat.rate.score${n}` as 'chat.rate.score1')}
            onMouseEnter={() => setHover(n)}
          >
            <input
              type="radio"
              name="sbc-rate"
              value={n}
              checked={score === n}
              disabled={rating.sending}
              aria-label={t('chat.rate.star', { n })}
              onChange={() => setScore(n)}
            />
            <StarIcon filled={n <= shown} />
          </label>
        ))}
      </div>
      <div className="sbc-rate-label" aria-live="polite">
        {shown ? t(`chat.rate.score${shown}` as 'chat.rate.score1') : '\u00a0'}
      </div>
      {score > 0 && (
        <label className={`sbc-field sbc-rate-comment${tooLong ? ' sbc-field-error' : ''}`}>
          <textarea
            rows={2}
            value={comment}
            placeholder={t('chat.rate.comment')}
            aria-label={t('chat.rate.comment')}
            data-testid="chat-rate-comment"
            disabled={rating.sending}
            onChange={(e) => setComment(e.target.value)}
          />
          {(tooLong || length > MAX_RATING_COMMENT - 100) && (
            <span className={tooLong ? 'sbc-error' : 'sbc-count'}>
              {tooLong ? t('chat.prechat.tooLong', { n: MAX_RATING_COMMENT }) : `${length} / ${MAX_RATING_COMMENT}`}
            </span>
          )}
        </label>
      )}
      {failure && (
        <div className="sbc-error" data-testid="chat-rate-error" role="alert">
          {failure}
        </div>
      )}
      <button
        type="button"
        className="sbc-btn sbc-btn-primary"
        data-testid="chat-rate-submit"
        disabled={!score || tooLong || rating.sending || !online}
        onClick={submit}
      >
        {rating.sending ? t('chat.rate.sending') : t('chat.rate.submit')}
      </button>
    </div>
  );
}

/** Only http(s) links and same-origin paths are followed. */
function safeHref(url: unknown): string | null {
  if (typeof url !== 'string' || !url) return null;
  try {
    const u = new URL(url, 'http://placeholder.invalid');
    return u.protocol === 'http:' || u.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/**
 * A `document` message (a link card from the agent's document library: `{title, url,
 * description}`) or a `file` (`{name, content_type, size, url}`; images as thumbnails).
 * Anything else shows a neutral label.
 */
export function AttachmentBody({ message, t }: { message: ShownMessage; t: TFunc }) {
  const body = (message.body && typeof message.body === 'object' ? message.body : {}) as Record<string, unknown>;
  const str = (k: string) => (typeof body[k] === 'string' && body[k].trim() ? body[k] : null);
  const href = safeHref(body.url);
  if (message.kind === 'document' && (str('title') || href)) {
    return (
      <span className="sbc-doc" data-testid="chat-document">
        {href ? (
          <a className="sbc-doc-title" href={href} target="_blank" rel="noopener noreferrer nofollow">
            {str('title') ?? href}
          </a>
        ) : (
          <span className="sbc-doc-title">{str('title')}</span>
        )}
        {str('description') && <span className="sbc-doc-desc">{str('description')}</span>}
      </span>
    );
  }
  const name = str('name');
  if (message.kind === 'file' && href) {
    const type = (str('content_type') ?? '').toLowerCase();
    if (IMAGE_TYPES.has(type)) {
      return (
        <a className="sbc-image" href={href} target="_blank" rel="noopener noreferrer" data-testid="chat-image">
          <img src={href} alt={name ?? ''} loading="lazy" />
        </a>
      );
    }
    return (
      <a className="sbc-file" href={href} download={name ?? undefined} rel="noopener noreferrer" data-testid="chat-file">
        {t('chat.attachment')} {name ?? ''}
      </a>
    );
  }
  return (
    <span className="sbc-attachment">
      {t('chat.attachment')}
      {name ? ` ${name}` : ''}
    </span>
  );
}
