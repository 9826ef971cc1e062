// The place in line, customer files and the satisfaction rating: frames, model, upload helpers.
import { describe, expect, it } from 'vitest';
import { applyFrame, canRate, emptyState, fromPersisted, hadAgent, resetConversation, toPersisted, waitMinutes, type ChatState } from './model';
import { MAX_FILE_BYTES, parseFrame, parseWireMessage, type ServerFrame, type WireMessage } from './protocol';
import { chatFilesUrl } from './identity';
import { checkFile, FILE_ACCEPT, formatBytes, readReply, retryable, uploadFile, uploadProblem, type XhrLike } from './upload';

const run = (s: ChatState, ...frames: ServerFrame[]) => frames.reduce((acc, f) => applyFrame(acc, f, new Date('2026-01-01T10:00:00Z')), s);
const welcome = (conversation: string | null = null, state: string | null = null, rating?: number | null): ServerFrame => ({
  type: 'welcome', customer_id: 'c', title: 'Support', prechat_form: false, conversation, state, ...(rating === undefined ? {} : { rating }),
});
const waiting = () => run(emptyState, welcome(), { type: 'conversation', id: 'conv' });
const queue = (position: number | null, estimated_wait_s: number | null = null): ServerFrame => ({ type: 'queue', position, estimated_wait_s });

const fileMessage = (extra: Partial<WireMessage> = {}): WireMessage => ({
  id: 'f1', contact_id: 'conv', seq: 3, sender: 'customer', kind: 'file', client_id: null, at: '2026-01-01T10:00:03Z', recalled: false,
  body: { file_id: 'x', name: 'shot.png', content_type: 'image/png', size: 68, url: '/api/v1/files/demo/x?key=k' },
  ...extra,
});

describe('queue frames', () => {
  it('parses the place in line and the estimated wait, null when absent or nonsense', () => {
    expect(parseFrame('{"type":"queue","position":3,"estimated_wait_s":95}')).toEqual({ type: 'queue', position: 3, estimated_wait_s: 95 });
    expect(parseFrame('{"type":"queue","position":null}')).toEqual({ type: 'queue', position: null, estimated_wait_s: null });
    expect(parseFrame('{"type":"queue","position":2,"estimated_wait_s":null}')).toEqual({ type: 'queue', position: 2, estimated_wait_s: null });
    expect(parseFrame('{"type":"queue","position":0,"estimated_wait_s":-4}')).toEqual({ type: 'queue', position: null, estimated_wait_s: null });
    expect(parseFrame('{"type":"queue","position":"1","estimated_wait_s":"60"}')).toEqual({ type: 'queue', position: null, estimated_wait_s: null });
  });

  it('parses rated, and the resumed state in welcome', () => {
    expect(parseFrame('{"type":"rated","score":5}')).toEqual({ type: 'rated', score: 5 });
    expect(parseFrame('{"type":"rated"}')).toBeNull();
    expect(parseFrame('{"type":"welcome","customer_id":"c","title":null,"prechat_form":false,"conversation":"k","state":"wrap_up"}')).toMatchObject({
      conversation: 'k', state: 'wrap_up',
    });
    expect(parseFrame('{"type":"welcome","customer_id":"c","prechat_form":false,"conversation":null}')).toMatchObject({ state: null });
  });

  it('keeps the place while waiting; drops it when the agent joins, on transfer and at the end', () => {
    let s = run(waiting(), queue(3, 240));
    expect(s.queue).toEqual({ position: 3, estimatedWaitS: 240 });
    s = run(s, queue(1, null));
    expect(s.queue).toEqual({ position: 1, estimatedWaitS: null });
    s = run(s, { type: 'agent_joined', at: 't' });
    expect(s.queue).toBeNull();
    // A late answer to `position` after the agent joined changes nothing.
    expect(run(s, queue(1, 30))).toBe(s);
    s = run(s, { type: 'transferred' }, queue(2, 60));
    expect(s).toMatchObject({ phase: 'waiting', queue: { position: 2, estimatedWaitS: 60 } });
    s = run(s, { type: 'transferred' });
    expect(s.queue).toBeNull();
    s = run(s, queue(4, 60), { type: 'closed', outcome: 'abandoned' });
    expect(s.queue).toBeNull();
  });

  it('position null (an agent has it) clears it; nothing without a conversation', () => {
    expect(run(run(waiting(), queue(2)), queue(null)).queue).toBeNull();
    expect(run(emptyState, queue(2, 30)).queue).toBeNull();
  });

  it('the same answer again keeps the state as it is (no re-render, no save)', () => {
    const s = run(waiting(), queue(2, 60));
    expect(run(s, queue(2, 60))).toBe(s);
  });

  it('is not kept across reloads (asked again)', () => {
    const s = run(waiting(), queue(2, 60));
    expect(fromPersisted(JSON.parse(JSON.stringify(toPersisted(s)))).queue).toBeNull();
  });

  it('rounds the wait up to minutes; under a minute is 0; unknown is null', () => {
    expect(waitMinutes(null)).toBeNull();
    expect(waitMinutes(0)).toBe(0);
    expect(waitMinutes(59)).toBe(0);
    expect(waitMinutes(60)).toBe(1);
    expect(waitMinutes(61)).toBe(2);
    expect(waitMinutes(600)).toBe(10);
  });
});

