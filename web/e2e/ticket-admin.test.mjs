// Ticket setup (issue #5) in a real browser: the admin defines a ticket type with a custom
// single-select field and an "escalate" action that requires a note, saves it, builds a template
// with the new field, and both persist after a reload; a concurrent save is reported as stale;
// the category tree refuses to delete a category in use; the management view shows the figures
// of tickets created through the API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, byTestId, launchBrowser, login, pickOption, screenshot, startServer } from './helpers.mjs';

const TYPE = '投诉工单 E2E';
const TEMPLATE = '投诉模板 E2E';

let server;
let browser;
let page;
let admin;
let typeId;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(`${server.url}/login`);
  await login(page, server.url, 'admin', 'switchboard');
  await page.waitForURL(/\/admin\/users$/);
  admin = await apiClient(server.url).login('admin');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const inModal = (id) => page.locator(`.ant-modal-wrap:visible [data-testid="${id}"]`).first();

const popupClosed = () => page.waitForFunction(() => !document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)'));

/** Pick one option and wait until the popup has closed (consecutive picks otherwise race its animation). */
async function pickOne(select, text) {
  await pickOption(page, select, text);
  await popupClosed();
}

/**
 * Pick several options of a multiple Select, then close its popup. Each pick is checked: on a
 * loaded machine a click could miss the option (CI once saw one of two picks lost), so it is
 * clicked again, only while it does not show as selected.
 */
