// The ticket center against the real server: an agent creates a ticket from the generated
// form (client and server field checks), works it (note, flag, edit, workflow action with a
// required note), sees the service trail, gets a stale-edit warning and a reminder over the
// live socket; the list finds it by quick search and exports it. A ticket waiting in a skill
// group is claimed and completed by a member, and a supervisor reopens it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { apiClient, byTestId, launchBrowser, login, pickOption, screenshot, startServer } from './helpers.mjs';

let server;
let browser;
let api;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  api = apiClient(server.url);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const trailActions = (page) => page.locator('[data-testid="ticket-trail-entry"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));

test('an agent creates and works a ticket in the ticket center', async () => {
  const page = await browser.newPage();
  await login(page, server.url, 'agent1', 'switchboard');
  await page.waitForURL(/\/workbench/);
  await byTestId(page, 'nav-tickets').click();
  await byTestId(page, 'ticket-center').waitFor();
  await byTestId(page, 'ticket-count-processing').waitFor();

  // Create: the form comes from the demo type's template; the phone is checked like the server does.
  await byTestId(page, 'ticket-create').click();
  await byTestId(page, 'ticket-create-form').waitFor();
  await page.locator('#f_title').fill('耳机没有声音 E2E');
  await page.locator('#f_phone').fill('call me');
  await byTestId(page, 'ticket-create-submit').click();
  await page.locator('.ant-form-item-explain-error', { hasText: '电话号码格式不正确' }).waitFor();
  await page.locator('#f_phone').fill('+86 138-0013-8000');
  await pickOption(page, page.locator('#f_product'), '耳机');
  await byTestId(page, 'ticket-create-submit').click();
  await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').pop();
  await byTestId(page, 'ticket-detail').waitFor();
  const number = (await byTestId(page, 'ticket-number').innerText()).trim();
  assert.match(number, /^T\d+$/);
  assert.equal(await byTestId(page, 'ticket-title').innerText(), '耳机没有声音 E2E');
  assert.match(await byTestId(page, 'ticket-field-product').innerText(), /耳机/);
  await page.locator('[data-testid="ticket-trail-entry"][data-action="created"]').waitFor();

  // A follow-up note and my flag.
  await byTestId(page, 'ticket-note').fill('已请客户重启耳机');
  await byTestId(page, 'ticket-note-add').click();
  await page.locator('[data-testid="ticket-trail-entry"][data-action="note"]', { hasText: '已请客户重启耳机' }).waitFor();
  await byTestId(page, 'ticket-flag').click();
  await byTestId(page, 'ticket-flag-red').click();
  await page.locator('[data-testid="ticket-flag"][data-flag="red"]').waitFor();

  // Edit: a changed field shows in the trail as from → to.
  await byTestId(page, 'ticket-edit').click();
  await page.locator('[data-testid="ticket-edit-form"] #f_order_no').fill('SO-20261121');
  await byTestId(page, 'ticket-edit-save').click();
  await page.locator('[data-testid="ticket-trail-entry"][data-action="edited"]', { hasText: 'SO-20261121' }).waitFor();

  // A stale edit: someone saves in between, the UI says so and reloads.
  const a1 = await api.login('agent1');
  await byTestId(page, 'ticket-edit').click();
  const current = await a1.get(`/tickets/${id}`);
  await a1.patch(`/tickets/${id}`, { version: current.version, fields: { order_no: 'SO-OTHER' } });
  await page.locator('[data-testid="ticket-edit-form"] #f_order_no').fill('SO-MINE');
  await byTestId(page, 'ticket-edit-save').click();
  await page.locator('.ant-modal-confirm-title', { hasText: '工单已被他人修改' }).waitFor();
  await page.locator('.ant-modal-confirm-btns button').click();
  await page.locator('[data-testid="ticket-field-order_no"]', { hasText: 'SO-OTHER' }).waitFor();

  // Workflow: start, then escalate (a note is required) to tier 2, unassigned.
  await byTestId(page, 'ticket-action-start').click();
  await page.locator('[data-testid="ticket-trail-entry"][data-action="status"]').first().waitFor();
  await byTestId(page, 'ticket-action-escalate').click();
  await byTestId(page, 'ticket-action-ok').click();
  await page.locator('.ant-modal .ant-form-item-explain-error', { hasText: '请填写备注' }).waitFor();
  await byTestId(page, 'ticket-action-note').fill('需要二线检测');
  await byTestId(page, 'ticket-action-ok').click();
  await page.locator('[data-testid="ticket-assignee"]', { hasText: '待分配' }).waitFor();
  const actions = await trailActions(page);
  for (const a of ['created', 'note', 'edited', 'status']) assert.ok(actions.includes(a), `${a} in ${actions}`);

  // A reminder fires over the live socket as a notification with a link to the ticket.
  await a1.post(`/tickets/${id}/reminders`, { at: new Date(Date.now() + 2500).toISOString(), note: '回访客户' });
  await byTestId(page, 'nav-tickets').click();
  await byTestId(page, 'ticket-center').waitFor();
  await byTestId(page, 'ticket-reminder-notification').waitFor({ timeout: 20_000 });
  await byTestId(page, 'ticket-notification-open').click();
  await page.waitForURL(new RegExp(`/tickets/${id}$`));
  await byTestId(page, 'ticket-detail').waitFor();
  await screenshot(page, 'tickets-detail.png');

  // The list: the "created by me" tab, quick search by number, export.
  await byTestId(page, 'nav-tickets').click();
  await byTestId(page, 'ticket-tab-created').click();
  await page.locator('input[data-testid="ticket-search-q"]').fill(number);
  await page.locator('input[data-testid="ticket-search-q"]').press('Enter');
  await byTestId(page, `ticket-row-${number}`).waitFor();
  const download = page.waitForEvent('download');
  await byTestId(page, 'ticket-export').click();
  await byTestId(page, 'ticket-export-csv').click();
  const file = await download;
  const csv = readFileSync(await file.path(), 'utf8');
  assert.ok(csv.startsWith('\uFEFF'), 'CSV export starts with a BOM');
  assert.ok(csv.includes(number), 'the export holds the ticket');
  // For people: columns by name, options by label, times with their offset.
  assert.ok(csv.startsWith('\uFEFF工单编号,标题,工单类型,状态,优先级'), csv.slice(0, 80));
  const line = csv.split('\r\n').find((l) => l.includes(number));
  assert.match(line, /耳机 Earbuds/);
  assert.match(line, /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00/);
  await screenshot(page, 'tickets-list.png');
  assert.deepEqual(page.errors, []);
});

test('a group member claims and completes a ticket, a supervisor reopens it', async () => {
  const a1 = await api.login('agent1');
  const tier2 = (await a1.get('/queues')).find((q) => q.name.startsWith('售后服务'));
  assert.ok(tier2, 'the demo tier-2 queue');
  const type = (await a1.get('/ticket-types')).find((x) => x.active);
  const created = await a1.post('/tickets', { type_id: type.id, group_id: tier2.id, fields: { title: '手表无法开机 E2E' } });

  const page = await browser.newPage({ lang: 'en' });
  await login(page, server.url, 'agent2', 'switchboard');
  await page.waitForURL(/\/workbench/);
  await byTestId(page, 'nav-tickets').click();
  await byTestId(page, 'ticket-tab-unassigned').click();
  await byTestId(page, `ticket-row-${created.number}`).waitFor();
  assert.ok(Number(await byTestId(page, 'ticket-count-unassigned').getAttribute('data-count')) >= 1, 'the tab counts it');
  // The built-in statuses, actions and system fields speak English in the English UI.
  assert.match(await byTestId(page, `ticket-row-${created.number}`).innerText(), /\bNew\b/);
  await byTestId(page, `ticket-row-${created.number}`).click();
  await byTestId(page, 'ticket-detail').waitFor();
  await byTestId(page, 'ticket-claim').click();
  await page.locator('[data-testid="ticket-assignee"]', { hasText: 'Zhang' }).waitFor();
  assert.equal((await byTestId(page, 'ticket-status').innerText()).trim(), 'New');
  assert.equal((await byTestId(page, 'ticket-action-start').innerText()).trim(), 'Start');
  const systemWords = /标题|客户|优先级|截止时间|描述|新建|处理中|已完结|开始处理|等待反馈/;
  assert.doesNotMatch(await byTestId(page, 'ticket-detail').innerText(), systemWords);
  await byTestId(page, 'ticket-action-start').click();
  await byTestId(page, 'ticket-action-complete').waitFor();
  await byTestId(page, 'ticket-action-complete').click();
  await page.locator('.ant-popconfirm .ant-btn-primary').click();
  await page.locator('[data-testid="ticket-detail"][data-status="done"]').waitFor();
  await page.locator('[data-testid="ticket-trail-entry"][data-action="claimed"]', { hasText: 'claimed the ticket' }).waitFor();
  assert.equal((await byTestId(page, 'ticket-status').innerText()).trim(), 'Done');
  await page.locator('[data-testid="ticket-trail-entry"][data-action="status"]', { hasText: 'Complete' }).waitFor();
  assert.doesNotMatch(await byTestId(page, 'ticket-detail').innerText(), systemWords);
  assert.equal(await byTestId(page, 'ticket-claim').count(), 0);
  // The English UI exports in English.
  await byTestId(page, 'nav-tickets').click();
  await byTestId(page, 'ticket-tab-completed').click();
  await byTestId(page, `ticket-row-${created.number}`).waitFor();
  const download = page.waitForEvent('download');
  await byTestId(page, 'ticket-export').click();
  await byTestId(page, 'ticket-export-csv').click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  assert.ok(csv.startsWith('\uFEFFNumber,Title,Type,Status,Priority'), csv.slice(0, 80));
  assert.match(csv.split('\r\n').find((l) => l.includes(created.number)), /,Done,Normal,/);
  assert.deepEqual(page.errors, []);

  const sup = await browser.newPage();
  await login(sup, server.url, 'supervisor', 'switchboard');
  await sup.waitForURL((u) => !u.pathname.startsWith('/login'));
  await sup.goto(`${server.url}/tickets/${created.id}`);
  await byTestId(sup, 'ticket-reopen').click();
  // The dialog is up (its note field shown) before OK is pressed without a note.
  await byTestId(sup, 'ticket-reopen-note').waitFor();
  await byTestId(sup, 'ticket-reopen-ok').click();
  await sup.locator('.ant-modal .ant-form-item-explain-error').first().waitFor();
  await byTestId(sup, 'ticket-reopen-note').fill('客户说手表还是开不了机');
  await byTestId(sup, 'ticket-reopen-ok').click();
  await sup.locator('[data-testid="ticket-trail-entry"][data-action="reopened"]', { hasText: '重新打开' }).waitFor();
  await sup.locator('[data-testid="ticket-detail"][data-status="new"]').waitFor();
  assert.deepEqual(sup.errors, []);
});
