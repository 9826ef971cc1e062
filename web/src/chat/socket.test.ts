import { describe, expect, it } from 'vitest';
import { ChatSocket, reconnectDelay, type ChatSocketEnv, type SocketLike } from './socket';
import type { ServerFrame } from './protocol';

class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  sent: unknown[] = [];
  closed = false;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.closed = true;
  }
  receive(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code?: number) {
    this.onclose?.(code === undefined ? {} : { code });
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number; id: number }[] = [];
  let next = 1;
  const env: ChatSocketEnv = {
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    setTimeout: (fn, ms) => {
      const id = next++;
      timers.push({ fn, ms, id });
      return id;
    },
    clearTimeout: (h) => {
      const i = timers.findIndex((t) => t.id === h);
      if (i >= 0) timers.splice(i, 1);
    },
    random: () => 0.5,
  };
  const frames: ServerFrame[] = [];
  const downs: number[] = [];
  let resume = '';
  const refusals: number[] = [];
  const socket = new ChatSocket(env, {
    url: () => `ws://x/ws?visitor=v${resume}`,
    onFrame: (f) => frames.push(f),
    onDown: (n) => downs.push(n),
    onRefused: (c) => refusals.push(c),
  });
  const fire = () => timers.shift()!.fn();
  return { socket, sockets, timers, frames, downs, refusals, fire, setResume: (r: string) => (resume = r) };
}

const welcome = { type: 'welcome', customer_id: 'c', title: null, prechat_form: false, conversation: null };

describe('reconnect backoff', () => {
  it('0.5 s doubling up to 15 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((a) => reconnectDelay(a, () => 0.5))).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  });
  it('jitters by at most ±20 % and never exceeds 15 s', () => {
    expect(reconnectDelay(0, () => 0)).toBe(400);
    expect(reconnectDelay(0, () => 1)).toBe(600);
    expect(reconnectDelay(8, () => 1)).toBe(15000);
  });
});

describe('ChatSocket', () => {
  it('is up only after welcome, and sends only then', () => {
    const h = harness();
    h.socket.start();
    expect(h.socket.send({ type: 'typing' })).toBe(false);
    h.sockets[0].receive(welcome);
    expect(h.socket.isUp).toBe(true);
    expect(h.socket.send({ type: 'typing' })).toBe(true);
    expect(h.sockets[0].sent).toEqual([{ type: 'typing' }]);
    expect(h.frames.map((f) => f.type)).toEqual(['welcome']);
  });

  it('reconnects with growing delays, asking for the URL (resume point) each time, and resets after a welcome', () => {
    const h = harness();
    h.socket.start();
    h.sockets[0].receive(welcome);
    h.setResume('&conversation=c1&after=7');
    h.sockets[0].drop();
    expect(h.socket.isUp).toBe(false);
    expect(h.timers.map((t) => t.ms)).toEqual([500]);
    h.fire();
    expect(h.sockets[1].url).toBe('ws://x/ws?visitor=v&conversation=c1&after=7');
    h.sockets[1].drop();
    expect(h.timers.map((t) => t.ms)).toEqual([1000]);
    h.fire();
    h.sockets[2].drop();
    expect(h.timers.map((t) => t.ms)).toEqual([2000]);
    expect(h.downs).toEqual([0, 1, 2]);
    h.fire();
    h.sockets[3].receive(welcome);
    h.sockets[3].drop();
    expect(h.timers.map((t) => t.ms)).toEqual([500]);
  });

  it('nudge skips the wait; reconnectNow replaces a live socket; stop ends everything', () => {
    const h = harness();
    h.socket.start();
    h.sockets[0].drop();
    h.socket.nudge();
    expect(h.sockets).toHaveLength(2);
    expect(h.timers).toHaveLength(0);
    h.sockets[1].receive(welcome);
    h.socket.reconnectNow();
    expect(h.sockets[1].closed).toBe(true);
    expect(h.sockets).toHaveLength(3);
    h.sockets[1].drop(); // a late close of the replaced socket changes nothing
    expect(h.timers).toHaveLength(0);
    h.socket.stop();
    expect(h.sockets[2].closed).toBe(true);
    h.sockets[2].drop();
    expect(h.timers).toHaveLength(0);
  });

  it('drops frames that are not protocol frames', () => {
    const h = harness();
    h.socket.start();
    h.sockets[0].onmessage?.({ data: 'garbage' });
    h.sockets[0].receive({ type: 'mystery' });
    expect(h.frames).toEqual([]);
  });
});

describe('refusals', () => {
  it('a refused visitor is not retried until asked', () => {
    const h = harness();
    h.socket.start();
    h.sockets[0].receive({ type: 'error', code: 'invalid_identity', message: 'forged' });
    h.sockets[0].drop(4401);
    expect(h.refusals).toEqual([4401]);
    expect(h.timers).toHaveLength(0);
    h.socket.nudge();
    expect(h.sockets).toHaveLength(1);
    h.socket.reconnectNow();
    expect(h.sockets).toHaveLength(2);
    h.sockets[1].drop(1006);
    expect(h.timers).toHaveLength(1);
  });
});
