// Custom customer fields in the browser (issue #16), in Chinese: an admin defines a choice field
// (with an English label) and a text field on the admin page — a code the server refuses is
// said under the code field, in Chinese, and nothing is saved — renames one and deletes a
// third; then a supervisor opens a customer, fills both fields, saves, reloads and sees them;
// the English UI shows the English label.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, login, modalOpened, pickOption, startSuite } from './helpers.mjs';

let server;
let browser;
let admin;

before(async () => {
  ({ server, browser, admin } = await startSuite());
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(loginName, lang) {
  const page = await browser.newPage(lang ? { lang } : undefined);
  await login(page, server.url, loginName, 'switchboard');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

/** Open the new-field dialog and fill it in. */
async function defineField(page, { code, label, labelEn, type, options }) {
  await byTestId(page, 'cfield-new').click();
  await modalOpened(page);
  await byTestId(page, 'cfield-code').fill(code);
  await byTestId(page, 'cfield-label').fill(label);
  if (labelEn) await byTestId(page, 'cfield-label-en').fill(labelEn);
  if (type) await pickOption(page, byTestId(page, 'cfield-type'), type);
  if (options) await byTestId(page, 'cfield-options').fill(options);
  await byTestId(page, 'cfield-save').click();
}

const row = (page, code) => page.locator(`[data-testid="cfield-row"][data-code="${code}"]`);

test('an admin defines customer fields, and a customer is saved with them', async () => {
  const page = await signedIn('admin');
  await byTestId(page, 'nav-customer-fields').click();
  await page.waitForURL(/\/admin\/customer-fields$/);
  await page.locator('.ant-table-placeholder').filter({ hasText: '还没有自定义字段' }).waitFor();

  // A code with capitals: the server refuses the list, the dialog says why under the code.
  await defineField(page, { code: 'Level', label: '会员等级', labelEn: 'Tier', type: '选项', options: '金卡\n银卡\n普通' });
  const codeItem = page.locator('.ant-modal .ant-form-item', { has: byTestId(page, 'cfield-code') });
  await codeItem.locator('.ant-form-item-explain-error', { hasText: '以小写字母开头' }).waitFor();
  assert.deepEqual((await admin.get('/customer-fields')).fields, [], 'nothing saved');
  await byTestId(page, 'cfield-code').fill('level');
  await byTestId(page, 'cfield-save').click();
  await row(page, 'level').filter({ hasText: '银卡' }).waitFor();

  await defineField(page, { code: 'member_no', label: '会员号' });
  await row(page, 'member_no').waitFor();
  await defineField(page, { code: 'spare', label: '备用' });
  await row(page, 'spare').waitFor();

  // Renamed: the code and type stay (the values are kept under the one, checked against the other).
  await byTestId(page, 'cfield-edit-member_no').click();
  await modalOpened(page);
  assert.equal(await byTestId(page, 'cfield-code').isDisabled(), true);
  assert.match(await byTestId(page, 'cfield-type').getAttribute('class'), /ant-select-disabled/, 'and its type');
  await byTestId(page, 'cfield-label').fill('会员卡号');
  await byTestId(page, 'cfield-save').click();
  await row(page, 'member_no').filter({ hasText: '会员卡号' }).waitFor();

  await byTestId(page, 'cfield-delete-spare').click();
  await page.locator('.ant-popconfirm .ant-btn-primary').click();
  await row(page, 'spare').waitFor({ state: 'detached' });
  const defs = (await admin.get('/customer-fields')).fields;
  assert.deepEqual(defs.map((d) => [d.code, d.label, d.label_en ?? null, d.type, d.options]), [
    ['level', '会员等级', 'Tier', 'option', ['金卡', '银卡', '普通']],
    ['member_no', '会员卡号', null, 'text', []],
  ]);

  // A supervisor fills the fields in on a customer's profile.
  const zhao = await admin.post('/customers', { name: '赵先生', phones: ['13700137000'] });
  const sv = await signedIn('supervisor');
  await sv.goto(`${server.url}/customers/${zhao.id}`);
  await byTestId(sv, 'customer-edit').click();
  await modalOpened(sv);
  await pickOption(sv, byTestId(sv, 'customer-field-level'), '银卡');
  await byTestId(sv, 'customer-field-member_no').fill('M-1001');
  await byTestId(sv, 'customer-save').click();
  await byTestId(sv, 'customer-field-view-level').filter({ hasText: '银卡' }).waitFor();

  await sv.reload();
  await byTestId(sv, 'customer-field-view-level').filter({ hasText: '银卡' }).waitFor();
  assert.equal(await byTestId(sv, 'customer-field-view-member_no').innerText(), 'M-1001');
  const label = sv.locator('.ant-descriptions-item-label', { hasText: '会员卡号' });
  assert.equal(await label.count(), 1, 'the renamed label');
  assert.deepEqual((await admin.get(`/customers/${zhao.id}`)).fields, { level: '银卡', member_no: 'M-1001' });

  // The English UI: the English label where there is one.
  const en = await signedIn('supervisor', 'en');
  await en.goto(`${server.url}/customers/${zhao.id}`);
  await en.locator('.ant-descriptions-item-label', { hasText: 'Tier' }).waitFor();
  for (const p of [page, sv, en]) assert.deepEqual(p.errors, []);
});
