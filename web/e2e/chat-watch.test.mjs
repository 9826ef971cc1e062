// A supervisor watches a live chat read-only from the wallboard (P3): a customer on the chat
// page asks, agent1 answers and replies, the supervisor opens the watch panel on agent1's row
// and sees both messages, with no way to write; then a new message from each side appears in
// the panel as it is sent. The same in English, with no Chinese in the panel's own words.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, byTestId, login, startSuite } from './helpers.mjs';
import { join } from 'node:path';

let server;
let browser;
let api;

before(async () => {
  ({ server, browser, api } = await startSuite({ offer_timeout_s: 120, wrap_up_limit_s: 600, no_answer_limit: 0 }));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function openCustomer(name, question) {
  const page = await browser.newPage();
  await page.goto(`${server.url}/chat/demo/web`);
  await byTestId(page, 'chat-prechat').waitFor();
  await page.locator('[data-testid="chat-page"][data-online="true"]').waitFor();
  await byTestId(page, 'prechat-name').fill(name);
  await byTestId(page, 'prechat-question').fill(question);
  await byTestId(page, 'prechat-submit').click();
  await byTestId(page, 'chat-waiting').waitFor();
  return page;
}

async function customerWrites(page, text) {
  await byTestId(page, 'chat-input').fill(text);
  await byTestId(page, 'chat-input').press('Enter');
  await page.locator('[data-testid="chat-message"][data-sender="customer"]').filter({ hasText: text }).first().waitFor();
}

/** agent1 signed in through the API, answering the chat offered to them. */
async function agentAnswers() {
  const agent = await api.login('agent1');
  let status = await agent.get('/agent');
  if (status.state === 'signed_out') status = await agent.post('/agent/sign-in', {});
  let chat;
  for (let i = 0; i < 50 && !chat; i++) {
    chat = (await agent.get('/agent')).contacts.find((c) => c.channel === 'chat' && c.state === 'offered');
    if (!chat) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(chat, 'the chat is offered to agent1');
  await agent.post(`/contacts/${chat.id}/answer`, {});
  let n = 0;
  return { id: chat.id, say: (text) => agent.post(`/contacts/${chat.id}/messages`, { client_id: `e2e-${++n}-${Date.now()}`, text }) };
}

async function openWallboard(lang) {
  const page = await browser.newPage({ lang });
  await page.goto(`${server.url}/login`);
  await login(page, server.url, 'supervisor', 'switchboard');
  await page.waitForURL(/\/(workbench|supervisor|admin)/);
  await byTestId(page, 'nav-supervisor').click();
  await page.locator('[data-testid="wallboard-live"][data-live="true"]').waitFor();
  return page;
}

/** The watch panel shows a message from `sender` with this text. */
const watched = (page, sender, text) =>
  page.locator(`[data-testid="chat-watch-messages"] [data-testid="wb-chat-message"][data-sender="${sender}"]`).filter({ hasText: text }).first();

test('a supervisor watches a chat live, read-only, in Chinese and in English', async () => {
  const question = '发票怎么开 How do I get an invoice?';
  const customer = await openCustomer('李先生', question);
  const agent = await agentAnswers();
  await customer.locator('[data-testid="chat-page"][data-phase="connected"]').waitFor();
  await agent.say('您好，请提供税号');
  await customer.locator('[data-testid="chat-message"][data-sender="agent"]').filter({ hasText: '请提供税号' }).first().waitFor();

  const sup = await openWallboard();
  const watch = sup.locator(`[data-testid="watch-chat-agent1"][data-contact-id="${agent.id}"]`);
  await watch.waitFor();
  assert.match(await watch.innerText(), /查看会话/);
  await watch.click();
  const panel = byTestId(sup, 'chat-watch');
  await panel.waitFor();
  await watched(sup, 'customer', question).waitFor();
  await watched(sup, 'agent', '请提供税号').waitFor();
  assert.match(await byTestId(sup, 'chat-watch-readonly').innerText(), /只读/);
  assert.equal(await panel.locator('textarea, input[type="text"], [contenteditable="true"]').count(), 0, 'no way to write');
  assert.equal(await panel.locator('[data-testid="wb-chat-recall"]').count(), 0, 'no way to withdraw');
  assert.match(await panel.locator('.ant-drawer-title').innerText(), /小红 Xiaohong/);

  // Live: each side's new message appears as it is sent.
  await customerWrites(customer, '税号 91440300MA5XXXX');
  await watched(sup, 'customer', '91440300MA5XXXX').waitFor();
  await agent.say('收到，发票今天开出');
  await watched(sup, 'agent', '发票今天开出').waitFor();
  assert.equal(await byTestId(sup, 'chat-watch-messages').getAttribute('data-count'), '4');
  await sup.waitForTimeout(300);
  await sup.screenshot({ path: join(SHOTS, 'switchboard-chat-watch.png') });

  // The English UI: the panel's own words in English only.
  const en = await openWallboard('en');
  await en.locator(`[data-testid="watch-chat-agent1"][data-contact-id="${agent.id}"]`).click();
  await watched(en, 'agent', '发票今天开出').waitFor();
  const words = [
    await en.locator('[data-testid="watch-chat-agent1"]').innerText(),
    await byTestId(en, 'chat-watch-readonly').innerText(),
    await en.locator('.chat-watch-foot').innerText(),
  ].join(' ');
  assert.match(words, /Watch chat/);
  assert.match(words, /Read-only/);
  assert.doesNotMatch(words, /[\u4e00-\u9fff]/);
  await customerWrites(customer, 'one more');
  await watched(en, 'customer', 'one more').waitFor();
  assert.deepEqual([...sup.errors, ...en.errors], []);
});
