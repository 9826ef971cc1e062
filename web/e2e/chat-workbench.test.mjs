// The agent's chat workbench against the real server, with a real customer on the chat page:
// agent1 (through the UI) signs in, answers the chat, both sides write, a second chat shows its
// unread count, agent1 withdraws a message (the customer sees it withdrawn), uses a canned reply
// and sends a document link when this server has them, and transfers the chat with a note;
// agent2 (a third browser context) sees the whole history and the internal note, writes, ends
// the chat, is held to the summary rule, saves the summary and continues working; when the
// customer comes back, agent2 opens the earlier chat from the history contacts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { SHOTS, byTestId, closeModal, login, startSuite } from './helpers.mjs';

const CHAT_QUEUE = '在线客服 Online chat';
const SMALL = { width: 1366, height: 768 };
const LARGE = { width: 1920, height: 1080 };
/** A small PNG (a blue gradient), made here so that no image file is needed. */
function makePng(width, height) {
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
  header.set([8, 2, 0, 0, 0], 8);
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set([22 + Math.round((x / width) * 120), 119 + Math.round((y / height) * 80), 255], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const PNG = makePng(160, 100);

let server;
let browser;
let api;
let admin;
let ids;
/** What this server has of "Canned replies, documents" (file sending ships with the API, always). */
const has = { canned: false, documents: false };

before(async () => {
  ({ server, browser, api, admin, ids } = await startSuite({ offer_timeout_s: 120, wrap_up_limit_s: 600, no_answer_limit: 0, summary_required: true }));
  const queue = (await admin.get('/queues')).find((q) => q.name === CHAT_QUEUE && q.channel === 'chat');
  assert.ok(queue, 'the demo tenant has the online chat queue');

  const missing = (e) => (e.status === 404 || e.status === 405 ? false : Promise.reject(e));
  has.canned = await admin.get('/canned-replies').then(() => true, missing);
  has.documents = await admin.get('/documents').then(() => true, missing);
  if (has.documents) {
    await admin.post('/documents', { title: '退货政策 Returns policy', url: 'https://example.com/returns', description: '7 天无理由退货 7-day returns' });
  }
  console.log(`# server has: ${JSON.stringify(has)}`);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function shot(page, name, viewport) {
  mkdirSync(SHOTS, { recursive: true });
  if (viewport) await page.setViewportSize(viewport);
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(SHOTS, name) });
}

/** Count the tones the page plays (the Web Audio beep starts one oscillator per tone). */
function countTones(page) {
  return page.addInitScript(() => {
    window.__tones = 0;
    const create = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function createOscillator() {
      window.__tones += 1;
      return create.call(this);
    };
  });
}

async function openWorkbench(loginName) {
  const page = await browser.newPage();
  await countTones(page);
  await page.setViewportSize(SMALL);
  await page.goto(`${server.url}/login`);
  await login(page, server.url, loginName, 'switchboard');
  await page.waitForURL(/\/workbench/);
  await byTestId(page, 'connection-bar').waitFor();
  await page.locator('[data-testid="connection-bar-live"][data-live="true"]').waitFor();
  return page;
}

async function openCustomer(name, question) {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 1100, height: 760 });
  await page.goto(`${server.url}/chat/demo/web`);
  await byTestId(page, 'chat-prechat').waitFor();
  await page.locator('[data-testid="chat-page"][data-online="true"]').waitFor();
  await byTestId(page, 'prechat-name').fill(name);
  await byTestId(page, 'prechat-question').fill(question);
  await byTestId(page, 'prechat-submit').click();
  await byTestId(page, 'chat-waiting').waitFor();
  return page;
}

/** A control of the open conversation (every chat keeps its pane, the others hidden). */
const inPane = (page, id) => page.locator(`[data-testid="wb-chat-pane"] [data-testid="${id}"]`);
/** The customer page shows a message from `sender` with this text. */
const customerSees = (page, sender, text) => page.locator(`[data-testid="chat-message"][data-sender="${sender}"]`).filter({ hasText: text }).first().waitFor();
/** The agent's open conversation shows a message from `sender` with this text. */
const agentMessage = (page, sender, text) =>
  page.locator(`[data-testid="wb-chat-messages"] [data-testid="wb-chat-message"][data-sender="${sender}"]`).filter({ hasText: text }).first();

