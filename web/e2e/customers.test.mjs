// The customer directory in the browser, in Chinese: a supervisor finds a customer by a Chinese
// word of her notes, merges the record of her phone calls into hers (the duplicate found by its
// number), and opens her profile with the whole service history — the task about her number,
// the ticket with it — whose ticket entry opens the ticket's page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, byTestId, login, startBrowser, startServer } from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a customer is found, merged with a duplicate and opened with their history', async () => {
  const { page } = browser;
  const api = apiClient(server.url);
  const admin = await api.login('admin');
  // A task about a number and a ticket with it: the directory knows the caller by the number.
  const queues = await admin.get('/queues');
  const tasks = queues.find((q) => q.name.startsWith('工单任务'));
  await admin.post('/contacts', { queue_id: tasks.id, title: '回访快递', customer: '139 0013 9000' });
  const types = await admin.get('/ticket-types');
  const ticket = await admin.post('/tickets', { type_id: types[0].id, fields: { title: '快递丢件', phone: '13900139000' } });
  // The same person, known by name and e-mail from elsewhere.
  const wang = await admin.post('/customers', { name: '王女士', emails: ['wang@example.com'], notes: '快递丢了，要求退货', tags: ['VIP'] });

  await page.goto(`${server.url}/login`);
  await login(page, server.url, 'supervisor', 'switchboard');
  await byTestId(page, 'nav-customers').click();
  await page.waitForURL(/\/customers$/);
  await byTestId(page, 'customers-search').fill('退货');
  await byTestId(page, 'customers-search').press('Enter');
  const rows = byTestId(page, 'customer-row');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="customer-row"]').length === 1);
  assert.equal(await rows.first().getAttribute('data-id'), wang.id);
  await rows.first().click();
  await page.waitForURL(new RegExp(`/customers/${wang.id}$`));
  assert.equal(await byTestId(page, 'customer-title').innerText(), '王女士');

  // The duplicate: the record of her calls, found by her number as people write it.
  await byTestId(page, 'customer-merge').click();
  await byTestId(page, 'merge-search').fill('139-0013-9000');
  await byTestId(page, 'merge-search').press('Enter');
  await byTestId(page, 'merge-candidate').first().click();
  await page.locator('.ant-modal .ant-descriptions', { hasText: '+8613900139000' }).waitFor();
  await byTestId(page, 'merge-confirm').click();
  await page.locator('[data-testid="customer-phones-view"]', { hasText: '+8613900139000' }).waitFor();

  // Her history: the task about her number and the ticket with it, newest first.
  await byTestId(page, 'customer-trail').waitFor();
  const kinds = await byTestId(page, 'trail-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
  assert.deepEqual([...kinds].sort(), ['task', 'ticket']);
  await byTestId(page, 'trail-open-ticket').click();
  await page.waitForURL(new RegExp(`/tickets/${ticket.id}$`));

  // The merged record now points at her.
  const merged = await (await api.login('supervisor')).get('/customers?q=13900139000');
  assert.deepEqual(merged.items.map((c) => c.id), [wang.id]);
});
