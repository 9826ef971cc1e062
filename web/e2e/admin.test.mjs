// Admin console details: bulk import, roles, category tags, password reset, deactivation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, closeModal, login, pickOption, startBrowser, startServer } from './helpers.mjs';

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
  assert.equal(await byTestId(page, 'user-row-x2').count(), 0, 'nothing imported');

  await input.setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: csv(['imp1,导入一,小一,3,agent,password123', 'imp2,导入二,小二,2,agent,password456']) });
  await byTestId(page, 'import-submit').click();
  await byTestId(page, 'import-created').waitFor();
  assert.match(await byTestId(page, 'import-created').innerText(), /2/);
  await closeModal(page);
  await byTestId(page, 'user-row-imp1').waitFor();
  await byTestId(page, 'user-row-imp2').waitFor();
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