describe('resuming: the server says what happened meanwhile', () => {
  it('an ended conversation shows as ended at once; a connected one as connected', () => {
    const gone = run(waiting(), welcome('conv', 'wrap_up'));
    expect(gone.phase).toBe('ended');
    expect(gone.notices.map((n) => n.kind)).toEqual(['closed']);
    expect(run(waiting(), welcome('conv', 'closed')).phase).toBe('ended');
    const answered = run(waiting(), queue(3), welcome('conv', 'connected'));
    expect(answered).toMatchObject({ phase: 'connected', queue: null });
    expect(hadAgent(answered)).toBe(true);
  });

  it('changes nothing when it agrees, or for a conversation it did not resume', () => {
    const s = run(waiting(), welcome('conv', 'queued'));
    expect(s.phase).toBe('waiting');
    const ended = run(waiting(), { type: 'agent_joined' }, { type: 'agent_left', released_by: 'agent' });
    expect(run(ended, welcome('conv', 'closed')).notices).toEqual(ended.notices);
    expect(run(waiting(), welcome(null, null)).conversation).toBeNull();
  });
});

describe('satisfaction rating', () => {
  const endedWithAgent = () => run(waiting(), { type: 'agent_joined', at: 't' }, { type: 'agent_left', released_by: 'agent', at: 't2' });

  it('is offered once the conversation with an agent has ended, until rated', () => {
    expect(canRate(run(waiting(), { type: 'agent_joined' }))).toBe(false);
    let s = endedWithAgent();
    expect(canRate(s)).toBe(true);
    s = run(s, { type: 'rated', score: 5 });
    expect(s.rating).toBe(5);
    expect(canRate(s)).toBe(false);
  });

  it('not for a conversation no agent took part in (left while waiting)', () => {
    expect(canRate(run(waiting(), { type: 'closed', outcome: 'abandoned' }))).toBe(false);
  });

  it('an agent message counts as an agent taking part (after a reload the notices may be gone)', () => {
    const s = run(waiting(), { type: 'message', ...fileMessage({ id: 'a1', sender: 'agent', kind: 'text', body: 'hi' }) }, { type: 'closed' });
    expect(canRate(s)).toBe(true);
  });

  it('survives a reload (not asked again), and is gone with a new conversation', () => {
    const s = run(endedWithAgent(), { type: 'rated', score: 4 });
    const back = fromPersisted(JSON.parse(JSON.stringify(toPersisted(s))));
    expect(back).toMatchObject({ rating: 4, phase: 'ended' });
    expect(canRate(back)).toBe(false);
    expect(resetConversation(back).rating).toBeNull();
    expect(run(back, { type: 'conversation', id: 'other' }).rating).toBeNull();
  });

  it('is not asked again when a page restored from before the rating hears it from the server', () => {
    // The page's copy of its state was saved before the customer rated (another tab rated).
    const older = fromPersisted(JSON.parse(JSON.stringify(toPersisted(endedWithAgent()))));
    expect(canRate(older)).toBe(true);
    const frame = parseFrame('{"type":"welcome","customer_id":"c","prechat_form":false,"conversation":"conv","state":"closed","rating":4}');
    const back = run(older, frame as ServerFrame);
    expect(back.rating).toBe(4);
    expect(canRate(back)).toBe(false);
    // Unrated on the server: asked; an older server that says nothing leaves the page's copy.
    expect(canRate(run(older, welcome('conv', 'closed', null)))).toBe(true);
    expect(run(run(endedWithAgent(), { type: 'rated', score: 2 }), welcome('conv', 'closed')).rating).toBe(2);
    expect(run(back, { type: 'conversation', id: 'conv' }).rating).toBe(4);
  });

  it('ignores a nonsense score, and a stored one that is not 1-5', () => {
    const s = endedWithAgent();
    expect(run(s, { type: 'rated', score: 9 })).toBe(s);
    expect(fromPersisted({ conversation: 'c', phase: 'ended', rating: 7 }).rating).toBeNull();
    expect(fromPersisted({ conversation: null, rating: 3 }).rating).toBeNull();
  });
});

