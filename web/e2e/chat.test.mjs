// The customer web chat against the real server: the pre-chat form, an agent answering through
// the API, messages both ways (exactly once), a reload resuming the whole conversation, the
// agent leaving; messages written while the connection is down (and one whose ack was lost)
// delivered exactly once after reconnecting; the embeddable widget script; and the place in
// line while waiting, a customer's picture (and refused files), and the satisfaction rating.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { SHOTS, byTestId, startSuite } from './helpers.mjs';

const CHAT_QUEUE = '在线客服 Online chat';
const PHONE = { width: 390, height: 780 };
const DESKTOP = { width: 1280, height: 800 };

let server;
let browser;
let api;
let admin;

before(async () => {
  // Only agent1 takes chats here, with room to act on a slow machine.
  ({ server, browser, api, admin } = await startSuite({ offer_timeout_s: 120, wrap_up_limit_s: 600, no_answer_limit: 0, summary_required: false }));
  const queue = (await admin.get('/queues')).find((q) => q.name === CHAT_QUEUE && q.channel === 'chat');
  assert.ok(queue, 'the demo tenant has the online chat queue');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function shot(page, name, viewport) {
  mkdirSync(SHOTS, { recursive: true });
  if (viewport) await page.setViewportSize(viewport);
  await page.waitForTimeout(350);
  await page.screenshot({ path: join(SHOTS, name) });
}

/** The messages the customer page shows, in screen order. */
async function shown(page) {
  return page.$$eval('[data-testid="chat-message"]', (els) =>
    els.map((el) => ({
      id: el.getAttribute('data-id'),
      seq: Number(el.getAttribute('data-seq')),
      sender: el.getAttribute('data-sender'),
      text: el.getAttribute('data-recalled') ? '(withdrawn)' : el.querySelector('.sbc-bubble')?.textContent ?? '',
    })),
  );
}

async function waitShown(page, sender, text) {
  await page.locator(`[data-testid="chat-message"][data-sender="${sender}"]`).filter({ hasText: text }).first().waitFor();
}

/** Poll GET /agent until a chat with this title is offered; returns it. */
async function offeredChat(agent, title) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const status = await agent.get('/agent');
    const c = status.contacts.find((x) => x.channel === 'chat' && x.state === 'offered' && x.title === title);
    if (c) return c;
    if (Date.now() > deadline) throw new Error(`no chat "${title}" offered: ${JSON.stringify(status.contacts)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** An agent's API session, signed in and idle, with nothing left in wrap-up. */
async function readyAgent(login) {
  const agent = await api.login(login);
  let status = await agent.get('/agent');
  if (status.state === 'signed_out') status = await agent.post('/agent/sign-in', {});
  for (const c of status.contacts.filter((x) => x.state === 'wrap_up')) await agent.post('/agent/continue', { contact_id: c.id });
  status = await agent.get('/agent');
  if (status.state !== 'idle') await agent.post('/agent/state', { state: 'idle' });
  return agent;
}

const bodiesOf = async (agent, contactId) => (await agent.get(`/contacts/${contactId}/messages?after=0`)).map((m) => m.body);
const count = (list, value) => list.filter((x) => x === value).length;

test('a customer chats with an agent: pre-chat form, both ways, reload, agent leaves', async () => {
  const page = await browser.newPage();
  await page.setViewportSize(DESKTOP);
  await page.goto(`${server.url}/chat/demo/web`);
  await byTestId(page, 'chat-prechat').waitFor();
  await page.locator('[data-testid="chat-page"][data-online="true"]').waitFor();
  assert.equal(await byTestId(page, 'chat-title').textContent(), '演示企业在线客服 Demo Co. support');
  await shot(page, 'switchboard-chat-desktop-form-zh.png');
  await shot(page, 'switchboard-chat-phone-form-zh.png', PHONE);
  await page.setViewportSize(DESKTOP);

  // The visitor id is generated once and kept for this tenant and entry point.
  const visitor = await page.evaluate(() => localStorage.getItem('sb.chat.visitor.demo.web'));
  assert.match(visitor, /^[A-Za-z0-9_-]{16,64}$/);

  // Pre-chat form: the question becomes the first message; the customer waits for an agent.
  const question = '我的订单还没到 My order is late';
  await byTestId(page, 'prechat-name').fill('王女士');
  await byTestId(page, 'prechat-email').fill('wang@example.com');
  await byTestId(page, 'prechat-question').fill(question);
  await byTestId(page, 'prechat-submit').click();
  await waitShown(page, 'customer', question);
  await byTestId(page, 'chat-waiting').waitFor();
  assert.match(await byTestId(page, 'chat-waiting').textContent(), /正在为您转接客服/);
  await shot(page, 'switchboard-chat-phone-waiting-zh.png', PHONE);
  await page.setViewportSize(DESKTOP);

  // agent1 signs in and answers the offered chat; the customer sees the agent join.
  const agent = await readyAgent('agent1');
  const offered = await offeredChat(agent, question);
  await agent.post(`/contacts/${offered.id}/answer`);
  await page.locator('[data-testid="chat-notice"][data-kind="joined"]').filter({ hasText: '客服已接入' }).waitFor();
  await page.locator('[data-testid="chat-page"][data-phase="connected"]').waitFor();
  assert.equal(await byTestId(page, 'chat-waiting').count(), 0);
  const conversation = await page.evaluate(() => JSON.parse(localStorage.getItem('sb.chat.state.demo.web.visitor')).conversation);
  assert.equal(conversation, offered.id, 'the page keeps the conversation id');

  // The agent writes; the customer sees it on the left.
  const agentText = '您好，我来帮您查询。Hello, let me check.';
  await agent.post(`/contacts/${offered.id}/messages`, { client_id: 'agent-1', text: agentText });
  await waitShown(page, 'agent', agentText);

  // The agent typing (when this server has the endpoint) shows the indicator.
  const typing = await agent.post(`/contacts/${offered.id}/typing`).then(() => true, (e) => (e.status === 404 || e.status === 405 ? false : Promise.reject(e)));
  if (typing) await byTestId(page, 'chat-typing').waitFor();

  // The customer answers with Enter, a Shift+Enter line break and an emoji from the picker.
  const input = byTestId(page, 'chat-input');
  await input.click();
  await input.pressSequentially('单号 12345');
  await input.press('Shift+Enter');
  await input.pressSequentially('谢谢');
  await byTestId(page, 'chat-emoji').click();
  await byTestId(page, 'chat-emoji-grid').waitFor();
  await shot(page, 'switchboard-chat-desktop-emoji-zh.png');
  await byTestId(page, 'chat-emoji-grid').locator('button', { hasText: '👍' }).click();
  await input.press('Enter');
  const customerText = '单号 12345\n谢谢👍';
  await page.locator('[data-testid="chat-message"][data-sender="customer"]').filter({ hasText: '谢谢👍' }).waitFor();
  await page.locator('[data-testid="chat-pending"]').waitFor({ state: 'detached' });
  assert.equal(await input.inputValue(), '');
  let bodies = await bodiesOf(agent, offered.id);
  assert.equal(count(bodies, customerText), 1, `stored exactly once: ${JSON.stringify(bodies)}`);
  assert.equal(count(bodies, question), 1);

  // A withdrawn agent message (when this server has recall) reads "消息已撤回".
  const oops = await agent.post(`/contacts/${offered.id}/messages`, { client_id: 'agent-2', text: '发错了 wrong chat' });
  await waitShown(page, 'agent', '发错了');
  const recalled = await agent.post(`/contacts/${offered.id}/messages/${oops.id}/recall`).then(() => true, (e) => (e.status === 404 || e.status === 405 ? false : Promise.reject(e)));
  if (recalled) {
    await page.locator(`[data-testid="chat-message"][data-id="${oops.id}"][data-recalled="true"]`).filter({ hasText: '消息已撤回' }).waitFor();
    assert.equal(await page.getByText('发错了 wrong chat').count(), 0);
  }
  await agent.post(`/contacts/${offered.id}/messages`, { client_id: 'agent-3', text: '已为您加急处理 Expedited for you' });
  await waitShown(page, 'agent', 'Expedited');

  const before = await shown(page);
  assert.deepEqual(before.map((m) => m.seq), [...before.map((m) => m.seq)].sort((a, b) => a - b), 'in seq order');
  assert.equal(new Set(before.map((m) => m.id)).size, before.length, 'no duplicates');
  assert.deepEqual(before.filter((m) => m.sender === 'customer').map((m) => m.text), [question, customerText]);
  await shot(page, 'switchboard-chat-desktop-connected-zh.png');
  await shot(page, 'switchboard-chat-phone-connected-zh.png', PHONE);

  // Reload: the same conversation comes back whole, in order, without duplicates.
  await page.reload();
  await page.locator('[data-testid="chat-page"][data-online="true"]').waitFor();
  await page.locator(`[data-testid="chat-message"][data-seq="${before[before.length - 1].seq}"]`).waitFor();
  await page.waitForTimeout(500); // anything extra would have arrived by now
  const afterReload = await shown(page);
  assert.deepEqual(afterReload, before);
  assert.equal(await byTestId(page, 'chat-prechat').count(), 0);
  assert.equal(await page.locator('[data-testid="chat-notice"][data-kind="joined"]').count(), 1);
  bodies = await bodiesOf(agent, offered.id);
  assert.equal(count(bodies, customerText), 1, 'the reload stored nothing twice');

  // English from the header; then the agent releases and the customer sees the agent leave.
  await byTestId(page, 'chat-lang').click();
  await page.locator('[data-testid="chat-notice"][data-kind="joined"]').filter({ hasText: 'Agent has joined' }).waitFor();
  assert.equal((await byTestId(page, 'chat-end').textContent()).trim(), 'End chat');
  await shot(page, 'switchboard-chat-phone-connected-en.png', PHONE);
  await shot(page, 'switchboard-chat-desktop-connected-en.png', DESKTOP);
  await agent.post(`/contacts/${offered.id}/release`);
  await page.locator('[data-testid="chat-notice"][data-kind="left"]').filter({ hasText: 'Agent has left' }).waitFor();
  await byTestId(page, 'chat-ended').waitFor();
  assert.equal(await byTestId(page, 'chat-input').count(), 0, 'no composer once the conversation has ended');
  await shot(page, 'switchboard-chat-phone-ended-en.png', PHONE);

  // Start again: a fresh conversation (the form again), not the old one.
  await byTestId(page, 'chat-restart').click();
  await byTestId(page, 'chat-prechat').waitFor();
  assert.equal(await byTestId(page, 'chat-message').count(), 0);
  await shot(page, 'switchboard-chat-phone-form-en.png', PHONE);
  assert.deepEqual(page.errors, []);
});

test('messages written while the connection is down, or whose ack was lost, arrive exactly once', async () => {
  const page = await browser.newPage();
  await page.setViewportSize(PHONE);
  // Every chat socket goes through this route: the test can drop acks, cut the line and
  // refuse new connections for a while.
  let blocked = false;
  let dropAcks = false;
  const live = [];
  await page.routeWebSocket(/\/api\/v1\/chat\//, (ws) => {
    if (blocked) {
      void ws.close({ code: 4001, reason: 'test: offline' }).catch(() => {});
      return;
    }
    const upstream = ws.connectToServer();
    upstream.onMessage((msg) => {
      if (dropAcks && /"type":"(ack|message)"/.test(String(msg))) return;
      ws.send(msg);
    });
    live.push({ ws, upstream });
  });
  await page.goto(`${server.url}/chat/demo/web`);
  await byTestId(page, 'chat-prechat').waitFor();
  const question = '断线测试 reconnect test';
  await byTestId(page, 'prechat-question').fill(question);
  await byTestId(page, 'prechat-submit').click();
  await waitShown(page, 'customer', question);

  // 1. Stored by the server, but the ack (and the echo) never reach the page.
  dropAcks = true;
  await byTestId(page, 'chat-input').fill('第一条 first');
  await byTestId(page, 'chat-input').press('Enter');
  await page.locator('[data-testid="chat-pending"]').filter({ hasText: 'first' }).waitFor();

  // 2. The line drops and stays down; a message written meanwhile waits, greyed.
  blocked = true;
  for (const { ws, upstream } of live.splice(0)) {
    await ws.close({ code: 4000, reason: 'test: cut' }).catch(() => {});
    await upstream.close().catch(() => {});
  }
  await page.locator('[data-testid="chat-page"][data-online="false"]').waitFor();
  await byTestId(page, 'chat-input').fill('第二条 second');
  await byTestId(page, 'chat-input').press('Enter');
  await page.locator('[data-testid="chat-pending"]').filter({ hasText: 'second' }).waitFor();
  assert.equal(await byTestId(page, 'chat-pending').count(), 2);
  await byTestId(page, 'chat-banner').waitFor();
  await shot(page, 'switchboard-chat-phone-offline-zh.png');

  // 3. The line comes back: both go out again with their client_id; each is stored once.
  dropAcks = false;
  blocked = false;
  await page.locator('[data-testid="chat-page"][data-online="true"]').waitFor({ timeout: 20_000 });
  await page.locator('[data-testid="chat-pending"]').first().waitFor({ state: 'detached' });
  const texts = (await shown(page)).filter((m) => m.sender === 'customer').map((m) => m.text);
  assert.deepEqual(texts, [question, '第一条 first', '第二条 second']);

  const agent = await readyAgent('agent1');
  const offered = await offeredChat(agent, question);
  await agent.post(`/contacts/${offered.id}/answer`);
  const bodies = await bodiesOf(agent, offered.id);
  assert.deepEqual(bodies, [question, '第一条 first', '第二条 second'], 'each message stored exactly once, in order');

  // The customer ends the chat from the header.
  await page.locator('[data-testid="chat-page"][data-phase="connected"]').waitFor();
  await byTestId(page, 'chat-end').click();
  await byTestId(page, 'chat-end-ok').click();
  await page.locator('[data-testid="chat-notice"][data-kind="you_left"]').waitFor();
  await byTestId(page, 'chat-ended').waitFor();
  const status = await agent.get('/agent');
  assert.notEqual(status.contacts.find((c) => c.id === offered.id)?.state, 'connected', 'the customer left');
  assert.deepEqual(page.errors, []);
});

/**
 * A host page on an origin of its own: a second small HTTP server on loopback (another port, so
 * another origin; Chromium lets a loopback page reach the loopback chat server).
 */
async function hostPage(page, html) {
  const shop = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise((resolve) => shop.listen(0, '127.0.0.1', resolve));
  page.shopOrigin = `http://127.0.0.1:${shop.address().port}`;
  shop.unref();
  page.once('close', () => {
    shop.close();
    shop.closeAllConnections();
  });
  // Anything the page logs about postMessage (a target origin that does not match is a console error).
  page.postMessageLogs = [];
  page.on('console', (m) => {
    if (/postMessage|target origin/i.test(m.text())) page.postMessageLogs.push(`${m.type()}: ${m.text()}`);
  });
  await page.goto(`${page.shopOrigin}/`, { waitUntil: 'load' });
  return shop;
}

test('the widget script adds a chat button that opens the chat page in a panel', async () => {
  const page = await browser.newPage();
  await page.setViewportSize(DESKTOP);
  const html = (attrs) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>` +
    `<body style="font-family:sans-serif;margin:40px"><h1>Example shop</h1><p>Products…</p>` +
    `<script src="${server.url}/widget.js" data-tenant="demo" data-entry="web" ${attrs}></script></body></html>`;
  // Record what the chat page in the iframe sends.
  const sent = [];
  await page.routeWebSocket(/\/api\/v1\/chat\//, (ws) => {
    const upstream = ws.connectToServer();
    ws.onMessage((m) => {
      sent.push(JSON.parse(String(m)));
      upstream.send(m);
    });
  });
  await hostPage(page, html(''));
  const launcher = byTestId(page, 'sb-widget-launcher');
  await launcher.waitFor();
  assert.equal(await byTestId(page, 'sb-widget-frame').count(), 0, 'the chat loads only when opened');
  await launcher.click();
  await page.locator('[data-testid="sb-widget-panel"].open').waitFor();
  const src = await byTestId(page, 'sb-widget-frame').getAttribute('src');
  assert.equal(src, `${server.url}/chat/demo/web?embed=1&host=${encodeURIComponent(page.shopOrigin)}`);
  const frame = page.frameLocator('[data-testid="sb-widget-frame"]');
  await frame.locator('[data-testid="chat-page"][data-online="true"]').waitFor();
  await frame.locator('[data-testid="chat-prechat"]').waitFor();
  await shot(page, 'switchboard-widget-desktop.png');

  // A conversation in the panel; while the panel is closed the page sends no read receipt.
  const question = '挂件测试 widget test';
  await frame.locator('[data-testid="prechat-question"]').fill(question);
  await frame.locator('[data-testid="prechat-submit"]').click();
  const agent = await readyAgent('agent1');
  const offered = await offeredChat(agent, question);
  await agent.post(`/contacts/${offered.id}/answer`);
  await frame.locator('[data-testid="chat-notice"][data-kind="joined"]').waitFor();
  await byTestId(page, 'sb-widget-close').click();
  await page.locator('[data-testid="sb-widget-panel"]:not(.open)').waitFor({ state: 'attached' });
  await page.waitForFunction(() => {
    const panel = document.getElementById('switchboard-chat-widget')?.shadowRoot?.querySelector('.panel');
    return panel && getComputedStyle(panel).visibility === 'hidden';
  });
  const hello = await agent.post(`/contacts/${offered.id}/messages`, { client_id: 'w-1', text: 'Are you still there?' });
  await frame.locator(`[data-testid="chat-message"][data-seq="${hello.seq}"]`).waitFor({ state: 'attached' });
  await page.waitForTimeout(800);
  const readOf = (seq) => sent.some((f) => f.type === 'read' && f.seq >= seq);
  assert.equal(readOf(hello.seq), false, 'no read receipt while the panel is closed');
  // The closed button shows how many of the agent's messages are unread, and the newest.
  const badge = byTestId(page, 'sb-widget-badge');
  const preview = byTestId(page, 'sb-widget-preview');
  await badge.waitFor({ state: 'visible' });
  assert.equal(await badge.innerText(), '1');
  assert.equal(await preview.innerText(), 'Are you still there?');
  const long = `第二条消息 ${'很长的内容'.repeat(20)}`;
  await agent.post(`/contacts/${offered.id}/messages`, { client_id: 'w-2', text: long });
  await page.waitForFunction(() => document.getElementById('switchboard-chat-widget')?.shadowRoot?.querySelector('.badge')?.textContent === '2');
  const shortened = await preview.innerText();
  assert.ok(shortened.startsWith('第二条消息') && shortened.endsWith('…') && [...shortened].length <= 60, shortened);
  await shot(page, 'switchboard-widget-unread.png');
  await launcher.click();
  await badge.waitFor({ state: 'hidden' });
  assert.equal(await preview.isVisible(), false, 'cleared when opened');
  await page.waitForFunction(() => true);
  for (let i = 0; i < 50 && !readOf(hello.seq); i++) await page.waitForTimeout(100);
  assert.equal(readOf(hello.seq), true, 'read once the panel is open again');
  await agent.post(`/contacts/${offered.id}/release`);

  // A verified identity passes through to the chat page, which the server accepts.
  const ts = Math.floor(Date.now() / 1000);
  const sig = createHmac('sha256', 'demo-identity-secret').update(`member-42:${ts}`).digest('hex');
  const phone = await browser.newPage();
  await phone.setViewportSize(PHONE);
  await hostPage(phone, html(`data-identity="member-42" data-ts="${ts}" data-sig="${sig}" data-lang="en"`));
  await byTestId(phone, 'sb-widget-launcher').click();
  const src2 = await byTestId(phone, 'sb-widget-frame').getAttribute('src');
  assert.equal(src2, `${server.url}/chat/demo/web?embed=1&identity=member-42&ts=${ts}&sig=${sig}&lang=en&host=${encodeURIComponent(phone.shopOrigin)}`);
  const frame2 = phone.frameLocator('[data-testid="sb-widget-frame"]');
  await frame2.locator('[data-testid="chat-page"][data-online="true"]').waitFor();
  await frame2.locator('[data-testid="chat-prechat"]').filter({ hasText: 'Start a conversation' }).waitFor();
  await shot(phone, 'switchboard-widget-phone-en.png');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(phone.errors, []);
  assert.deepEqual(page.postMessageLogs, [], 'no postMessage warning on the host page');
  assert.deepEqual(phone.postMessageLogs, []);
});

/** A small picture (a colour gradient) as PNG bytes. */
function gradientPng(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = [];
  for (let y = 0; y < height; y++) {
    rows.push(0);
    for (let x = 0; x < width; x++) rows.push(40 + Math.round((180 * x) / width), 120 + Math.round((100 * y) / height), 230);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.from(rows))), chunk('IEND', Buffer.alloc(0))]);
}
const PNG = gradientPng(160, 100);

/** Nobody takes chats: agent1 (the only chat agent signed in by these tests) signs out. */
async function noAgents() {
  const agent = await api.login('agent1');
  let status = await agent.get('/agent');
  for (const c of status.contacts.filter((x) => x.state === 'wrap_up')) await agent.post('/agent/continue', { contact_id: c.id });
  status = await agent.get('/agent');
  if (status.state !== 'signed_out') await agent.post('/agent/sign-out');
}

test('the place in line while waiting, a picture from the customer, then the satisfaction rating', async () => {
  await noAgents();
  const page = await browser.newPage();
  await page.setViewportSize(PHONE);
  const sent = [];
  await page.routeWebSocket(/\/api\/v1\/chat\//, (ws) => {
    const upstream = ws.connectToServer();
    ws.onMessage((m) => {
      sent.push(JSON.parse(String(m)));
      upstream.send(m);
    });
  });
  await page.goto(`${server.url}/chat/demo/web`);
  await page.locator('[data-testid="chat-page"][data-online="true"]').waitFor();

  // No conversation yet: nothing to attach a file to.
  assert.equal(await byTestId(page, 'chat-attach').isDisabled(), true);

  // Waiting with nobody signed in: the page shows the place in line.
  const question = '排队与评价 queue and rating';
  await byTestId(page, 'prechat-question').fill(question);
  await byTestId(page, 'prechat-submit').click();
  await waitShown(page, 'customer', question);
  const queueLine = page.locator('[data-testid="chat-queue"][data-position="1"]');
  await queueLine.waitFor();
  assert.match(await queueLine.textContent(), /^您当前排在第 1 位(，预计等待(约 \d+ 分钟|不到 1 分钟))?$/);
  const conversation = await page.evaluate(() => JSON.parse(localStorage.getItem('sb.chat.state.demo.web.visitor')).conversation);
  assert.ok(conversation);

  // After a reload the page asks for its place itself (`position`), and shows it again.
  await page.reload();
  await page.locator('[data-testid="chat-page"][data-online="true"]').waitFor();
  await queueLine.waitFor();
  assert.ok(sent.some((f) => f.type === 'position'), 'the page asks for its place in line');
  await byTestId(page, 'chat-lang').click();
  await page.locator('[data-testid="chat-queue"]').filter({ hasText: /^You are number 1 in line/ }).waitFor();
  await shot(page, 'switchboard-chat-phone-queue-en.png');
  await byTestId(page, 'chat-lang').click();

  // A file of a type that is not accepted is refused before sending, with the reason.
  await page.locator('[data-testid="chat-attach"]:not([disabled])').waitFor();
  await byTestId(page, 'chat-file-input').setInputFiles({ name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
  await page.locator('[data-testid="chat-upload-error"][data-problem="type"]').filter({ hasText: '仅支持发送图片' }).waitFor();
  // One that claims to be a picture but is not: refused by the server (415), said clearly.
  await byTestId(page, 'chat-file-input').setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not a picture') });
  await page.locator('[data-testid="chat-upload-error"][data-problem="type"]').waitFor();
  await shot(page, 'switchboard-chat-phone-file-refused-zh.png');

  // A real picture. Every upload passes through this route, which can make it fail before it
  // reaches the server, hold it back (to see it uploading), or lose the server's reply.
  let mode = 'pass';
  let release;
  const held = new Promise((r) => (release = r));
  await page.route(/\/api\/v1\/chat\/demo\/web\/files\?/, async (route) => {
    if (mode === 'fail') return route.abort('connectionfailed');
    if (mode === 'hold') await held;
    if (mode === 'lose-reply') {
      await route.fetch(); // the server stores it…
      return route.abort('connectionreset'); // …and the page never hears back
    }
    return route.continue();
  });
  // 1. The connection fails: the page says so and offers to try again.
  mode = 'fail';
  await byTestId(page, 'chat-file-input').setInputFiles({ name: 'screenshot.png', mimeType: 'image/png', buffer: PNG });
  await page.locator('[data-testid="chat-upload-error"][data-problem="network"]').waitFor();
  // 2. Again, held back a moment: the upload shows while on its way, then the thumbnail, once.
  mode = 'hold';
  await byTestId(page, 'chat-upload-retry').click();
  await byTestId(page, 'chat-upload').filter({ hasText: 'screenshot.png' }).waitFor();
  assert.equal(await byTestId(page, 'chat-attach').isDisabled(), true, 'one file at a time');
  await shot(page, 'switchboard-chat-phone-uploading-zh.png');
  release();
  const image = page.locator('[data-testid="chat-message"][data-sender="customer"] [data-testid="chat-image"]');
  await image.waitFor();
  await byTestId(page, 'chat-upload').waitFor({ state: 'detached' });
  assert.equal(await byTestId(page, 'chat-upload-error').count(), 0, 'the last error is gone');
  await page.waitForFunction(() => document.querySelector('[data-testid="chat-image"] img')?.naturalWidth === 160);
  await page.waitForTimeout(500); // the socket's copy of the same message has arrived by now
  assert.equal(await image.count(), 1, 'the picture is shown exactly once');
  // 3. Stored, but the reply is lost: the socket brings the message, and nothing asks for a retry.
  mode = 'lose-reply';
  await byTestId(page, 'chat-file-input').setInputFiles({ name: 'second.png', mimeType: 'image/png', buffer: PNG });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="chat-image"]').length === 2);
  await byTestId(page, 'chat-upload').waitFor({ state: 'detached' });
  await page.waitForTimeout(500);
  assert.equal(await image.count(), 2);
  assert.equal(await byTestId(page, 'chat-upload-error').count(), 0, 'no retry offered for a file that arrived');
  const all = await shown(page);
  assert.deepEqual(all.map((m) => m.sender), ['customer', 'customer', 'customer']);
  assert.equal(new Set(all.map((m) => m.id)).size, all.length, 'no duplicates');
  await shot(page, 'switchboard-chat-phone-picture-zh.png');

  // The agent signs in and answers: the place in line goes away.
  const agent = await readyAgent('agent1');
  const offered = await offeredChat(agent, question);
  assert.equal(offered.id, conversation);
  await agent.post(`/contacts/${offered.id}/answer`);
  await page.locator('[data-testid="chat-page"][data-phase="connected"]').waitFor();
  assert.equal(await byTestId(page, 'chat-queue').count(), 0);
  const stored = await agent.get(`/contacts/${offered.id}/messages?after=0`);
  const files = stored.filter((m) => m.kind === 'file');
  assert.deepEqual(
    files.map((f) => ({ sender: f.sender, name: f.body.name, type: f.body.content_type, size: f.body.size })),
    ['screenshot.png', 'second.png'].map((name) => ({ sender: 'customer', name, type: 'image/png', size: PNG.length })),
    `each picture stored once: ${JSON.stringify(stored)}`,
  );

  // The agent releases: the customer rates 5 stars with a comment and is thanked.
  await agent.post(`/contacts/${offered.id}/release`);
  await byTestId(page, 'chat-ended').waitFor();
  await byTestId(page, 'chat-rate').waitFor();
  assert.equal(await byTestId(page, 'chat-rate-submit').isDisabled(), true, 'no rating without stars');
  await page.locator('[data-testid="chat-rate-star"][data-score="5"]').click();
  await byTestId(page, 'chat-rate').filter({ hasText: '非常满意' }).waitFor();
  await byTestId(page, 'chat-rate-comment').fill('很快解决了 Solved quickly');
  await shot(page, 'switchboard-chat-phone-rating-zh.png');
  await byTestId(page, 'chat-rate-submit').click();
  await page.locator('[data-testid="chat-rated"][data-score="5"]').filter({ hasText: '感谢您的评价' }).waitFor();
  assert.equal(await byTestId(page, 'chat-rate').count(), 0);
  assert.deepEqual(sent.filter((f) => f.type === 'rate'), [{ type: 'rate', score: 5, comment: '很快解决了 Solved quickly' }]);
  await shot(page, 'switchboard-chat-phone-rated-zh.png');

  // Agents (and the admin) see the rating on the contact.
  for (const who of [agent, admin]) {
    const contact = await who.get(`/contacts/${offered.id}`);
    assert.equal(contact.rating, 5);
    assert.equal(contact.rating_comment, '很快解决了 Solved quickly');
  }

  // A reload does not ask again.
  await page.reload();
  await page.locator('[data-testid="chat-page"][data-online="true"]').waitFor();
  await page.locator('[data-testid="chat-rated"][data-score="5"]').waitFor();
  assert.equal(await byTestId(page, 'chat-rate').count(), 0);
  assert.equal(sent.filter((f) => f.type === 'rate').length, 1);
  assert.deepEqual(page.errors, []);
});