async function send(page, text) {
  const input = inPane(page, 'wb-chat-input');
  await input.click();
  await input.pressSequentially(text);
  await input.press('Enter');
  await agentMessage(page, 'agent', text.split('\n')[0]).waitFor();
  await page.locator('[data-testid="wb-chat-messages"] [data-testid="wb-chat-pending"]').waitFor({ state: 'detached' });
}

/** An agent's API session, signed in and idle. */
async function readyAgent(loginName) {
  const agent = await api.login(loginName);
  let status = await agent.get('/agent');
  if (status.state === 'signed_out') status = await agent.post('/agent/sign-in', {});
  if (status.state !== 'idle') await agent.post('/agent/state', { state: 'idle' });
  return agent;
}

test('chat workbench: answer, write, unread, recall, canned reply, document, transfer with a note, release, summary, history', async () => {
  const question = '我的订单还没到 Where is my order?';
  const customer = await openCustomer('王女士', question);

  // agent1 signs in through the UI; the waiting chat is offered to them in the chat layout.
  const a1 = await openWorkbench('agent1');
  await byTestId(a1, 'connection-bar-sign-in').click();
  const offered = a1.locator('[data-testid="wb-chat-item"][data-state="offered"]');
  await offered.waitFor();
  await inPane(a1, 'wb-chat-offer').waitFor();
  assert.equal(await byTestId(a1, 'contact-card').count(), 0, 'a chat gets the chat layout, not the contact card');
  assert.match(await inPane(a1, 'wb-chat-name').innerText(), /王女士/);
  // The question is shown before answering.
  await agentMessage(a1, 'customer', question).waitFor();
  // The bar says the chat rings (the engine still says idle), not "idle".
  const activity = byTestId(a1, 'connection-bar-activity');
  await a1.locator('[data-testid="connection-bar-activity"][data-activity="ringing-chat"]').waitFor();
  assert.match(await activity.innerText(), /振铃中（文字交谈）/);
  await shot(a1, 'switchboard-chatwb-offer.png');

  await inPane(a1, 'wb-chat-answer').click();
  await a1.locator('[data-testid="wb-chat-pane"][data-state="connected"]').waitFor();
  await inPane(a1, 'wb-chat-input').waitFor();
  await customer.locator('[data-testid="chat-page"][data-phase="connected"]').waitFor();
  const contactId = await a1.locator('[data-testid="wb-chat-pane"]').getAttribute('data-contact-id');
  const a1api = await api.login('agent1');
  // On a chat, not "on a call" — in the bar and on the supervisor's wallboard.
  await a1.locator('[data-testid="connection-bar-activity"][data-activity="talking.chat"]').waitFor();
  assert.match(await activity.innerText(), /交谈中/);
  assert.doesNotMatch(await activity.innerText(), /通话/);
  const sup = await browser.newPage();
  await sup.goto(`${server.url}/login`);
  await login(sup, server.url, 'supervisor', 'switchboard');
  await sup.waitForURL(/\/(workbench|supervisor|admin)/);
  await byTestId(sup, 'nav-supervisor').click();
  const supRow = sup.locator('[data-testid="wallboard-agent-agent1"] [data-testid="agent-state"][data-activity="talking.chat"]');
  await supRow.waitFor();
  assert.match(await supRow.innerText(), /交谈中/);
  await sup.context().close();

  // A ticket from the chat: the form holds what the customer told, not our customer id.
  await byTestId(a1, 'wb-chat-create-ticket').click();
  await byTestId(a1, 'ticket-create-form').waitFor();
  await a1.waitForFunction((q) => document.querySelector('#f_title')?.value === q && document.querySelector('#f_description')?.value === q, question);
  assert.equal(await a1.locator('#f_customer').inputValue(), '王女士');
  await closeModal(a1);

  // Both sides write; the agent's typing shows on the customer page.
  const input = inPane(a1, 'wb-chat-input');
  await input.click();
  await input.pressSequentially('您好王女士，我来帮您查询。');
  await byTestId(customer, 'chat-typing').waitFor();
  await input.press('Shift+Enter');
  await input.pressSequentially('Hello, let me check');
  await inPane(a1, 'wb-chat-emoji').click();
  await byTestId(a1, 'wb-chat-emoji-grid').locator('button', { hasText: '👍' }).click();
  await input.press('Enter');
  const greeting = '您好王女士，我来帮您查询。\nHello, let me check👍';
  await agentMessage(a1, 'agent', 'Hello, let me check👍').waitFor();
  await a1.locator('[data-testid="wb-chat-messages"] [data-testid="wb-chat-pending"]').waitFor({ state: 'detached' });
  assert.equal(await input.inputValue(), '');
  await customerSees(customer, 'agent', 'Hello, let me check👍');

  const reply = '单号 SO-12345';
  await customer.locator('[data-testid="chat-input"]').fill(reply);
  await customer.locator('[data-testid="chat-input"]').press('Enter');
  await agentMessage(a1, 'customer', reply).waitFor();
  // The open chat is read: no unread count, and the customer gets the read receipt.
  assert.equal(await a1.locator(`[data-testid="wb-chat-item"][data-contact-id="${contactId}"]`).getAttribute('data-unread'), '0');
  await byTestId(customer, 'chat-read').waitFor();

  // The customer types: the agent sees it.
  await customer.locator('[data-testid="chat-input"]').pressSequentially('还有');
  await inPane(a1, 'wb-chat-typing').waitFor();
  await customer.locator('[data-testid="chat-input"]').fill('');

  // A second customer: offered while agent1 works; answered from the list, it stays in the
  // background and counts its unread messages (also in the tab's title).
  const customer2 = await openCustomer('李先生', '发票怎么开 Invoice?');
  const second = a1.locator('[data-testid="wb-chat-item"][data-state="offered"]');
  await second.waitFor();
  const secondId = await second.getAttribute('data-contact-id');
  // The second offer rings beside the open chat: the bar says so, a banner shows it above
  // everything, the title blinks and the ring tone sounds.
  await a1.locator('[data-testid="connection-bar-activity"][data-activity="talking.chat"] [data-testid="state-ringing"][data-channel="chat"]').waitFor();
  await a1.locator(`[data-testid="offer-banner-item"][data-contact-id="${secondId}"][data-channel="chat"]`).waitFor();
  await a1.waitForFunction(() => document.title === '🔔 文字交谈振铃中');
  await a1.waitForFunction(() => window.__tones > 0);
  await byTestId(a1, 'wb-chat-answer-list').click();
  await a1.locator(`[data-testid="wb-chat-item"][data-contact-id="${secondId}"][data-state="connected"]`).waitFor();
  await byTestId(a1, 'offer-banner').waitFor({ state: 'detached' });
  assert.equal(await a1.locator('[data-testid="wb-chat-pane"]').getAttribute('data-contact-id'), contactId, 'answering from the list keeps the open chat');
  await customer2.locator('[data-testid="chat-page"][data-phase="connected"]').waitFor();
  await customer2.locator('[data-testid="chat-input"]').fill('请尽快 Please hurry');
  await customer2.locator('[data-testid="chat-input"]').press('Enter');
  // The question and the new message are both unread.
  await a1.locator(`[data-testid="wb-chat-item"][data-contact-id="${secondId}"][data-unread="2"]`).waitFor();
  await a1.waitForFunction(() => document.title.startsWith('(2) '));
  await shot(a1, 'switchboard-chatwb-two-chats.png');
  await a1.locator(`[data-testid="wb-chat-item"][data-contact-id="${secondId}"]`).click();
  await agentMessage(a1, 'customer', '请尽快').waitFor();
  await a1.locator(`[data-testid="wb-chat-item"][data-contact-id="${secondId}"][data-unread="0"]`).waitFor();
  await a1.waitForFunction(() => !document.title.startsWith('('));
  await send(a1, '马上为您处理 On it');
  await customerSees(customer2, 'agent', 'On it');
  // The second customer ends the chat: it goes to wrap-up on agent1's list.
  await byTestId(customer2, 'chat-end').click();
  await byTestId(customer2, 'chat-end-ok').click();
  await a1.locator(`[data-testid="wb-chat-item"][data-contact-id="${secondId}"][data-state="wrap_up"]`).waitFor();
  await inPane(a1, 'wb-chat-wrap').waitFor();
  await inPane(a1, 'wb-chat-summary').fill('发票问题，已告知开票方式 Invoice explained');
  await inPane(a1, 'wb-chat-continue').click();
  await a1.locator(`[data-testid="wb-chat-item"][data-contact-id="${secondId}"]`).waitFor({ state: 'detached' });
  await customer2.context().close();

  // Back to the first chat (the only one left). A message sent by mistake is withdrawn: the agent
  // still reads it, marked; the customer sees "message withdrawn".
  await a1.locator(`[data-testid="wb-chat-pane"][data-contact-id="${contactId}"]`).waitFor();
  const oops = '发错了 wrong customer';
  await send(a1, oops);
  await customerSees(customer, 'agent', oops);
  const oopsRow = agentMessage(a1, 'agent', oops);
  const oopsId = await oopsRow.getAttribute('data-id');
  await oopsRow.locator('[data-testid="wb-chat-recall"]').click();
  await a1.locator(`[data-testid="wb-chat-message"][data-id="${oopsId}"][data-recalled="true"]`).waitFor();
  assert.match(await a1.locator(`[data-testid="wb-chat-message"][data-id="${oopsId}"]`).innerText(), /发错了 wrong customer[\s\S]*已撤回/);
  await customer.locator(`[data-testid="chat-message"][data-id="${oopsId}"][data-recalled="true"]`).filter({ hasText: '消息已撤回' }).waitFor();
  assert.equal(await customer.getByText(oops).count(), 0, 'the customer no longer sees the text');
  // Messages older than the limit cannot be withdrawn: no recall on the customer's messages.
  assert.equal(await agentMessage(a1, 'customer', reply).locator('[data-testid="wb-chat-recall"]').count(), 0);

  // Canned replies: add a personal one, insert it, send it.
  if (has.canned) {
    await inPane(a1, 'wb-chat-canned').click();
    await byTestId(a1, 'wb-chat-canned-panel').waitFor();
    await byTestId(a1, 'wb-chat-canned-add').click();
    await byTestId(a1, 'wb-chat-canned-new-title').fill('查询中 Checking');
    await byTestId(a1, 'wb-chat-canned-new-text').fill('正在为您查询，请稍候 One moment please');
    await byTestId(a1, 'wb-chat-canned-save').click();
    const item = a1.locator('[data-testid="wb-chat-canned-item"]').filter({ hasText: '查询中 Checking' });
    await item.waitFor();
    await shot(a1, 'switchboard-chatwb-canned.png');
    await item.locator('.cw-panel-pick').click();
    assert.equal(await input.inputValue(), '正在为您查询，请稍候 One moment please');
    await input.press('Enter');
    await customerSees(customer, 'agent', 'One moment please');
    // …and delete it again.
    await inPane(a1, 'wb-chat-canned').click();
    await item.locator('[data-testid="wb-chat-canned-delete"]').click();
    await a1.locator('.ant-popconfirm:visible .ant-btn-primary').click();
    await item.waitFor({ state: 'detached' });
    assert.equal((await a1api.get('/canned-replies')).filter((r) => r.title === '查询中 Checking').length, 0);
    await a1.keyboard.press('Escape');
  } else {
    assert.equal(await inPane(a1, 'wb-chat-canned').count(), 0, 'no canned replies button without the endpoint');
  }

  // A document link card from the library.
  if (has.documents) {
    await inPane(a1, 'wb-chat-docs').click();
    await a1.locator('[data-testid="wb-chat-doc-item"]').filter({ hasText: 'Returns policy' }).locator('button').click();
    await a1.locator('[data-testid="wb-chat-messages"] [data-testid="wb-chat-message"][data-kind="document"]').filter({ hasText: 'Returns policy' }).waitFor();
    const card = customer.locator('[data-testid="chat-message"][data-sender="agent"] [data-testid="chat-document"]').filter({ hasText: 'Returns policy' });
    await card.waitFor();
    assert.equal(await card.locator('a').getAttribute('href'), 'https://example.com/returns');
    await shot(customer, 'switchboard-chatwb-customer-document.png');
  } else {
    assert.equal(await inPane(a1, 'wb-chat-docs').count(), 0, 'no document button without the endpoint');
  }

  // An image.
  await inPane(a1, 'wb-chat-file-input').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
  await a1.locator('[data-testid="wb-chat-messages"] [data-testid="wb-chat-message"][data-kind="file"] [data-testid="wb-chat-image"]').waitFor();
  await customer.locator('[data-testid="chat-message"][data-sender="agent"] [data-testid="chat-image"]').waitFor();
  // The image is served to both sides (the link carries its key).
  await customer.waitForFunction(() => [...document.querySelectorAll('[data-testid="chat-image"] img')].some((i) => i.complete && i.naturalWidth === 160));
  await a1.waitForFunction(() => [...document.querySelectorAll('[data-testid="wb-chat-image"] img')].some((i) => i.complete && i.naturalWidth === 160));
  await shot(a1, 'switchboard-chatwb-connected-1366.png');
  await shot(a1, 'switchboard-chatwb-connected-1920.png', LARGE);
  await a1.setViewportSize(SMALL);

  // Transfer to the chat queue with a note: agent2 (signed in through the API) is the one free.
  await readyAgent('agent2');
  await inPane(a1, 'wb-chat-transfer').click();
  await byTestId(a1, 'wb-transfer-note').waitFor();
  // The note is required, and marked so before anyone tries without it.
  await a1.locator('.ant-modal .ant-form-item', { has: byTestId(a1, 'wb-transfer-note') }).locator('.ant-form-item-required').waitFor();
  // A queue by default; colleagues may be picked too (any agent lists them).
  await byTestId(a1, 'wb-transfer-kind').waitFor();
  assert.equal(await byTestId(a1, 'wb-transfer-queue').count(), 1);
  await byTestId(a1, 'wb-transfer-ok').click();
  await a1.getByText('请填写转接备注').waitFor();
  const note = '客户催单号 SO-12345，已查询物流，请跟进 Please follow up';
  await byTestId(a1, 'wb-transfer-note').fill(note);
  await shot(a1, 'switchboard-chatwb-transfer.png');
  await byTestId(a1, 'wb-transfer-ok').click();
  await a1.locator(`[data-testid="wb-chat-item"][data-contact-id="${contactId}"]`).waitFor({ state: 'detached' });
  await byTestId(a1, 'work-empty').waitFor();
  await customer.locator('[data-testid="chat-notice"][data-kind="transferred"]').waitFor();
  assert.deepEqual(a1.errors, [], 'no uncaught page errors (agent1)');

  // agent2 logs in through the UI: the chat is offered with its whole history and the note.
  const a2 = await openWorkbench('agent2');
  await a2.locator(`[data-testid="wb-chat-item"][data-contact-id="${contactId}"]`).waitFor();
  await inPane(a2, 'wb-chat-answer').click();
  await a2.locator('[data-testid="wb-chat-pane"][data-state="connected"]').waitFor();
  await customer.locator('[data-testid="chat-page"][data-phase="connected"]').waitFor();
  await agentMessage(a2, 'customer', question).waitFor();
  await agentMessage(a2, 'customer', reply).waitFor();
  await agentMessage(a2, 'agent', 'Hello, let me check👍').waitFor();
  const internal = a2.locator('[data-testid="wb-chat-messages"] [data-testid="wb-chat-message"][data-internal="true"]');
  await internal.waitFor();
  assert.equal(await internal.locator('[data-testid="wb-chat-internal-note"]').innerText(), note);
  assert.match(await internal.innerText(), /内部备注/);
  assert.match(await internal.innerText(), /在线客服 Online chat/);
  // The withdrawn message: agents read it, marked withdrawn; agent1's messages cannot be recalled by agent2.
  await a2.locator(`[data-testid="wb-chat-message"][data-id="${oopsId}"][data-recalled="true"]`).filter({ hasText: oops }).waitFor();
  assert.equal(await agentMessage(a2, 'agent', 'Hello, let me check').locator('[data-testid="wb-chat-recall"]').count(), 0);
  // Seq order, no duplicates.
  const seqs = await a2.$$eval('[data-testid="wb-chat-messages"] [data-testid="wb-chat-message"]', (els) => els.map((e) => Number(e.getAttribute('data-seq'))));
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
  assert.equal(new Set(seqs).size, seqs.length);
  // The customer never sees the note.
  assert.equal(await customer.getByText('Please follow up').count(), 0);
  const stored = await (await readyAgentApi('agent2')).get(`/contacts/${contactId}/messages?after=0`);
  assert.equal(stored.filter((m) => m.body === greeting).length, 1, 'stored exactly once');

  await send(a2, '您好，我是小张，接着为您处理 Zhang here');
  await customerSees(customer, 'agent', 'Zhang here');
  await shot(a2, 'switchboard-chatwb-agent2.png');

  // End the chat: wrap-up; "continue" is refused without a summary, then accepted.
  await inPane(a2, 'wb-chat-release').click();
  await byTestId(a2, 'wb-chat-release-ok').click();
  await a2.locator('[data-testid="wb-chat-pane"][data-state="wrap_up"]').waitFor();
  await inPane(a2, 'wb-chat-wrap').waitFor();
  await customer.locator('[data-testid="chat-notice"][data-kind="left"]').waitFor();
  await inPane(a2, 'wb-chat-continue').click();
  await inPane(a2, 'wb-chat-summary-required').waitFor();
  await shot(a2, 'switchboard-chatwb-wrap.png');
  const summary = '物流延误，已加急处理 Delayed shipment, expedited';
  await inPane(a2, 'wb-chat-summary').fill(summary);
  await inPane(a2, 'wb-chat-continue').click();
  await a2.locator(`[data-testid="wb-chat-item"][data-contact-id="${contactId}"]`).waitFor({ state: 'detached' });
  await a2.locator('[data-testid="connection-bar-state"][data-state="idle"]').waitFor();
  const closed = await (await readyAgentApi('agent2')).get(`/contacts/${contactId}`);
  assert.equal(closed.summary, summary);

  // The customer comes back: agent2 (the only one signed in now) gets the new chat and opens
  // the earlier one from the history contacts, read-only, with its summary and messages.
  await admin.post(`/supervisor/agents/${ids.agent1}/state`, { state: 'signed_out' });
  await byTestId(customer, 'chat-restart').click();
  await byTestId(customer, 'prechat-question').fill('还是订单的问题 About my order again');
  await byTestId(customer, 'prechat-submit').click();
  await a2.locator('[data-testid="wb-chat-item"][data-state="offered"]').waitFor();
  const item = a2.locator('[data-testid="wb-chat-history-item"]').filter({ hasText: question });
  await item.waitFor();
  await item.click();
  const modal = byTestId(a2, 'wb-chat-history-modal');
  await modal.locator('[data-testid="wb-chat-history-summary"]').waitFor();
  assert.equal(await modal.locator('[data-testid="wb-chat-history-summary"]').innerText(), summary);
  await modal.locator('[data-testid="wb-chat-message"]').filter({ hasText: 'Zhang here' }).waitFor();
  await modal.locator('[data-testid="wb-chat-message"][data-internal="true"]').waitFor();
  assert.equal(await modal.locator('[data-testid="wb-chat-recall"]').count(), 0, 'read-only');
  await shot(a2, 'switchboard-chatwb-history.png');
  await a2.keyboard.press('Escape');

  // English: the chat workbench follows the language (after a reload, the offered chat again).
  await a2.evaluate(() => localStorage.setItem('sb.lang', 'en'));
  await a2.reload();
  await inPane(a2, 'wb-chat-offer').waitFor();
  assert.match(await inPane(a2, 'wb-chat-answer').innerText(), /Answer/);
  assert.match(await byTestId(a2, 'wb-chat-side').innerText(), /History contacts/);
  await shot(a2, 'switchboard-chatwb-offer-en.png');
  assert.deepEqual(a2.errors, [], 'no uncaught page errors (agent2)');
  assert.deepEqual(customer.errors, [], 'no uncaught page errors (customer)');
});

