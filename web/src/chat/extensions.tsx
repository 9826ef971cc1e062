// ─── Reserved for what the chat protocol does not carry yet ──────────────────────────────
//
// Images / files and the satisfaction rating are not part of the customer protocol yet
// (docs/api-v1.md, "Web chat"). When they are, they plug in here and nowhere else:
//
//  - `ComposerExtras`: buttons next to the emoji button (e.g. "send an image / a file").
//    Renders nothing today: no button is shown for a feature that does not exist.
//  - `EndedExtras`: under "this chat has ended" (e.g. the satisfaction rating).
//    Renders nothing today.
//  - `AttachmentBody`: how a `file` / `document` message is shown. The protocol already has
//    these kinds (the body is "its JSON description", not specified further), so a neutral
//    label with the file name, if any, is shown rather than nothing.
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

export function AttachmentBody({ message, t }: { message: ShownMessage; t: TFunc }) {
  const body = message.body as { name?: unknown } | null;
  const name = body && typeof body === 'object' && typeof body.name === 'string' ? body.name : null;
  return (
    <span className="sbc-attachment">
      {t('chat.attachment')}
      {name ? ` ${name}` : ''}
    </span>
  );
}
