import { describe, expect, it } from 'vitest';
import { chatSocketUrl, identityFromQuery, loadState, newClientId, newVisitorId, saveState, stateKey, visitorId, VISITOR_RE, type KeyValueStore } from './identity';
import { matchChatPath } from './route';
import { emptyState } from './model';

const memory = (): KeyValueStore & { map: Map<string, string> } => {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
};

describe('visitor id', () => {
  it('is 24 base64url characters, accepted by the server rule', () => {
    for (let i = 0; i < 50; i++) {
      const id = newVisitorId();
      expect(id).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(VISITOR_RE.test(id)).toBe(true);
    }
    expect(newVisitorId((n) => new Uint8Array(n).fill(255))).toBe('_'.repeat(24));
  });

  it('is generated once per tenant and entry point and kept', () => {
    const store = memory();
    const a = visitorId(store, 'demo', 'web');
    expect(visitorId(store, 'demo', 'web')).toBe(a);
    expect(visitorId(store, 'DEMO', 'Web')).toBe(a);
    expect(visitorId(store, 'demo', 'other')).not.toBe(a);
  });

  it('replaces a stored id the server would refuse', () => {
    const store = memory();
    store.setItem('sb.chat.visitor.demo.web', 'short');
    const id = visitorId(store, 'demo', 'web');
    expect(VISITOR_RE.test(id)).toBe(true);
    expect(store.getItem('sb.chat.visitor.demo.web')).toBe(id);
  });

  it('client ids fit the 1-64 character rule', () => {
    expect(newClientId().length).toBeLessThanOrEqual(64);
    expect(newClientId()).not.toBe(newClientId());
  });
});

describe('identity and URLs', () => {
  it('takes a verified identity from the page URL only when identity, ts and sig are all there', () => {
    expect(identityFromQuery('?identity=u42&ts=1700000000&sig=ab12')).toEqual({ identity: 'u42', ts: '1700000000', sig: 'ab12' });
    expect(identityFromQuery('?identity=u42&ts=1')).toBeNull();
    expect(identityFromQuery('')).toBeNull();
  });

  it('builds the socket URL for a visitor, an identity, and a resume', () => {
    const loc = { protocol: 'https:', host: 'chat.example.com' };
    expect(chatSocketUrl(loc, 'demo', 'web', { visitor: 'abcdefghijklmnop' })).toBe('wss://chat.example.com/api/v1/chat/demo/web/ws?visitor=abcdefghijklmnop');
    expect(chatSocketUrl({ protocol: 'http:', host: '127.0.0.1:8080' }, 'demo', 'web', { visitor: 'abcdefghijklmnop' }, { conversation: 'c-1', after: 12 })).toBe(
      'ws://127.0.0.1:8080/api/v1/chat/demo/web/ws?visitor=abcdefghijklmnop&conversation=c-1&after=12',
    );
    expect(chatSocketUrl(loc, 'demo', 'web', { identity: 'a b&c', ts: '17', sig: 'ff' }, { conversation: null, after: 3 })).toBe(
      'wss://chat.example.com/api/v1/chat/demo/web/ws?identity=a+b%26c&ts=17&sig=ff',
    );
    expect(chatSocketUrl(loc, 'de/mo', 'w?b', { visitor: 'abcdefghijklmnop' })).toContain('/api/v1/chat/de%2Fmo/w%3Fb/ws?');
  });

  it('keeps conversations apart per identity', () => {
    expect(stateKey('demo', 'web', { visitor: 'abcdefghijklmnop' })).toBe('sb.chat.state.demo.web.visitor');
    expect(stateKey('demo', 'web', { identity: 'u1', ts: '1', sig: 's' })).not.toBe(stateKey('demo', 'web', { identity: 'u2', ts: '1', sig: 's' }));
  });

  it('stores and loads the conversation', () => {
    const store = memory();
    saveState(store, 'k', { ...emptyState, conversation: 'c', phase: 'connected', lastSeq: 9 });
    expect(loadState(store, 'k')).toMatchObject({ conversation: 'c', phase: 'connected', lastSeq: 9 });
    store.setItem('bad', '{not json');
    expect(loadState(store, 'bad')).toEqual(emptyState);
  });

  it('matches the chat route', () => {
    expect(matchChatPath('/chat/demo/web')).toEqual({ tenant: 'demo', entry: 'web' });
    expect(matchChatPath('/chat/demo/web/')).toEqual({ tenant: 'demo', entry: 'web' });
    expect(matchChatPath('/chat/demo')).toBeNull();
    expect(matchChatPath('/admin/users')).toBeNull();
  });
});