async function pickMany(select, texts) {
  const root = select.locator('xpath=ancestor-or-self::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  const open = '.ant-select-dropdown:not(.ant-select-dropdown-hidden)';
  for (const text of texts) {
    const option = page.locator(`${open} .ant-select-item-option`).filter({ hasText: text }).first();
    const selected = page.locator(`${open} .ant-select-item-option-selected`).filter({ hasText: text }).first();
    for (let attempt = 0; attempt < 3 && !(await selected.isVisible()); attempt++) {
      if (!(await option.isVisible())) await root.locator('.ant-select-selector').click();
      await option.click();
      await selected.waitFor({ timeout: 3000 }).catch(() => {});
    }
    await selected.waitFor({ timeout: 1000 });
  }
  await page.keyboard.press('Escape');
  await popupClosed();
}

async function waitModalGone() {
  await page.waitForFunction(() => ![...document.querySelectorAll('.ant-modal-wrap')].some((el) => getComputedStyle(el).display !== 'none'));
}

test('the admin defines a type with a custom select field and a note-requiring escalate action; it persists', async () => {
  await byTestId(page, 'nav-ticket-types').click();
  await byTestId(page, 'type-row-售后工单 After-sales ticket').waitFor();

  await byTestId(page, 'types-add').click();
  await inModal('type-form-name').fill(TYPE);
  await inModal('type-form-description').fill('客户投诉的处理');
  await byTestId(page, 'type-form-submit').click();
  await page.waitForURL(/\/admin\/ticket-types\/[0-9a-f-]{36}$/);
  typeId = page.url().split('/').pop();
  await byTestId(page, 'field-row-title').waitFor();
  // A new type starts with the seven system fields and the default workflow.
  assert.equal(await page.locator('[data-testid^="field-row-"]').count(), 7);

  // A custom single-select field with two options.
  await byTestId(page, 'field-add').click();
  await inModal('field-form-code').fill('Severity');
  await inModal('field-form-label').fill('严重程度');
  await pickOne(inModal('field-form-type'), '单选');
  await inModal('opt-add').click();
  await inModal('opt-add').click();
  await inModal('opt-value-0').fill('minor');
  await inModal('opt-label-0').fill('一般');
  await inModal('opt-value-1').fill('major');
  await inModal('opt-label-1').fill('严重');
  await byTestId(page, 'field-form-submit').click();
  // The code pattern is checked before anything is sent.
  await page.locator('.ant-modal-wrap:visible .ant-form-item-explain-error').filter({ hasText: '小写字母' }).waitFor();
  await inModal('field-form-code').fill('severity');
  await screenshot(page, 'switchboard-ticket-field-dialog.png');
  await byTestId(page, 'field-form-submit').click();
  await waitModalGone();
  const row = byTestId(page, 'field-row-severity');
  await row.waitFor();
  assert.match(await row.innerText(), /严重程度[\s\S]*自定义[\s\S]*单选[\s\S]*2 个选项/);
  await byTestId(page, 'type-dirty').waitFor();

  // The workflow action "escalate": from new and processing back to new, a note required, to tier 2.
  await byTestId(page, 'type-tab-workflow').click();
  await byTestId(page, 'action-add').click();
  await inModal('action-form-code').fill('escalate');
  await inModal('action-form-label').fill('升级二线');
  await pickMany(inModal('action-form-from'), ['新建 (new)', '处理中 (processing)']);
  await pickOne(inModal('action-form-to'), '新建 (new)');
  await inModal('action-form-note').click();
  await pickMany(inModal('action-form-fields'), ['严重程度 (severity)']);
  await pickOne(inModal('action-form-group'), '售后服务');
  await byTestId(page, 'action-form-submit').click();
  await waitModalGone();
  const action = byTestId(page, 'action-row-escalate');
  await action.waitFor();
  assert.match(await action.innerText(), /升级二线[\s\S]*新建[\s\S]*处理中[\s\S]*新建[\s\S]*是[\s\S]*严重程度[\s\S]*售后服务/);
  assert.match(await byTestId(page, 'transitions-table').innerText(), /升级二线/);
  await byTestId(page, 'wf-diagram').locator('text=升级二线').first().waitFor();
  await screenshot(page, 'switchboard-ticket-workflow.png');

  await byTestId(page, 'type-save').click();
  await byTestId(page, 'type-dirty').waitFor({ state: 'detached' });

  // Stored as sent.
  const stored = await admin.get(`/ticket-types/${typeId}`);
  assert.equal(stored.version, 2);
  const severity = stored.fields.find((f) => f.code === 'severity');
  assert.deepEqual(
    { kind: severity.kind, type: severity.type, options: severity.options },
    { kind: 'custom', type: 'single_select', options: [{ value: 'minor', label: '一般' }, { value: 'major', label: '严重' }] },
  );
  const escalate = stored.workflow.actions.find((a) => a.code === 'escalate');
  assert.equal(escalate.requires_note, true);
  assert.deepEqual(escalate.from, ['new', 'processing']);
  assert.equal(escalate.to, 'new');
  assert.deepEqual(escalate.required_fields, ['severity']);
  assert.ok(escalate.assign_group_id);

  // And after a reload of the page.
  await page.reload();
  await byTestId(page, 'field-row-severity').waitFor();
  await byTestId(page, 'type-tab-workflow').click();
  assert.match(await byTestId(page, 'action-row-escalate').innerText(), /升级二线[\s\S]*是/);
});

test('a save over someone else\'s newer version is refused as stale and offers a reload', async () => {
  await page.goto(`${server.url}/admin/ticket-types/${typeId}`);
  await byTestId(page, 'type-tab-basics').click();
  await byTestId(page, 'type-description').fill('浏览器中的修改');

  // Meanwhile another admin saves the type.
  const current = await admin.get(`/ticket-types/${typeId}`);
  const { id: _id, ...rest } = current;
  await admin.put(`/ticket-types/${typeId}`, { ...rest, description: '另一位管理员的修改' });

  await byTestId(page, 'type-save').click();
  await byTestId(page, 'type-stale').waitFor();
  await page.locator('.ant-modal-confirm:visible .ant-btn-primary').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="type-description"]')?.value === '另一位管理员的修改');
  assert.equal(await byTestId(page, 'type-dirty').count(), 0);
});

