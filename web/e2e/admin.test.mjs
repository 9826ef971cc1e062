// Admin console details: bulk import, roles, category tags, password reset, deactivation, the document
// library, team canned replies, chat entry points and the message recall limit.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, byTestId, closeModal, dropLeftoverModal, login, modalOpened, pickOption, startBrowser, startServer } from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
  const { page } = browser;
  await page.goto(`${server.url}/login`);
  await login(page, server.url, 'admin', 'switchboard');
  await page.waitForURL(/\/admin\/users$/);
});

beforeEach(async () => {
  if (browser) await dropLeftoverModal(browser.page);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const csv = (rows) => Buffer.from(['login,real_name,display_name,chat_limit,roles,password', ...rows].join('\n') + '\n');

test('bulk import shows the per-row errors, then imports a clean file', async () => {
  const { page } = browser;
  await byTestId(page, 'nav-users').click();
  await byTestId(page, 'users-import').click();

  // The template downloads with the bearer token.
  const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'import-template-csv').click()]);
  assert.equal(download.suggestedFilename(), 'users-template.csv');

  const input = page.locator('.ant-modal input[type=file]');
  await input.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: csv(['agent1,A,B,3,agent,password123', 'x2,N,N,3,nosuchrole,password123']) });
  await byTestId(page, 'import-submit').click();
  const rejected = byTestId(page, 'import-rejected');
  await rejected.waitFor();
  const text = await rejected.innerText();
  assert.match(text, /login/);
  assert.match(text, /roles/);
  // The problems in Chinese, not the server's English.
  assert.match(text, /登录名“agent1”已被占用/);
  assert.match(text, /没有名为“nosuchrole”的角色/);
  assert.doesNotMatch(text, /already taken|unknown role/);
  assert.equal(await byTestId(page, 'user-row-x2').count(), 0, 'nothing imported');

  await input.setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: csv(['imp1,导入一,小一,3,agent,password123', 'imp2,导入二,小二,2,agent,password456']) });
  await byTestId(page, 'import-submit').click();
  await byTestId(page, 'import-created').waitFor();
  assert.match(await byTestId(page, 'import-created').innerText(), /2/);
  await closeModal(page);
  await byTestId(page, 'user-row-imp1').waitFor();
  await byTestId(page, 'user-row-imp2').waitFor();

  // A login name the server refuses: the field says why, in Chinese.
  await byTestId(page, 'users-add').click();
  await byTestId(page, 'user-form-login').fill('bad login!');
  await byTestId(page, 'user-form-real-name').fill('坏名字');
  await byTestId(page, 'user-form-display-name').fill('坏名字');
  const roles = page.locator('.ant-modal [data-testid="user-form-roles"]').first();
  if (!(await page.locator('.ant-modal .ant-select-selection-item').filter({ hasText: '(agent)' }).count())) {
    await pickOption(page, roles, '(agent)');
    await page.keyboard.press('Escape');
  }
  await byTestId(page, 'user-form-password').fill('password123');
  await byTestId(page, 'user-form-submit').click();
  const problem = page.locator('.ant-modal .ant-form-item-explain-error', { hasText: '只能包含字母、数字和' });
  await problem.waitFor();
  assert.doesNotMatch(await page.locator('.ant-modal').innerText(), /may contain only/);
  await closeModal(page);
});

test('a custom role is created with permissions, edited and deleted; admin is read-only', async () => {
  const { page } = browser;
  await byTestId(page, 'nav-roles').click();
  await byTestId(page, 'role-row-admin').waitFor();
  assert.ok(await byTestId(page, 'role-delete-admin').isDisabled());

  await byTestId(page, 'role-edit-admin').click();
  assert.ok(await page.locator('.ant-modal [data-testid="role-form-name"]').isDisabled());
  await closeModal(page);

  await byTestId(page, 'roles-add').click();
  await byTestId(page, 'role-form-name').fill('质检员');
  await page.locator('.ant-modal [data-testid="perm-recordings.access"]').click();
  await page.locator('.ant-modal [data-testid="perm-agent.work"]').click();
  await byTestId(page, 'role-form-submit').click();
  const row = byTestId(page, 'role-row-质检员');
  await row.waitFor();
  assert.match(await row.innerText(), /通话录音访问/);

  await byTestId(page, 'role-edit-质检员').click();
  await page.locator('.ant-modal [data-testid="perm-supervisor.monitor"]').click();
  await byTestId(page, 'role-form-submit').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="role-row-质检员"]')?.textContent?.includes('运营监控'));

  await byTestId(page, 'role-delete-质检员').click();
  await page.locator('.ant-popconfirm .ant-btn-primary').click();
  await byTestId(page, 'role-row-质检员').waitFor({ state: 'detached' });
});

