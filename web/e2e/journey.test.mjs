// The admin → agent journey through the real UI, served by the real server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, login, pickOption, screenshot, startBrowser, startServer } from './helpers.mjs';

const AGENT = { login: 'e2eagent', realName: '端到端测试', display: '小测', initial: 'initial-pass-1', final: 'final-pass-2' };
const QUEUE = 'E2E 语音队列';

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

test('admin sets up an agent, a queue and a parameter; the agent signs in and sees the workbench', async (t) => {
  const { page } = browser;

  await t.test('admin logs in and lands on the users page', async () => {
    await page.goto(`${server.url}/`);
    await login(page, server.url, 'admin', 'switchboard');
    await page.waitForURL(/\/admin\/users$/);
    await byTestId(page, 'user-row-agent1').waitFor();
    assert.match(await byTestId(page, 'header-display-name').innerText(), /\S/);
    // The side menu shows the admin pages and the API docs link.
    for (const id of ['nav-users', 'nav-roles', 'nav-queues', 'nav-params', 'nav-api-docs']) {
      assert.ok(await byTestId(page, id).isVisible(), id);
    }
    assert.equal(await byTestId(page, 'nav-api-docs').getAttribute('href'), '/api/docs/');
    await screenshot(page, 'switchboard-admin-users.png');
  });

  await t.test('admin creates a user with the agent role', async () => {
    await byTestId(page, 'users-add').click();
    await byTestId(page, 'user-form-login').fill(AGENT.login);
    await byTestId(page, 'user-form-real-name').fill(AGENT.realName);
    await byTestId(page, 'user-form-display-name').fill(AGENT.display);
    const roles = page.locator('.ant-modal [data-testid="user-form-roles"]').first();
    const hasAgent = await page.locator('.ant-modal .ant-select-selection-item').filter({ hasText: '(agent)' }).count();
    if (!hasAgent) {
      await pickOption(page, roles, '(agent)');
      await page.keyboard.press('Escape');
    }
    await byTestId(page, 'user-form-password').fill(AGENT.initial);
    await byTestId(page, 'user-form-submit').click();
    const row = byTestId(page, `user-row-${AGENT.login}`);
    await row.waitFor();
    const text = await row.innerText();
    assert.match(text, new RegExp(AGENT.display));
    assert.match(text, /座席/);
    assert.match(text, /待改密/);
  });

  await t.test('admin creates a voice skill queue bound to that user', async () => {
    await byTestId(page, 'nav-queues').click();
    await page.waitForURL(/\/admin\/queues$/);
    await byTestId(page, 'queues-add').click();
    await byTestId(page, 'queue-form-name').fill(QUEUE);
    // Channel defaults to voice; assert it rather than rely on it silently.
    assert.match(await page.locator('.ant-modal').innerText(), /语音/);
    await byTestId(page, 'queue-form-submit').click();
    const row = byTestId(page, `queue-row-${QUEUE}`);
    await row.waitFor();
    assert.match(await row.innerText(), /语音/);

    await byTestId(page, `queue-agents-${QUEUE}`).click();
    await byTestId(page, 'queue-agents-add').click();
    await pickOption(page, page.locator('.ant-modal [data-testid="queue-agent-user-0"]').first(), AGENT.login);
    await byTestId(page, 'queue-agent-level-0').fill('7');
    await byTestId(page, 'queue-agents-save').click();
    await page.locator('.ant-modal').first().waitFor({ state: 'hidden' });
    await page.waitForFunction(
      (name) => document.querySelector(`[data-testid="queue-agents-${name}"]`)?.textContent?.includes('1'),
      QUEUE,
    );
  });

  await t.test('admin changes the wrap-up time limit and it survives a reload', async () => {
    await byTestId(page, 'nav-params').click();
    await page.waitForURL(/\/admin\/params$/);
    const input = byTestId(page, 'param-wrap-up-limit');
    await input.waitFor();
    await page.waitForFunction(() => (document.querySelector('[data-testid="param-wrap-up-limit"]')?.value ?? '') !== '');
    await input.fill('123');
    await byTestId(page, 'params-save').click();
    await page.locator('.ant-message-success').first().waitFor();
    await page.reload();
    await page.waitForFunction(() => document.querySelector('[data-testid="param-wrap-up-limit"]')?.value === '123');
  });

  await t.test('admin logs out', async () => {
    await byTestId(page, 'user-menu').click();
    await byTestId(page, 'menu-logout').click();
    await page.waitForURL(/\/login$/);
    assert.equal(await page.evaluate(() => localStorage.getItem('sb.token')), null);
  });

  await t.test('the new agent must change the password, then lands on the workbench', async () => {
    await login(page, server.url, AGENT.login, AGENT.initial);
    await page.waitForURL(/\/change-password$/);
    await byTestId(page, 'pwd-forced-hint').waitFor();
    await byTestId(page, 'pwd-current').fill(AGENT.initial);
    await byTestId(page, 'pwd-new').fill(AGENT.final);
    await byTestId(page, 'pwd-confirm').fill(AGENT.final);
    await byTestId(page, 'pwd-submit').click();
    await page.waitForURL(/\/workbench$/);
    const bar = byTestId(page, 'connection-bar');
    await bar.waitFor();
    assert.match(await byTestId(page, 'connection-bar-agent').innerText(), new RegExp(AGENT.display));
    assert.match(await byTestId(page, 'connection-bar-mode').innerText(), /自动签入|指定签入/);
    // An agent sees no admin pages.
    assert.equal(await byTestId(page, 'nav-users').count(), 0);
    assert.ok(await byTestId(page, 'nav-workbench').isVisible());
    await screenshot(page, 'switchboard-workbench.png');
  });

  await t.test('the changed password works on the next login', async () => {
    await byTestId(page, 'user-menu').click();
    await byTestId(page, 'menu-logout').click();
    await page.waitForURL(/\/login$/);
    await login(page, server.url, AGENT.login, AGENT.final);
    await page.waitForURL(/\/workbench$/);
    await byTestId(page, 'connection-bar').waitFor();
  });

  assert.deepEqual(browser.errors, [], 'no uncaught page errors');
});