async function readyAgentApi(loginName) {
  return api.login(loginName);
}

test('an offer cannot be missed on any page: a banner with Answer, the ring tone and a blinking title', async () => {
  // The customer's chat rings for agent2 (end of the previous test); agent2 goes, agent1 comes.
  const page = await openWorkbench('agent1');
  await byTestId(page, 'nav-tickets').click();
  await byTestId(page, 'ticket-center').waitFor();
  await admin.post(`/supervisor/agents/${ids.agent2}/state`, { state: 'signed_out' });
  await readyAgent('agent1');
  const item = page.locator('[data-testid="offer-banner-item"][data-channel="chat"]');
  await item.waitFor();
  assert.match(await item.innerText(), /文字交谈振铃中[\s\S]*About my order again[\s\S]*不能拒接[\s\S]*接听/);
  await page.waitForFunction(() => window.__tones > 0);
  // The title blinks: the alert, then the page's title, then the alert again.
  await page.waitForFunction(() => document.title === '🔔 文字交谈振铃中');
  await page.waitForFunction(() => document.title !== '🔔 文字交谈振铃中');
  await page.waitForFunction(() => document.title === '🔔 文字交谈振铃中');
  const tones = await page.evaluate(() => window.__tones);
  await page.waitForFunction((n) => window.__tones > n, tones, { timeout: 8_000 });
  await shot(page, 'switchboard-offer-banner.png');

  // Answered from the banner: the workbench opens on the connected chat; the alerts stop.
  await item.locator('[data-testid="offer-banner-answer"]').click();
  await page.waitForURL(/\/workbench$/);
  await page.locator('[data-testid="wb-chat-item"][data-state="connected"]').waitFor();
  await byTestId(page, 'offer-banner').waitFor({ state: 'detached' });
  await page.waitForFunction(() => !document.title.includes('🔔'));
  assert.deepEqual(page.errors, [], 'no uncaught page errors');
  await page.context().close();
});