test('category tags are added, used on a queue and deleted', async () => {
  const { page } = browser;
  await byTestId(page, 'nav-queues').click();
  await byTestId(page, 'tag-new-name').fill('售后');
  await byTestId(page, 'tag-add').click();
  await byTestId(page, 'tag-售后').waitFor();

  await byTestId(page, 'queues-add').click();
  await byTestId(page, 'queue-form-name').fill('在线客服');
  await pickOption(page, page.locator('.ant-modal [data-testid="queue-form-channel"]').first(), '文字交谈');
  await pickOption(page, page.locator('.ant-modal [data-testid="queue-form-tags"]').first(), '售后');
  await page.keyboard.press('Escape');
  await byTestId(page, 'queue-form-submit').click();
  const row = byTestId(page, 'queue-row-在线客服');
  await row.waitFor();
  assert.match(await row.innerText(), /售后/);
  assert.match(await row.innerText(), /文字交谈/);

  // Edit: strategy and a max wait.
  await byTestId(page, 'queue-edit-在线客服').click();
  await pickOption(page, page.locator('.ant-modal [data-testid="queue-form-strategy"]').first(), '轮询');
  await byTestId(page, 'queue-form-max-wait').fill('90');
  await byTestId(page, 'queue-form-submit').click();
  await page.waitForFunction(() => /轮询[\s\S]*90/.test(document.querySelector('[data-testid="queue-row-在线客服"]')?.textContent ?? ''));

  await byTestId(page, 'queue-delete-在线客服').click();
  await page.locator('.ant-popconfirm .ant-btn-primary').click();
  await row.waitFor({ state: 'detached' });
  // The queue's confirmation must be gone before the tag's opens: a click while it is still
  // closing can be swallowed.
  await page.waitForFunction(() => !document.querySelector('.ant-popconfirm:not(.ant-popover-hidden)'));

  await byTestId(page, 'tag-售后').click();
  await page.locator('.ant-popconfirm .ant-btn-primary').click();
  await byTestId(page, 'tag-售后').waitFor({ state: 'detached' });
});

test('the edit dialog shows the chosen user and saves agent parameters', async () => {
  const { page } = browser;
  await byTestId(page, 'nav-users').click();
  await byTestId(page, 'user-edit-agent1').click();
  const realName = page.locator('.ant-modal-wrap:visible [data-testid="user-edit-real-name"]');
  assert.equal(await realName.inputValue(), '李小红');
  await closeModal(page);
  await byTestId(page, 'user-edit-agent2').click();
  await modalOpened(page);
  assert.equal(await realName.inputValue(), '张伟');
  await page.locator('.ant-modal-wrap:visible input[type=radio][value=specified]').check();
  await page.locator('.ant-modal-wrap:visible [data-testid="user-edit-auto-answer"]').click();
  await byTestId(page, 'user-edit-submit').click();
  await page.locator('.ant-modal-wrap:visible').first().waitFor({ state: 'detached' });
  await byTestId(page, 'user-edit-agent2').click();
  assert.ok(await page.locator('.ant-modal-wrap:visible input[type=radio][value=specified]').isChecked());
  assert.equal(await page.locator('.ant-modal-wrap:visible [data-testid="user-edit-auto-answer"]').getAttribute('aria-checked'), 'true');
  await closeModal(page);
});

/** The error text antd shows under a form field of the open dialog. */
const fieldError = (page, testId) =>
  page.locator(`.ant-modal-wrap:visible .ant-form-item:has([data-testid="${testId}"]) .ant-form-item-explain-error`);

