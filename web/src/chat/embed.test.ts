// The chat page inside the widget: the host origin it may talk to, and the unread report.
import { describe, expect, it } from 'vitest';
import { hostOrigin, PREVIEW_CHARS, unreadSince } from './embed';
import type { ShownMessage } from './model';

const msg = (seq: number, sender: ShownMessage['sender'], body: unknown, extra: Partial<ShownMessage> = {}): ShownMessage => ({
  id: `m${seq}`, seq, sender, kind: 'text', body, clientId: null, at: '2026-01-01T10:00:00Z', recalled: false, ...extra,
});

describe('host origin', () => {
  it('takes an http(s) origin and nothing else', () => {
    expect(hostOrigin('?embed=1&host=https%3A%2F%2Fshop.example.com')).toBe('https://shop.example.com');
    expect(hostOrigin('?host=http%3A%2F%2Flocalhost%3A3000')).toBe('http://localhost:3000');
    for (const bad of ['', '?host=', '?host=null', '?host=*', '?host=https%3A%2F%2Fshop.example.com%2Fpath', '?host=javascript%3Aalert(1)', '?host=file%3A%2F%2F%2Ftmp']) {
      expect(hostOrigin(bad)).toBeNull();
    }
  });
});

describe('unread report', () => {
  const list = [msg(1, 'customer', 'hi'), msg(2, 'agent', 'Hello'), msg(3, 'system', 'joined', { kind: 'notice' }), msg(4, 'agent', '  Are   you\nthere? ')];
  it('counts the agent messages after the last seen one and previews the newest on one line', () => {
    expect(unreadSince(list, 1, '[附件]')).toEqual({ count: 2, preview: 'Are you there?' });
    expect(unreadSince(list, 4, '[附件]')).toEqual({ count: 0, preview: '' });
  });
  it('skips withdrawn messages, names attachments and shortens long text', () => {
    expect(unreadSince([...list, msg(5, 'agent', null, { recalled: true })], 3, 'x')).toEqual({ count: 1, preview: 'Are you there?' });
    expect(unreadSince([msg(6, 'agent', { file_id: 'f' }, { kind: 'file' })], 0, '[Attachment]').preview).toBe('[Attachment]');
    const long = unreadSince([msg(7, 'agent', '很'.repeat(100))], 0, '').preview;
    expect([...long]).toHaveLength(PREVIEW_CHARS);
    expect(long.endsWith('…')).toBe(true);
  });
});
