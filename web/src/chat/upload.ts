// Customer file uploads (docs/api-v1.md, "Files"): checked here first (size, type), then sent
// with `POST /api/v1/chat/{tenant}/{entry}/files` (multipart field `file`, the socket's
// credentials plus `conversation`), with a `client_id` so that a retry (the reply was lost) is
// stored once. XMLHttpRequest rather than fetch: it reports upload progress.
// The reply is the stored `file` message; the same message also comes over the socket, and the
// model keeps one copy per id.
import { MAX_FILE_BYTES, parseWireMessage, type WireMessage } from './protocol';

/** The extensions the server accepts (it tells files apart by content; for zip-based and text formats also by name). */
export const FILE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'gif', 'webp', 'pdf', 'txt', 'csv', 'docx', 'xlsx', 'zip'] as const;
/** Types recognised by content alone, whatever the name (a pasted "image" without an extension). */
const CONTENT_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf']);

/** For the file input's `accept`. */
export const FILE_ACCEPT = [...FILE_EXTENSIONS.map((e) => `.${e}`), ...CONTENT_TYPES].join(',');

export type FileProblem = 'empty' | 'too_large' | 'type';

/** Why this file cannot be sent, or null when it may be. */
export function checkFile(file: { name: string; size: number; type: string }): FileProblem | null {
  if (file.size > MAX_FILE_BYTES) return 'too_large';
  const dot = file.name.lastIndexOf('.');
  const ext = dot >= 0 ? file.name.slice(dot + 1).toLowerCase() : '';
  const known = (FILE_EXTENSIONS as readonly string[]).includes(ext) || CONTENT_TYPES.has(file.type.toLowerCase());
  if (!known) return 'type';
  if (file.size === 0) return 'empty';
  return null;
}

export type UploadOutcome =
  | { ok: true; message: WireMessage }
  | { ok: false; reason: 'aborted' }
  | { ok: false; reason: 'network' }
  | { ok: false; reason: 'http'; status: number; code: string; message?: string };

/** Whether trying the same upload again may work (the connection, or the server, failed). */
export function retryable(outcome: Exclude<UploadOutcome, { ok: true }>): boolean {
  return outcome.reason === 'network' || (outcome.reason === 'http' && (outcome.status >= 500 || outcome.status === 429 || outcome.code === 'bad_reply'));
}

/** What the page shows for a failed upload (a `chat.file.*` message). */
export type UploadProblem = FileProblem | 'closed' | 'gone' | 'identity' | 'network' | 'failed';

export function uploadProblem(outcome: Exclude<UploadOutcome, { ok: true }>): UploadProblem | null {
  if (outcome.reason === 'aborted') return null;
  if (outcome.reason === 'network') return 'network';
  switch (outcome.code) {
    case 'payload_too_large':
      return 'too_large';
    case 'unsupported_media_type':
      return 'type';
    case 'conversation_closed':
      return 'closed';
    case 'not_found':
      return 'gone';
    case 'invalid_identity':
      return 'identity';
    default:
      return outcome.status === 413 ? 'too_large' : outcome.status === 415 ? 'type' : 'failed';
  }
}

/** The part of XMLHttpRequest used here (replaced in tests). */
export interface XhrLike {
  open(method: string, url: string): void;
  send(body: FormData): void;
  abort(): void;
  setRequestHeader(name: string, value: string): void;
  readonly status: number;
  readonly responseText: string;
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } | null;
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

export interface UploadRequest {
  url: string;
  file: Blob;
  name: string;
  /** Sent as the multipart field `client_id`: the same one again returns the first message. */
  clientId?: string;
  /** 0…1 as the bytes go out. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  createXhr?: () => XhrLike;
}

/** Send one file; never rejects. */
export function uploadFile({ url, file, name, clientId, onProgress, signal, createXhr }: UploadRequest): Promise<UploadOutcome> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve({ ok: false, reason: 'aborted' });
      return;
    }
    const xhr = createXhr ? createXhr() : (new XMLHttpRequest() as unknown as XhrLike);
    const onAbort = () => xhr.abort();
    const done = (outcome: UploadOutcome) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    if (xhr.upload && onProgress) {
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && e.total > 0) onProgress(Math.min(1, e.loaded / e.total));
      };
    }
    xhr.onload = () => done(readReply(xhr.status, xhr.responseText));
    xhr.onerror = () => done({ ok: false, reason: 'network' });
    xhr.onabort = () => done({ ok: false, reason: 'aborted' });
    signal?.addEventListener('abort', onAbort);
    const form = new FormData();
    if (clientId) form.append('client_id', clientId);
    form.append('file', file, name);
    xhr.send(form);
  });
}

/** The server's reply: the stored message (201), or `{code, message}`. */
export function readReply(status: number, text: string): UploadOutcome {
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (status >= 200 && status < 300) {
    const message = parseWireMessage(body);
    if (message) return { ok: true, message };
    return { ok: false, reason: 'http', status, code: 'bad_reply' };
  }
  if (status === 0) return { ok: false, reason: 'network' };
  const err = body && typeof body === 'object' ? (body as { code?: unknown; message?: unknown }) : {};
  return {
    ok: false,
    reason: 'http',
    status,
    code: typeof err.code === 'string' ? err.code : `http_${status}`,
    message: typeof err.message === 'string' ? err.message : undefined,
  };
}

/** "1.2 MB", "340 KB", "12 B". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}