test('the document library: a link is checked like the server does, added, kept and removed', async () => {
  const { page } = browser;
  await byTestId(page, 'nav-documents').click();
  await page.waitForURL(/\/admin\/documents$/);
  await byTestId(page, 'documents-table').waitFor();

  await byTestId(page, 'documents-add').click();
  await byTestId(page, 'document-form-title').fill('退货政策 Returns');
  await byTestId(page, 'document-form-url').fill('ftp://files.example.com/returns.pdf');
  await byTestId(page, 'document-form-submit').click();
  await fieldError(page, 'document-form-url').filter({ hasText: 'http://' }).waitFor();
  await byTestId(page, 'document-form-url').fill('https://example.com/returns.pdf');
  await byTestId(page, 'document-form-description').fill('七天无理由退货\n运费说明');
  await byTestId(page, 'document-form-submit').click();
  const row = byTestId(page, 'document-row-退货政策 Returns');
  await row.waitFor();
  assert.match(await row.innerText(), /https:\/\/example\.com\/returns\.pdf/);
  assert.match(await row.innerText(), /七天无理由退货 运费说明/, 'line breaks are flattened as the server wants one line');

  // Kept by the server, and agents get it for their chats.
  await page.reload();
  await row.waitFor();
  const agent = await apiClient(server.url).login('agent1');
  const docs = await agent.get('/documents');
  assert.ok(docs.some((d) => d.title === '退货政策 Returns' && d.url === 'https://example.com/returns.pdf'));

  // A second one is removed again.
  await byTestId(page, 'documents-add').click();
  await byTestId(page, 'document-form-title').fill('旧价目表');
  await byTestId(page, 'document-form-url').fill('http://intranet.example/prices');
  await byTestId(page, 'document-form-submit').click();
  await byTestId(page, 'document-row-旧价目表').waitFor();
  await byTestId(page, 'document-delete-旧价目表').click();
  await page.locator('.ant-popconfirm .ant-btn-primary').click();
  await byTestId(page, 'document-row-旧价目表').waitFor({ state: 'detached' });
  assert.equal((await agent.get('/documents')).filter((d) => d.title === '旧价目表').length, 0);
});

test('a team canned reply is added and every agent gets it', async () => {
  const { page } = browser;
  await byTestId(page, 'nav-canned-replies').click();
  await page.waitForURL(/\/admin\/canned-replies$/);
  await byTestId(page, 'canned-table').waitFor();
  await byTestId(page, 'canned-add').click();
  await byTestId(page, 'canned-form-submit').click();
  await fieldError(page, 'canned-form-title').filter({ hasText: '必填' }).waitFor();
  await byTestId(page, 'canned-form-title').fill('问候语');
  await byTestId(page, 'canned-form-text').fill('您好，很高兴为您服务！\n请问有什么可以帮您？');
  await byTestId(page, 'canned-form-submit').click();
  const row = byTestId(page, 'canned-row-问候语');
  await row.waitFor();
  assert.match(await row.innerText(), /很高兴为您服务/);

  const agent = await apiClient(server.url).login('agent2');
  const replies = await agent.get('/canned-replies');
  const reply = replies.find((r) => r.title === '问候语');
  assert.equal(reply?.scope, 'team');
  assert.equal(reply?.text, '您好，很高兴为您服务！\n请问有什么可以帮您？');
  // An agent's personal reply is not a team one: the page does not list it.
  await agent.post('/canned-replies', { scope: 'personal', title: '我的私人回复', text: '稍等' });
  await page.reload();
  await row.waitFor();
  assert.equal(await byTestId(page, 'canned-row-我的私人回复').count(), 0);
});