describe('customer files', () => {
  it('checks size and type before sending', () => {
    expect(checkFile({ name: 'a.png', size: 10, type: 'image/png' })).toBeNull();
    expect(checkFile({ name: 'REPORT.PDF', size: 10, type: '' })).toBeNull();
    expect(checkFile({ name: 'sheet.xlsx', size: 10, type: '' })).toBeNull();
    expect(checkFile({ name: 'image', size: 10, type: 'image/webp' })).toBeNull(); // a pasted image: told apart by content
    expect(checkFile({ name: 'big.zip', size: MAX_FILE_BYTES, type: 'application/zip' })).toBeNull();
    expect(checkFile({ name: 'big.zip', size: MAX_FILE_BYTES + 1, type: 'application/zip' })).toBe('too_large');
    expect(checkFile({ name: 'setup.exe', size: 10, type: 'application/x-msdownload' })).toBe('type');
    expect(checkFile({ name: 'page.html', size: 10, type: 'text/html' })).toBe('type');
    expect(checkFile({ name: 'photo.heic', size: 10, type: 'image/heic' })).toBe('type');
    expect(checkFile({ name: 'empty.txt', size: 0, type: 'text/plain' })).toBe('empty');
    expect(FILE_ACCEPT).toContain('.docx');
    expect(FILE_ACCEPT).toContain('image/png');
  });

  it('uploads with the socket credentials and the conversation', () => {
    expect(chatFilesUrl('demo', 'web', { visitor: 'abcdefghijklmnop' }, 'c-1')).toBe('/api/v1/chat/demo/web/files?visitor=abcdefghijklmnop&conversation=c-1');
    expect(chatFilesUrl('de/mo', 'web', { identity: 'a b', ts: '17', sig: 'ff' }, 'c-1')).toBe(
      '/api/v1/chat/de%2Fmo/web/files?identity=a+b&ts=17&sig=ff&conversation=c-1',
    );
  });

  it('reads the stored message (201) or the error ({code, message})', () => {
    const ok = readReply(201, JSON.stringify(fileMessage()));
    expect(ok).toEqual({ ok: true, message: fileMessage() });
    expect(readReply(415, '{"code":"unsupported_media_type","message":"images only"}')).toEqual({
      ok: false, reason: 'http', status: 415, code: 'unsupported_media_type', message: 'images only',
    });
    expect(readReply(502, '<html>bad gateway</html>')).toMatchObject({ ok: false, status: 502, code: 'http_502' });
    expect(readReply(201, '{"nope":1}')).toMatchObject({ ok: false, code: 'bad_reply' });
    expect(readReply(0, '')).toEqual({ ok: false, reason: 'network' });
  });

  it('names what went wrong for the page', () => {
    const http = (status: number, code: string) => ({ ok: false as const, reason: 'http' as const, status, code });
    expect(uploadProblem(http(413, 'payload_too_large'))).toBe('too_large');
    expect(uploadProblem(http(415, 'unsupported_media_type'))).toBe('type');
    expect(uploadProblem(http(409, 'conversation_closed'))).toBe('closed');
    expect(uploadProblem(http(404, 'not_found'))).toBe('gone');
    expect(uploadProblem(http(401, 'invalid_identity'))).toBe('identity');
    expect(uploadProblem(http(413, 'http_413'))).toBe('too_large');
    expect(uploadProblem(http(500, 'internal'))).toBe('failed');
    expect(uploadProblem({ ok: false, reason: 'network' })).toBe('network');
    expect(uploadProblem({ ok: false, reason: 'aborted' })).toBeNull();
  });

  it('offers to try again only when the connection or the server failed', () => {
    const http = (status: number, code: string) => ({ ok: false as const, reason: 'http' as const, status, code });
    expect(retryable({ ok: false, reason: 'network' })).toBe(true);
    expect(retryable(http(502, 'http_502'))).toBe(true);
    expect(retryable(http(500, 'internal'))).toBe(true);
    expect(retryable(http(415, 'unsupported_media_type'))).toBe(false);
    expect(retryable(http(409, 'conversation_closed'))).toBe(false);
    expect(retryable({ ok: false, reason: 'aborted' })).toBe(false);
  });

  it('sends multipart field "file", reports progress, and can be cancelled', async () => {
    const made: FakeXhr[] = [];
    const createXhr = () => {
      const x = new FakeXhr();
      made.push(x);
      return x;
    };
    const progress: number[] = [];
    const file = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' });
    const pending = uploadFile({ url: '/up', file, name: 'shot.png', clientId: 'c-up-1', onProgress: (p) => progress.push(p), createXhr });
    const x = made[0];
    expect(x.method).toBe('POST');
    expect(x.url).toBe('/up');
    expect([...x.body!.keys()]).toEqual(['client_id', 'file']);
    expect(x.body!.get('client_id')).toBe('c-up-1');
    const sent = x.body!.get('file') as File;
    expect(sent.name).toBe('shot.png');
    expect(sent.size).toBe(4);
    x.upload.onprogress?.({ lengthComputable: true, loaded: 2, total: 4 });
    x.upload.onprogress?.({ lengthComputable: true, loaded: 4, total: 4 });
    x.respond(201, JSON.stringify(fileMessage()));
    expect(await pending).toEqual({ ok: true, message: fileMessage() });
    expect(progress).toEqual([0.5, 1]);

    const ctl = new AbortController();
    const cancelled = uploadFile({ url: '/up', file, name: 'shot.png', signal: ctl.signal, createXhr });
    ctl.abort();
    expect(await cancelled).toEqual({ ok: false, reason: 'aborted' });
    expect(made[1].aborted).toBe(true);

    const failing = uploadFile({ url: '/up', file, name: 'shot.png', createXhr });
    made[2].onerror?.();
    expect(await failing).toEqual({ ok: false, reason: 'network' });
  });

  it('the uploaded message shows once, whether the reply or the socket brings it first', () => {
    const reply = parseWireMessage(JSON.parse(JSON.stringify(fileMessage())))!;
    const echo = parseFrame(JSON.stringify({ type: 'message', ...fileMessage() }))!;
    const replyFirst = run(waiting(), { type: 'message', ...reply }, echo);
    const echoFirst = run(waiting(), echo, { type: 'message', ...reply });
    for (const s of [replyFirst, echoFirst]) {
      expect(s.messages).toHaveLength(1);
      expect(s.messages[0]).toMatchObject({ id: 'f1', kind: 'file', sender: 'customer', seq: 3 });
      expect(s.pending).toEqual([]);
    }
  });

  it('formats sizes', () => {
    expect(formatBytes(12)).toBe('12 B');
    expect(formatBytes(2048)).toBe('2 KB');
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MB');
  });
});

class FakeXhr implements XhrLike {
  method = '';
  url = '';
  body: FormData | null = null;
  aborted = false;
  status = 0;
  responseText = '';
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader() {}
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  respond(status: number, text: string) {
    this.status = status;
    this.responseText = text;
    this.onload?.();
  }
}
