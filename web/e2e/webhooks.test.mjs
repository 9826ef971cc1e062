// Webhooks in the admin console (集成 → Webhook): an admin adds one for a receiver on loopback,
// copies the secret shown once, sees a contact's event delivered in the log, and redelivers it;
// the receiver checks every signature the way docs/webhooks.md tells integrators to.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { apiClient, byTestId, login, modalOpened, startBrowser, startServer } from './helpers.mjs';

let server;
let browser;
let receiver;
const received = [];

before(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('thanks');
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  // The receiver is on loopback, which a server refuses unless told otherwise.
  server = await startServer(['--webhook-allow-private']);
  browser = await startBrowser();
  await browser.page.goto(`${server.url}/login`);
  await login(browser.page, server.url, 'admin', 'switchboard');
  await browser.page.waitForURL(/\/admin\/users$/);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  receiver?.close();
});

const signed = (secret, r) =>
  r.headers['x-switchboard-signature'] ===
  'sha256=' + createHmac('sha256', secret).update(`${r.headers['x-switchboard-timestamp']}.${r.body}`).digest('hex');

async function waitFor(what, check, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await check();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('an admin adds a webhook, sees a delivery in its log and redelivers it', async () => {
  const { page } = browser;
  const url = `http://127.0.0.1:${receiver.address().port}/hook`;
  await byTestId(page, 'nav-webhooks').click();
  await page.waitForURL(/\/admin\/integrations\/webhooks$/);

  await byTestId(page, 'webhooks-add').click();
  await modalOpened(page);
  await byTestId(page, 'webhook-form-url').fill('ftp://nope');
  await byTestId(page, 'webhook-form-submit').click();
  await page.locator('.ant-modal .ant-form-item-explain-error', { hasText: '请输入 http:// 或 https:// 开头的地址' }).waitFor();
  await page.locator('.ant-modal .ant-form-item-explain-error', { hasText: '至少选择一个事件' }).waitFor();
  await byTestId(page, 'webhook-form-url').fill(url);
  await byTestId(page, 'webhook-form-description').fill('工单系统');
  await byTestId(page, 'webhook-event-contact.created').click();
  await byTestId(page, 'webhook-form-submit').click();
  const secretBox = byTestId(page, 'webhook-secret');
  await secretBox.waitFor();
  const secret = (await secretBox.innerText()).trim();
  assert.match(secret, /^whsec_[0-9a-f]{64}$/);
  await page.locator('.ant-modal-wrap:visible .ant-btn-primary').last().click();
  await byTestId(page, `webhook-row-${url}`).waitFor();
  assert.doesNotMatch(await byTestId(page, 'webhooks-table').innerText(), /whsec_/);

  // A contact created through the API reaches the receiver, signed.
  const admin = await apiClient(server.url).login('admin');
  const task = (await admin.get('/queues')).find((q) => q.channel === 'task');
  const contact = await admin.post('/contacts', { queue_id: task.id, title: '回访' });
  const first = await waitFor('the contact.created delivery', () => received.find((r) => r.body.includes(contact.id)));
  assert.equal(first.headers['x-switchboard-event'], 'contact.created');
  assert.ok(signed(secret, first), 'the signature verifies with the secret shown');

  await byTestId(page, `webhook-log-${url}`).click();
  const row = byTestId(page, 'delivery-row-contact.created');
  await waitFor('the delivery in the log', async () => {
    await byTestId(page, 'webhook-log-refresh').click();
    return (await row.count()) > 0 && (await row.locator('[data-testid="delivery-state-delivered"]').count()) > 0;
  });
  assert.match(await row.innerText(), /已送达/);

  await byTestId(page, 'delivery-redeliver-contact.created').click();
  await page.locator('.ant-message', { hasText: '已重新排队发送' }).waitFor();
  const again = await waitFor('the redelivery', () => {
    const got = received.filter((r) => r.body.includes(contact.id));
    return got.length >= 2 ? got[1] : null;
  });
  assert.equal(again.body, first.body, 'the same event, byte for byte');
  assert.equal(again.headers['x-switchboard-delivery'], first.headers['x-switchboard-delivery']);
  assert.ok(signed(secret, again));
  assert.deepEqual(browser.errors, []);
});