test('a chat entry point on a chat queue: its customer page and its widget tag work', async () => {
  const { page, context } = browser;
  await byTestId(page, 'nav-chat-entries').click();
  await page.waitForURL(/\/admin\/chat-entries$/);
  await byTestId(page, 'entry-row-web').waitFor();
  await byTestId(page, 'entry-row-web').filter({ hasText: '在线客服 Online chat' }).waitFor();
  assert.match(await byTestId(page, 'entry-row-web').innerText(), /在线客服 Online chat/);

  await byTestId(page, 'entries-add').click();
  // Before a name is typed, the address reads /chat/demo/…, not /chat/demo/%E2%80%A6.
  assert.match(await byTestId(page, 'entry-form-url-preview').innerText(), /\/chat\/demo\/…/);
  await byTestId(page, 'entry-form-name').fill('My Shop');
  await byTestId(page, 'entry-form-title').fill('商城客服 Shop support');
  // Only chat queues are offered (the demo has one, so it is already chosen).
  const queueSelect = page
    .locator('.ant-modal-wrap:visible [data-testid="entry-form-queue"]')
    .first()
    .locator('xpath=ancestor-or-self::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  assert.match(await queueSelect.innerText(), /在线客服 Online chat/);
  await queueSelect.locator('.ant-select-selector').click();
  const options = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
  await options.first().waitFor();
  assert.deepEqual(await options.allInnerTexts(), ['在线客服 Online chat']);
  await options.first().click();
  await byTestId(page, 'entry-form-secret').fill('too-short');
  await byTestId(page, 'entry-form-submit').click();
  await fieldError(page, 'entry-form-name').filter({ hasText: '小写字母' }).waitFor();
  await fieldError(page, 'entry-form-secret').filter({ hasText: '16–128' }).waitFor();

  // The server's answer to a taken name shows on the field.
  await byTestId(page, 'entry-form-name').fill('web');
  await byTestId(page, 'entry-form-secret').fill('');
  await byTestId(page, 'entry-form-submit').click();
  await fieldError(page, 'entry-form-name').filter({ hasText: '名称已存在' }).waitFor();

  await byTestId(page, 'entry-form-name').fill('Shop-2');
  assert.equal(await byTestId(page, 'entry-form-name').inputValue(), 'shop-2');
  assert.match(await byTestId(page, 'entry-form-url-preview').innerText(), /\/chat\/demo\/shop-2/);
  await byTestId(page, 'entry-form-secret-generate').click();
  assert.match(await byTestId(page, 'entry-form-secret').inputValue(), /^[0-9a-f]{32}$/);
  await byTestId(page, 'entry-form-submit').click();
  const row = byTestId(page, 'entry-row-shop-2');
  await row.waitFor();
  const rowText = await row.innerText();
  assert.match(rowText, /商城客服 Shop support/);
  assert.match(rowText, /在线客服 Online chat/);
  assert.match(rowText, /可验证身份/);

  // The customer page of the new entry point loads with its title.
  const href = await byTestId(page, 'entry-url-shop-2').getAttribute('href');
  assert.equal(href, `${server.url}/chat/demo/shop-2`);
  const customer = await context.newPage();
  try {
    await customer.goto(href);
    await customer.locator('[data-testid="chat-page"][data-online="true"]').waitFor();
    assert.equal(await byTestId(customer, 'chat-title').innerText(), '商城客服 Shop support');
  } finally {
    await customer.close();
  }

  // The embed tag: copied to the clipboard, and it really puts the chat on a host page.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await byTestId(page, 'entry-embed-shop-2').click();
  const snippet = await byTestId(page, 'entry-snippet').innerText();
  assert.equal(snippet, `<script src="${server.url}/widget.js" data-tenant="demo" data-entry="shop-2" async></script>`);
  await byTestId(page, 'entry-snippet-copy').click();
  await page.locator('.ant-message-success').filter({ hasText: '已复制' }).first().waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), snippet);
  assert.match(await byTestId(page, 'entry-snippet-signed').innerText(), /data-identity=/);
  await closeModal(page);

  const host = await context.newPage();
  try {
    await host.setContent(`<!doctype html><html><head><meta charset="utf-8"><title>Shop</title></head><body><h1>Shop</h1>${snippet}</body></html>`, { waitUntil: 'load' });
    await byTestId(host, 'sb-widget-launcher').click();
    const frame = host.frameLocator('[data-testid="sb-widget-frame"]');
    await frame.locator('[data-testid="chat-page"][data-online="true"]').waitFor();
    assert.equal(await frame.locator('[data-testid="chat-title"]').innerText(), '商城客服 Shop support');
  } finally {
    await host.close();
  }

  // Removed: gone from the list.
  await byTestId(page, 'entry-delete-shop-2').click();
  await page.locator('.ant-popconfirm .ant-btn-primary').click();
  await row.waitFor({ state: 'detached' });
});

