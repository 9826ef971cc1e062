// ─── Reserved for what the chat protocol does not carry yet ──────────────────────────────
//
// Images / files and the satisfaction rating are not part of the customer protocol yet
// (docs/api-v1.md, "Web chat"). When they are, they plug in here and nowhere else:
//
//  - `ComposerExtras`: buttons next to the emoji button (e.g. "send an image / a file").
//    Renders nothing today: no button is shown for a feature that does not exist.
//  - `EndedExtras`: under "this chat has ended" (e.g. the satisfaction rating).
//    Renders nothing today.
//  - `AttachmentBody`: how a `file` / `document` message is shown: a document link card, an
//    image thumbnail or a file link (docs/api-v1.md, "Canned replies, documents, files").
import type { ReactElement } from 'react';
import type { TFunc } from '../i18n';
import type { ShownMessage } from './model';

export interface ComposerExtrasProps {
  disabled: boolean;
}

export function ComposerExtras(_props: ComposerExtrasProps): ReactElement | null {
  return null;
}

export interface EndedExtrasProps {
  conversation: string | null;
}

export function EndedExtras(_props: EndedExtrasProps): ReactElement | null {
  return null;
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
  const str = (k: string) => (typeof body[k] === 'string' && (body[k] as string).trim() ? (body[k] as string) : null);
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
