import { describe, expect, it } from 'vitest';
import { backoffDelay, LiveConnection, parseEvent, wsUrl, type LiveEnv, type WebSocketLike } from './live';
import type { LiveEvent } from './types';

class FakeSocket implements WebSocketLike {
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  closed = false;
  constructor(readonly url: string) {}
  close() {
    this.closed = true;
  }
  send(obj: unknown) {
    this.onmessage?.({ data: JSON.stringify(obj) });
  }
  drop() {
    this.onclose?.({});
  }
}

function harness(token: string | null = 'tok') {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number; id: number }[] = [];
  let nextId = 1;
  let tok = token;
  const env: LiveEnv = {
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    url: (t) => `ws://x/api/v1/ws?token=${t}`,
    token: () => tok,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ fn, ms, id });
      return id;
    },
    clearTimeout: (h) => {
      const i = timers.findIndex((t) => t.id === h);
      if (i >= 0) timers.splice(i, 1);
    },
    random: () => 0.5,
  };
  const fire = () => {
    const t = timers.shift();
    if (!t) throw new Error('no timer');
    t.fn();
    return t.ms;
  };
  return { conn: new LiveConnection(env), sockets, timers, fire, setToken: (t: string | null) => (tok = t) };
}

describe('backoffDelay', () => {
  it('doubles from 0.5 s and caps at 30 s', () => {
    const mid = () => 0.5; // no jitter
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map((a) => backoffDelay(a, mid))).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
  it('adds ±20 % jitter without exceeding the cap', () => {
    expect(backoffDelay(0, () => 0)).toBe(400);
    expect(backoffDelay(0, () => 1)).toBe(600);
    expect(backoffDelay(10, () => 1)).toBe(30000);
  });
});

describe('wsUrl / parseEvent', () => {
  it('builds ws and wss URLs with the token encoded', () => {
    expect(wsUrl({ protocol: 'http:', host: 'a:8080' }, 'a b')).toBe('ws://a:8080/api/v1/ws?token=a%20b');
    expect(wsUrl({ protocol: 'https:', host: 'cc.example' }, 't')).toBe('wss://cc.example/api/v1/ws?token=t');
  });
  it('keeps only JSON objects with a type', () => {
    expect(parseEvent('{"type":"agent.state","state":"idle"}')).toEqual({ type: 'agent.state', state: 'idle' });
    expect(parseEvent('[1]')).toBeNull();
    expect(parseEvent('{"x":1}')).toBeNull();
    expect(parseEvent('nope')).toBeNull();
    expect(parseEvent(new ArrayBuffer(2))).toBeNull();
  });
});

describe('LiveConnection', () => {
  it('opens on the first subscriber, delivers events, reports hello as connected', () => {
    const h = harness();
    const events: LiveEvent[] = [];
    let connects = 0;
    h.conn.subscribe({ onEvent: (e) => events.push(e), onConnected: () => connects++ });
    expect(h.sockets).toHaveLength(1);
    expect(h.sockets[0].url).toBe('ws://x/api/v1/ws?token=tok');
    h.sockets[0].send({ type: 'hello', user_id: 'u1' });
    expect(connects).toBe(1);
    expect(h.conn.isConnected).toBe(true);
    h.sockets[0].send({ type: 'agent.state', agent_id: 'u1', state: 'busy' });
    expect(events.map((e) => e.type)).toEqual(['agent.state']);
  });

  it('reconnects with growing backoff and reports each reconnection', () => {
    const h = harness();
    let connects = 0;
    let drops = 0;
    h.conn.subscribe({ onConnected: () => connects++, onDisconnected: () => drops++ });
    h.sockets[0].send({ type: 'hello' });
    h.sockets[0].drop();
    expect(drops).toBe(1);
    expect(h.conn.isConnected).toBe(false);
    expect(h.fire()).toBe(500);
    expect(h.sockets).toHaveLength(2);
    h.sockets[1].drop(); // failed before hello
    expect(drops).toBe(1); // not connected, no second report
    expect(h.fire()).toBe(1000);
    h.sockets[2].drop();
    expect(h.fire()).toBe(2000);
    h.sockets[3].send({ type: 'hello' });
    expect(connects).toBe(2);
    // Backoff starts over after a successful connection.
    h.sockets[3].drop();
    expect(h.fire()).toBe(500);
  });

  it('shares one socket; a late subscriber is told it is connected', () => {
    const h = harness();
    h.conn.subscribe({});
    h.sockets[0].send({ type: 'hello' });
    let late = 0;
    h.conn.subscribe({ onConnected: () => late++ });
    expect(h.sockets).toHaveLength(1);
    expect(late).toBe(1);
  });

  it('closes when the last subscriber leaves and cancels a pending reconnect', () => {
    const h = harness();
    const a = h.conn.subscribe({});
    const b = h.conn.subscribe({});
    a();
    expect(h.sockets[0].closed).toBe(false);
    h.sockets[0].drop();
    expect(h.timers).toHaveLength(1);
    b();
    expect(h.timers).toHaveLength(0);
    // Subscribing again opens a fresh socket at once.
    h.conn.subscribe({});
    expect(h.sockets).toHaveLength(2);
    const unsub = h.conn.subscribe({});
    unsub();
  });

  it('waits for a token instead of connecting without one', () => {
    const h = harness(null);
    h.conn.subscribe({});
    expect(h.sockets).toHaveLength(0);
    h.setToken('later');
    h.fire();
    expect(h.sockets).toHaveLength(1);
    expect(h.sockets[0].url).toContain('token=later');
  });

  it('ignores messages from a socket it already replaced', () => {
    const h = harness();
    const events: string[] = [];
    h.conn.subscribe({ onEvent: (e) => events.push(e.type) });
    const old = h.sockets[0];
    old.drop();
    h.fire();
    old.send({ type: 'agent.state' });
    h.sockets[1].send({ type: 'queue.stats' });
    expect(events).toEqual(['queue.stats']);
  });
});
