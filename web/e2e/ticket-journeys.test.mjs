// Two ticket-center journeys end to end, in a real browser against the real server:
// 1. an agent creates a ticket from a task contact on the workbench (the form is pre-filled from
//    the contact), transfers it to a skill group with a note; a member of the group claims it,
//    starts and completes it, and the service trail tells the whole story (UI and API agree);
// 2. a supervisor downloads the import template, uploads a sheet with one bad row and gets the
//    per-row, per-column report (on screen and as a CSV file), then uploads the fixed sheet and
//    finds the new tickets in the "all" tab.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { byTestId, login, pickOption, screenshot, startSuite } from './helpers.mjs';

const TASK_QUEUE = '工单任务 Tasks';
const TIER2 = '售后服务 After-sales';
const TYPE = '售后工单 After-sales ticket';
const TEMPLATE = '标准模板 Standard';

let server;
let browser;
let api;
let admin;
/** login → user id */
let ids;

before(async () => {
  // Room to act on a slow machine: a long offer, no "no answer" rest, no summary needed.
  ({ server, browser, api, admin, ids } = await startSuite({ offer_timeout_s: 120, no_answer_limit: 0, summary_required: false }));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const popupClosed = (page) => page.waitForFunction(() => !document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)'));

/** Pick one option and wait until the popup has closed (consecutive picks otherwise race its animation). */
async function pickOne(page, select, text) {
  await pickOption(page, select, text);
  await popupClosed(page);
}

/** Wait until the input matched by `selector` holds exactly `value` (a pre-fill arrives asynchronously). */
async function waitValue(page, selector, value) {
  await page
    .waitForFunction(([sel, v]) => document.querySelector(sel)?.value === v, [selector, value], { timeout: 15_000 })
    .catch(async (e) => {
      const got = await page.locator(selector).inputValue().catch(() => '(missing)');
      throw new Error(`${selector} should hold ${JSON.stringify(value)}, holds ${JSON.stringify(got)}: ${e.message}`);
    });
}

/** Text without whitespace. */
const textOf = async (locator) => (await locator.innerText()).replace(/\s+/g, '');

const trailActions = (page) => page.locator('[data-testid="ticket-trail-entry"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
const trailEntry = (page, action, text) => page.locator(`[data-testid="ticket-trail-entry"][data-action="${action}"]`, text ? { hasText: text } : undefined);

/** Sign agents out through the supervisor API (no-op when already signed out). */
async function signOut(...logins) {
  for (const l of logins) {
    await admin.post(`/supervisor/agents/${ids[l]}/state`, { state: 'signed_out' }).catch((e) => {
      if (e.status !== 409) throw e;
    });
  }
}

test('an agent creates a ticket from a contact with pre-filled data, transfers it with a note, the receiver claims and completes it', async () => {
  const TITLE = '洗衣机漏水 E2E 旅程';
  const CUSTOMER = '13800138000';
  const ADDRESS = '深圳市南山区科技园1号';
  const NOTE = '客户要求上门维修，请售后同事安排时间';
  const queues = await admin.get('/queues');
  const taskQueue = queues.find((q) => q.name === TASK_QUEUE);
  const tier2 = queues.find((q) => q.name === TIER2);
  assert.ok(taskQueue && tier2, 'the demo queues');

  // ---- agent1 on the workbench: sign in, the task contact is offered and answered ----
  // Only agent1 may take the task: the other members of the task queue are signed out.
  await signOut('agent1', 'agent2', 'agent3');
  const page = await browser.newPage();
  await login(page, server.url, 'agent1', 'switchboard');
  await page.waitForURL(/\/workbench/);
  await byTestId(page, 'connection-bar').waitFor();
  await page.locator('[data-testid="connection-bar-live"][data-live="true"]').waitFor();
  await page.locator('[data-testid="connection-bar-state"][data-state="signed_out"]').waitFor();
  await byTestId(page, 'connection-bar-sign-in').click();
  await page.locator('[data-testid="connection-bar-state"][data-state="idle"]').waitFor();

  const contact = await admin.post('/contacts', { queue_id: taskQueue.id, title: TITLE, customer: CUSTOMER, data: { address: ADDRESS } });
  assert.equal(contact.channel, 'task');
  const card = page.locator(`[data-testid="contact-card"][data-contact-id="${contact.id}"]`);
  const offer = page.locator(`[data-testid="offer-card"][data-contact-id="${contact.id}"]`);
  // Offered (then answered here), or auto-answered straight to a connected card.
  await offer.or(card).first().waitFor();
  if (await offer.count()) {
    assert.equal(await offer.locator('[data-testid="offer-headline"]').innerText(), TITLE);
    await offer.locator('[data-testid="offer-answer"]').click();
  }
  await page.locator(`[data-testid="contact-card"][data-contact-id="${contact.id}"][data-state="connected"]`).waitFor();
  assert.equal(await card.locator('[data-testid="contact-data-address"]').innerText(), ADDRESS);

  // ---- create the ticket from the contact card: the form comes pre-filled ----
  await card.locator('[data-testid="contact-create-ticket"]').click();
  const form = byTestId(page, 'ticket-create-form');
  await form.waitFor();
  await pickOne(page, byTestId(page, 'ticket-create-type'), TYPE);
  await pickOne(page, byTestId(page, 'ticket-create-template'), TEMPLATE);
  await waitValue(page, '#f_title', TITLE);
  await waitValue(page, '#f_address', ADDRESS);
  await waitValue(page, '#f_customer', CUSTOMER);
  assert.match(await page.locator('.ant-modal-wrap:visible [data-testid="ticket-create-template"]').innerText(), /标准模板/);
  await pickOne(page, page.locator('#f_product'), '手表 Watch');
  await byTestId(page, 'ticket-create-submit').click();
  // Created from the workbench: a notification links to the new ticket, the contact stays.
  await byTestId(page, 'ticket-created-link').click();
  await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').pop();
  await byTestId(page, 'ticket-detail').waitFor();
  const number = (await byTestId(page, 'ticket-number').innerText()).trim();
  assert.match(number, /^T\d+$/);
  assert.equal(await byTestId(page, 'ticket-title').innerText(), TITLE);
  assert.equal(await byTestId(page, 'ticket-field-address').innerText(), ADDRESS);
  assert.match(await byTestId(page, 'ticket-field-product').innerText(), /手表/);
  assert.match(await byTestId(page, 'ticket-field-customer').innerText(), new RegExp(CUSTOMER));
  await page.locator('[data-testid="ticket-contact"]', { hasText: TITLE }).waitFor();
  await trailEntry(page, 'contact_linked').waitFor();
  assert.match(await byTestId(page, 'ticket-assignee').innerText(), /小红/);

  // ---- transfer to the tier-2 skill group: the note is required ----
  await byTestId(page, 'ticket-transfer').click();
  await pickOne(page, byTestId(page, 'ticket-transfer-group'), TIER2);
  await byTestId(page, 'ticket-transfer-ok').click();
  await page.locator('.ant-modal .ant-form-item-explain-error', { hasText: '请填写备注' }).waitFor();
  const agent1 = await api.login('agent1');
  assert.equal((await agent1.get(`/tickets/${id}`)).assignee_id, ids.agent1, 'nothing was transferred without the note');
  await byTestId(page, 'ticket-transfer-note').fill(NOTE);
  await byTestId(page, 'ticket-transfer-ok').click();
  await page.locator('[data-testid="ticket-assignee"]', { hasText: '待分配' }).waitFor();
  await trailEntry(page, 'transferred', NOTE).waitFor();
  assert.match(await trailEntry(page, 'transferred').innerText(), /售后服务/);
  // agent1 finds it under "transferred by me".
  await byTestId(page, 'nav-tickets').click();
  await byTestId(page, 'ticket-tab-transferred').click();
  await byTestId(page, `ticket-row-${number}`).waitFor();
  assert.deepEqual(page.errors, [], 'no uncaught page errors (agent1)');

  // ---- agent2, a member of the group, in a second browser context ----
  const p2 = await browser.newPage();
  await login(p2, server.url, 'agent2', 'switchboard');
  await p2.waitForURL(/\/workbench/);
  await byTestId(p2, 'nav-tickets').click();
  await byTestId(p2, 'ticket-center').waitFor();
  await byTestId(p2, 'ticket-tab-unassigned').click();
  await byTestId(p2, `ticket-row-${number}`).waitFor();
  const agent2 = await api.login('agent2');
  const counts = await agent2.get('/tickets/counts');
  assert.ok(counts.unassigned >= 1, 'the server counts it');
  await p2.locator(`[data-testid="ticket-count-unassigned"][data-count="${counts.unassigned}"]`).waitFor();
  assert.match(await byTestId(p2, 'ticket-tab-unassigned').innerText(), /我技能组待分配的/);
  await screenshot(p2, 'ticket-journey-unassigned.png');

  await byTestId(p2, `ticket-row-${number}`).click();
  await p2.waitForURL(new RegExp(`/tickets/${id}$`));
  await byTestId(p2, 'ticket-detail').waitFor();
  await byTestId(p2, 'ticket-claim').click();
  await p2.locator('[data-testid="ticket-assignee"]', { hasText: '小张' }).waitFor();
  assert.equal(await byTestId(p2, 'ticket-claim').count(), 0);
  assert.equal(await textOf(byTestId(p2, 'ticket-action-start')), '开始处理');
  await byTestId(p2, 'ticket-action-start').click();
  await p2.locator('[data-testid="ticket-detail"][data-status="processing"]').waitFor();
  // (antd spaces out two-character button labels: compare without spaces)
  assert.equal(await textOf(byTestId(p2, 'ticket-action-complete')), '完结');
  await byTestId(p2, 'ticket-action-complete').click();
  await p2.locator('.ant-popconfirm:visible .ant-btn-primary').click();
  await p2.locator('[data-testid="ticket-detail"][data-status="done"]').waitFor();

  // The trail, oldest first: created, contact linked, transferred with the note, claimed, two status changes.
  await p2.waitForFunction(() => document.querySelectorAll('[data-testid="ticket-trail-entry"][data-action="status"]').length === 2);
  assert.deepEqual(await trailActions(p2), ['created', 'contact_linked', 'transferred', 'claimed', 'status', 'status']);
  await trailEntry(p2, 'transferred', NOTE).waitFor();
  assert.match(await trailEntry(p2, 'claimed').innerText(), /小张.*领取了工单/);
  assert.match(await trailEntry(p2, 'status').nth(0).innerText(), /开始处理[\s\S]*新建 → 处理中/);
  assert.match(await trailEntry(p2, 'status').nth(1).innerText(), /完结[\s\S]*处理中 → 已完结/);
  await screenshot(p2, 'ticket-journey-done.png');

  // It now shows under "completed by me".
  await byTestId(p2, 'nav-tickets').click();
  await byTestId(p2, 'ticket-tab-completed').click();
  await byTestId(p2, `ticket-row-${number}`).waitFor();
  assert.match(await byTestId(p2, 'ticket-tab-completed').innerText(), /我完成的/);
  assert.deepEqual(p2.errors, [], 'no uncaught page errors (agent2)');

  // ---- the API agrees ----
  const ticket = await agent2.get(`/tickets/${id}`);
  assert.equal(ticket.status, 'done');
  assert.equal(ticket.status_category, 'closed');
  assert.equal(ticket.assignee_id, ids.agent2);
  assert.equal(ticket.group_id, tier2.id);
  assert.deepEqual(ticket.contact_ids, [contact.id]);
  assert.equal(ticket.fields.title, TITLE);
  assert.equal(ticket.fields.address, ADDRESS);
  assert.equal(ticket.fields.customer, CUSTOMER);
  assert.equal(ticket.fields.product, 'watch');
  const trail = await agent2.get(`/tickets/${id}/trail`);
  assert.deepEqual(trail.map((e) => e.action), ['created', 'contact_linked', 'transferred', 'claimed', 'status', 'status']);
  assert.deepEqual(trail.map((e) => e.actor_id), [ids.agent1, ids.agent1, ids.agent1, ids.agent2, ids.agent2, ids.agent2]);
  assert.equal(trail[1].detail.contact_id, contact.id);
  assert.equal(trail[2].detail.to_group_id, tier2.id);
  assert.equal(trail[2].detail.note, NOTE);
  assert.deepEqual([trail[4].detail.action, trail[4].detail.from, trail[4].detail.to], ['start', 'new', 'processing']);
  assert.deepEqual([trail[5].detail.action, trail[5].detail.from, trail[5].detail.to], ['complete', 'processing', 'done']);
  assert.ok(!(await agent2.get('/tickets?tab=unassigned')).items.some((r) => r.id === id), 'no longer waiting in the group');
  assert.ok((await agent2.get('/tickets?tab=completed')).items.some((r) => r.id === id));

  await page.context().close();
  await p2.context().close();
});

/** RFC 4180 CSV with a BOM and CRLF line ends, as Excel writes "CSV UTF-8". */
const csvOf = (rows) => '\uFEFF' + rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';

test('an import with one bad row is refused with the report, the fixed sheet imports', async () => {
  const sup = await api.login('supervisor');
  const type = (await sup.get('/ticket-types')).find((x) => x.name === TYPE);
  assert.ok(type, 'the demo ticket type');
  const label = (code) => type.fields.find((f) => f.code === code).label;

  const page = await browser.newPage();
  await login(page, server.url, 'supervisor', 'switchboard');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.goto(`${server.url}/tickets`);
  await byTestId(page, 'ticket-center').waitFor();
  await byTestId(page, 'ticket-import').click();
  const dialog = page.locator('.ant-modal-wrap:visible');
  await byTestId(page, 'ticket-import-type').waitFor();
  await pickOne(page, byTestId(page, 'ticket-import-type'), TYPE);
  await pickOne(page, byTestId(page, 'ticket-import-template'), TEMPLATE);

  // The template is a real .xlsx (a zip: "PK").
  const templateDownload = page.waitForEvent('download');
  await byTestId(page, 'ticket-import-download-template').click();
  const templateFile = await templateDownload;
  assert.match(templateFile.suggestedFilename(), /\.xlsx$/);
  const xlsx = readFileSync(await templateFile.path());
  assert.ok(xlsx.length > 100, 'the template has content');
  assert.equal(xlsx.subarray(0, 2).toString('latin1'), 'PK');

  // A sheet laid out like the template (codes, then labels, data from row 3) with one bad row:
  // row 4 has a malformed phone and a product that is not an option.
  const codes = ['title', 'customer', 'phone', 'product', 'order_no', 'address'];
  const titles = ['导入 E2E 冰箱不制冷', '导入 E2E 屏幕碎裂', '导入 E2E 耳机断连'];
  const rows = (badRow) => [
    codes,
    codes.map(label),
    [titles[0], '王先生', '13900139000', '手机 Phone', 'SO-E2E-1', '广州市天河区体育西路1号'],
    badRow,
    [titles[2], '赵女士', '+86 137-0013-7000', 'earbuds', 'SO-E2E-3', ''],
  ];
  const bad = csvOf(rows([titles[1], '李先生', 'call-me-12', '平板 Tablet', 'SO-E2E-2', '北京市海淀区中关村1号']));
  const fixed = csvOf(rows([titles[1], '李先生', '010-6275 1234', '手表 Watch', 'SO-E2E-2', '北京市海淀区中关村1号']));
  const fileInput = dialog.locator('input[type="file"]');

  await fileInput.setInputFiles({ name: 'tickets-bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'utf8') });
  await dialog.locator('.ant-upload-list', { hasText: 'tickets-bad.csv' }).waitFor();
  await byTestId(page, 'ticket-import-submit').click();
  const rejected = byTestId(page, 'ticket-import-rejected');
  await rejected.waitFor();
  assert.match(await rejected.locator('.ant-alert').innerText(), /共 2 处错误/);
  const cells = await rejected
    .locator('.ant-table-tbody tr.ant-table-row')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
  assert.deepEqual(cells.map(([row, column]) => `${row}:${column}`).sort(), ['4:phone', '4:product']);
  for (const [, , message] of cells) assert.ok(message, 'each error says what is wrong');
  await screenshot(page, 'ticket-import-rejected.png');
  const allRows = async () => (await sup.get('/tickets?tab=all&limit=200')).items;
  assert.ok(!(await allRows()).some((r) => titles.includes(r.title)), 'nothing imported');

  // The report as a CSV file: the same rows and columns.
  const reportDownload = page.waitForEvent('download');
  await byTestId(page, 'ticket-import-report').click();
  const reportFile = await reportDownload;
  assert.match(reportFile.suggestedFilename(), /^tickets-bad-.*\.csv$/);
  const report = readFileSync(await reportFile.path(), 'utf8');
  assert.ok(report.startsWith('\uFEFF'), 'the report has a BOM for Excel');
  const lines = report.slice(1).split('\r\n').filter(Boolean);
  assert.equal(lines[0], '行,列,错误');
  assert.deepEqual(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(',')), ['4,phone', '4,product']);

  // The fixed sheet: all three rows are created.
  await fileInput.setInputFiles({ name: 'tickets-fixed.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed, 'utf8') });
  await dialog.locator('.ant-upload-list', { hasText: 'tickets-fixed.csv' }).waitFor();
  await rejected.waitFor({ state: 'detached' }); // a new file clears the old report
  await byTestId(page, 'ticket-import-submit').click();
  await page.locator('[data-testid="ticket-import-created"]', { hasText: '共创建 3 张工单' }).waitFor();
  // The imported sheet is let go: a second click cannot import the same rows again.
  assert.ok(await byTestId(page, 'ticket-import-submit').isDisabled(), 'nothing left to upload');
  await dialog.locator('.ant-upload-list-item', { hasText: 'tickets-fixed.csv' }).waitFor({ state: 'detached' });
  await screenshot(page, 'ticket-import-created.png');
  const listed = await allRows();
  const imported = titles.map((title) => {
    const rows = listed.filter((r) => r.title === title);
    assert.equal(rows.length, 1, title);
    return rows[0];
  });
  const second = await sup.get(`/tickets/${imported[1].id}`);
  assert.equal(second.fields.product, 'watch');
  assert.equal(second.fields.phone, '010-6275 1234');
  assert.equal(second.fields.address, '北京市海淀区中关村1号');
  assert.equal((await sup.get(`/tickets/${imported[1].id}/trail`))[0].action, 'imported');

  // Close the dialog; the tickets are in the list under "all".
  await dialog.locator('.ant-modal-footer button:not(.ant-btn-primary)').click();
  await page.waitForFunction(() => ![...document.querySelectorAll('.ant-modal-wrap')].some((el) => getComputedStyle(el).display !== 'none'));
  await byTestId(page, 'ticket-tab-all').click();
  for (const row of imported) await byTestId(page, `ticket-row-${row.number}`).waitFor();
  assert.match(await byTestId(page, `ticket-row-${imported[1].number}`).innerText(), /屏幕碎裂/);
  const all = (await sup.get('/tickets/counts')).all;
  assert.ok(all >= 3);
  await page.locator(`[data-testid="ticket-count-all"][data-count="${all}"]`).waitFor();
  await screenshot(page, 'ticket-import-list.png');
  assert.deepEqual(page.errors, [], 'no uncaught page errors');
  await page.context().close();
});
