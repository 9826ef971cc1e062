// The agent workbench at phone width (390 × 844): the side menu folds away into a drawer that a
// menu button opens, so the content gets the whole width; at desktop width the menu is beside it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, launchBrowser, login, screenshot, startServer } from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('at phone width the workbench has the whole width and the menu opens as a drawer', async () => {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${server.url}/login`);
  await login(page, server.url, 'agent1', 'switchboard');
  await page.waitForURL(/\/workbench/);
  await byTestId(page, 'menu-toggle').waitFor();
  // No side menu beside the content.
  assert.equal(await page.locator('.ant-layout-sider').count(), 0);
  assert.equal(await byTestId(page, 'nav-workbench').isVisible(), false);
  const content = await byTestId(page, 'shell-content').boundingBox();
  assert.ok(content && content.x === 0 && content.width >= 380, `content box ${JSON.stringify(content)}`);
  // Nothing pushes the page wider than the screen.
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= 390, `page is ${scrollWidth} px wide`);
  await screenshot(page, 'switchboard-workbench-phone.png');

  // The menu button opens the menu as a drawer; picking a page closes it.
  await byTestId(page, 'menu-toggle').click();
  await byTestId(page, 'nav-tickets').waitFor({ state: 'visible' });
  await screenshot(page, 'switchboard-workbench-phone-menu.png');
  await byTestId(page, 'nav-tickets').click();
  await page.waitForURL(/\/tickets/);
  await byTestId(page, 'nav-tickets').waitFor({ state: 'hidden' });

  // At desktop width the menu is back beside the content, without the button.
  await page.setViewportSize({ width: 1366, height: 800 });
  await page.locator('.ant-layout-sider').waitFor();
  assert.equal(await byTestId(page, 'menu-toggle').count(), 0);
  assert.ok(await byTestId(page, 'nav-workbench').isVisible());
  assert.deepEqual(page.errors, []);
});