test('a template with the new field is built with a live preview and persists after a reload', async () => {
  await byTestId(page, 'nav-ticket-templates').click();
  await pickOne(byTestId(page, 'tpl-type'), TYPE);
  await page.waitForURL(new RegExp(`type=${typeId}`));
  await byTestId(page, 'tpl-add').click();
  await inModal('tpl-form-name').fill(TEMPLATE);
  // The title is always in; add the new field, make it full width, and put it right after the title.
  await byTestId(page, 'tpl-item-title').waitFor();
  assert.ok(await byTestId(page, 'tpl-remove-title').isDisabled());
  await pickOne(inModal('tpl-add-field'), '严重程度');
  await pickOne(inModal('tpl-add-field'), '电话');
  await pickOne(inModal('tpl-add-field'), '客户');
  await byTestId(page, 'tpl-item-severity').waitFor();
  await byTestId(page, 'tpl-width-severity').getByText('整行').click();
  await byTestId(page, 'tpl-up-severity').waitFor();
  // Order now: title, severity, phone, customer; move customer above phone.
  await byTestId(page, 'tpl-up-customer').click();
  const preview = byTestId(page, 'tpl-preview');
  await preview.locator('[data-testid="tpl-preview-severity"]').waitFor();
  assert.match(await preview.innerText(), /标题[\s\S]*严重程度[\s\S]*客户[\s\S]*电话/);
  // Customer and phone are half width: they share one row of the two-column grid.
  const rows = await preview.locator('.tkcfg-preview-row').evaluateAll((els) => els.map((e) => e.innerText.replace(/\s+/g, ' ').trim()));
  assert.equal(rows.length, 3);
  assert.match(rows[2], /客户.*电话/);
  await screenshot(page, 'switchboard-ticket-template.png');
  await byTestId(page, 'tpl-form-submit').click();
  await byTestId(page, `tpl-row-${TEMPLATE}`).waitFor();

  await page.reload();
  const row = byTestId(page, `tpl-row-${TEMPLATE}`);
  await row.waitFor();
  assert.match(await row.innerText(), /标题[\s\S]*严重程度[\s\S]*客户[\s\S]*电话/);
  const [tpl] = (await admin.get(`/ticket-templates?type_id=${typeId}`)).filter((x) => x.name === TEMPLATE);
  assert.deepEqual(tpl.fields, [
    { code: 'title', width: 'full' },
    { code: 'severity', width: 'full' },
    { code: 'customer', width: 'half' },
    { code: 'phone', width: 'half' },
  ]);
});

test('a category with sub-categories cannot be deleted; a new child appears in the tree', async () => {
  await byTestId(page, 'nav-ticket-categories').click();
  await byTestId(page, 'category-售后服务 After-sales').waitFor();
  await byTestId(page, 'category-add-咨询 Enquiries').click();
  await inModal('category-form-name').fill('产品咨询 E2E');
  await byTestId(page, 'category-form-submit').click();
  await byTestId(page, 'category-产品咨询 E2E').waitFor();

  await byTestId(page, 'category-delete-售后服务 After-sales').click();
  await page.locator('.ant-popconfirm:visible .ant-btn-primary').click();
  await byTestId(page, 'category-in-use').waitFor();
  assert.match(await byTestId(page, 'category-in-use').innerText(), /子分类/);
  await page.locator('.ant-modal-confirm:visible .ant-btn-primary').click();
  assert.equal(await byTestId(page, 'category-售后服务 After-sales').count(), 1);
});

test('the management view shows the figures of tickets created through the API', async () => {
  await admin.post('/tickets', { type_id: typeId, fields: { title: '包装破损投诉', severity: 'major' } });
  await admin.post('/tickets', { type_id: typeId, fields: { title: '送货延迟投诉', severity: '一般' } });

  await byTestId(page, 'nav-ticket-stats').click();
  await page.waitForURL(/\/supervisor\/tickets$/);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="tkstats-created"]')?.textContent) >= 2);
  assert.ok(Number(await byTestId(page, 'tkstats-backlog').innerText()) >= 2);
  assert.match(await byTestId(page, 'tkstats-by-type').innerText(), new RegExp(`${TYPE}\\s+2\\s+2\\s+0\\s+2`));
  const today = await byTestId(page, 'tkstats-chart').locator('[data-testid^="tkstats-day-"]').last().getAttribute('data-testid');
  const day = byTestId(page, today);
  assert.ok((await day.locator('rect').count()) >= 2, 'a bar for today');

  // Filtering by the new type narrows the totals to its two tickets.
  await pickOne(byTestId(page, 'tkstats-type'), TYPE);
  await page.waitForFunction(() => document.querySelector('[data-testid="tkstats-created"]')?.textContent === '2');
  await byTestId(page, 'tkstats-refresh').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="tkstats-created"]')?.textContent === '2');
  await screenshot(page, 'switchboard-ticket-stats.png');
  assert.deepEqual(page.errors, []);
});

test('a type that tickets use is not deleted; the admin deactivates it instead', async () => {
  await byTestId(page, 'nav-ticket-types').click();
  await byTestId(page, `type-delete-${TYPE}`).click();
  await page.locator('.ant-popconfirm:visible .ant-btn-primary').click();
  await byTestId(page, 'type-in-use').waitFor();
  await page.locator('.ant-modal-confirm:visible .ant-btn-primary').click();
  await page.waitForFunction((name) => document.querySelector(`[data-testid="type-active-${name}"]`)?.getAttribute('aria-checked') === 'false', TYPE);
  assert.equal((await admin.get(`/ticket-types/${typeId}`)).active, false);
  assert.match(await byTestId(page, `type-row-${TYPE}`).innerText(), /已停用/);
});
