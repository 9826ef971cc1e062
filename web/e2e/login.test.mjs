// Login page: language switch and error display (real server + headless Chromium).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, login, pickOption, startBrowser, startServer } from './helpers.mjs';

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

test('switching the language to English changes the login page text', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/login`);
  await byTestId(page, 'login-submit').waitFor();
  assert.match(await byTestId(page, 'login-submit').innerText(), /登\s*录/);
  assert.match(await byTestId(page, 'login-subtitle').innerText(), /开源联络中心/);

  await pickOption(page, byTestId(page, 'lang-switch').locator('.ant-select'), 'English');
  await page.waitForFunction(() => document.querySelector('[data-testid="login-submit"]')?.textContent?.includes('Sign in'));
  assert.match(await byTestId(page, 'login-subtitle').innerText(), /Open-source contact center/);
  assert.ok(await page.getByText('Login name').isVisible());

  // Remembered across a reload (localStorage).
  await page.reload();
  await byTestId(page, 'login-submit').waitFor();
  assert.match(await byTestId(page, 'login-submit').innerText(), /Sign in/);

  // And back to Chinese.
  await pickOption(page, byTestId(page, 'lang-switch').locator('.ant-select'), '简体中文');
  await page.waitForFunction(() => /登\s*录/.test(document.querySelector('[data-testid="login-submit"]')?.textContent ?? ''));
});

test('a wrong password shows the error', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/login`);
  await login(page, server.url, 'admin', 'definitely-wrong');
  const err = byTestId(page, 'login-error');
  await err.waitFor();
  assert.match(await err.innerText(), /租户、登录名或密码错误/);
  assert.match(page.url(), /\/login$/);
  assert.equal(await page.evaluate(() => localStorage.getItem('sb.token')), null);
});

test('unknown paths fall back to the app and send anonymous users to the login page', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/admin/users`);
  await byTestId(page, 'login-submit').waitFor();
  assert.match(page.url(), /\/login$/);
  assert.deepEqual(browser.errors, []);
});