test('the message recall limit and the time zone are tenant parameters that survive a reload', async () => {
  const { page } = browser;
  await byTestId(page, 'nav-params').click();
  await page.waitForURL(/\/admin\/params$/);
  const input = byTestId(page, 'param-recall-limit');
  await page.waitForFunction(() => (document.querySelector('[data-testid="param-recall-limit"]')?.value ?? '') !== '');
  assert.equal(await input.inputValue(), '120', 'the default');

  // A ring timeout out of range is refused with the allowed range, never clamped and saved.
  const ring = byTestId(page, 'param-offer-timeout');
  const ringItem = page.locator('.ant-form-item', { has: ring });
  assert.match(await ringItem.innerText(), /允许范围 5–300/, 'the help says the range');
  const before = (await apiClient(server.url).login('admin').then((a) => a.get('/tenant/params'))).offer_timeout_s;
  await ring.fill('1');
  // Earlier tests' "saved" messages fade first, so that none is mistaken for this one.
  await page.waitForFunction(() => !document.querySelector('.ant-message-success'));
  await byTestId(page, 'params-save').click();
  await ringItem.locator('.ant-form-item-explain-error', { hasText: '允许范围 5–300' }).waitFor();
  assert.equal(await ring.inputValue(), '1', 'not clamped');
  assert.equal(await page.locator('.ant-message-success').count(), 0, 'not "saved"');
  assert.equal((await apiClient(server.url).login('admin').then((a) => a.get('/tenant/params'))).offer_timeout_s, before);
  await ring.fill(String(before));

  await input.fill('300');
  const zone = byTestId(page, 'param-time-zone');
  assert.equal(await zone.locator('.ant-select-selection-item').getAttribute('title'), 'Asia/Shanghai', 'the default zone');
  await zone.click();
  await page.keyboard.type('Europe/Berl');
  await page.locator('.ant-select-item-option[title="Europe/Berlin"]').click();
  await byTestId(page, 'params-save').click();
  await page.locator('.ant-message-success').first().waitFor();
  await page.reload();
  await page.waitForFunction(() => document.querySelector('[data-testid="param-recall-limit"]')?.value === '300');
  await page.waitForFunction(
    () => document.querySelector('[data-testid="param-time-zone"] .ant-select-selection-item')?.getAttribute('title') === 'Europe/Berlin',
  );
  const agent = await apiClient(server.url).login('agent1');
  const params = await agent.get('/tenant/params');
  assert.deepEqual([params.recall_limit_s, params.time_zone], [300, 'Europe/Berlin']);
});

test('a password reset forces a change; deactivation ends the session (401 → login)', async () => {
  const { page } = browser;
  await byTestId(page, 'nav-users').click();
  await byTestId(page, 'user-reset-agent2').click();
  await byTestId(page, 'user-reset-password').fill('reset-pass-1');
  await byTestId(page, 'user-reset-submit').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="user-row-agent2"]')?.textContent?.includes('待改密'));

  // agent3 signs in (through the API: tabs of one profile share localStorage).
  const res = await page.evaluate(async () => {
    const r = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tenant: 'demo', login: 'agent3', password: 'switchboard' }) });
    return r.json();
  });
  assert.ok(res.token);

  await byTestId(page, 'user-deactivate-agent3').click();
  await page.locator('.ant-popconfirm .ant-btn-primary').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="user-row-agent3"]')?.textContent?.includes('已停用'));

  // The agent's token no longer works; in the UI a 401 sends the user to the login page.
  const status = await page.evaluate(async (token) => (await fetch('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } })).status, res.token);
  assert.equal(status, 401);
  await page.evaluate((token) => localStorage.setItem('sb.token', token), res.token);
  await page.goto(`${server.url}/workbench`);
  await page.waitForURL(/\/login$/);
  assert.equal(await page.evaluate(() => localStorage.getItem('sb.token')), null);
});
