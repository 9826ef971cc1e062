// The IVR flow editor and prompts in the admin console, in Chinese: an admin builds a small
// flow (a menu whose key 1 goes to a skill queue and key 2 hangs up), saves it, routes a
// hotline number to it, reloads and finds both as saved; then uploads a prompt and sees it
// listed with its length.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, login, pickOption, screenshot, startBrowser, startServer } from './helpers.mjs';

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

/** Picks an option from the Select's own dropdown (the page holds several, some fading out). */
async function pickVisible(page, select, text) {
  const root = select.locator('xpath=ancestor-or-self::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  await page.waitForFunction(() => ![...document.querySelectorAll('.ant-select-dropdown')].some((d) => d.offsetParent !== null && !d.classList.contains('ant-select-dropdown-hidden')));
  await root.locator('.ant-select-selector').click();
  // The newest dropdown is the last one in the page.
  await page.locator('.ant-select-dropdown:visible').last().locator('.ant-select-item-option').filter({ hasText: text }).first().click();
}

/** A 16-bit PCM WAV of a 440 Hz tone at 44.1 kHz, stereo. */
function toneWav(seconds) {
  const rate = 44_100;
  const frames = Math.round(rate * seconds);
  const data = frames * 4;
  const buf = Buffer.alloc(44 + data);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + data, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(2, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 4, 28);
  buf.writeUInt16LE(4, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(data, 40);
  for (let i = 0; i < frames; i++) {
    const s = Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 12_000);
    buf.writeInt16LE(s, 44 + i * 4);
    buf.writeInt16LE(s, 46 + i * 4);
  }
  return buf;
}

test('an admin builds a flow, routes a number to it, and finds both after a reload', async () => {
  const { page } = browser;
  await byTestId(page, 'nav-voice-flows').click();
  await page.waitForURL(/\/admin\/voice\/flows$/);
  await byTestId(page, 'flows-add').click();
  await page.waitForURL(/\/admin\/voice\/flows\/new$/);
  await byTestId(page, 'flow-name').fill('售后导航');

  // The new flow starts as a menu (selected) whose fallback hangs up.
  await byTestId(page, 'flow-node-menu').waitFor();
  await pickOption(page, byTestId(page, 'node-prompts'), 'zh-welcome');
  await page.keyboard.press('Escape');

  // A skill queue node for key 1.
  await pickOption(page, byTestId(page, 'flow-add-node'), '技能队列');
  await byTestId(page, 'flow-node-queue').waitFor();
  await pickOption(page, byTestId(page, 'node-queue'), '售后服务');

  // Back on the menu: 1 → the queue, 2 → hang up.
  await byTestId(page, 'flow-node-menu').click();
  await byTestId(page, 'node-add-key').click();
  await pickVisible(page, byTestId(page, 'node-key-1-target'), '(queue)');
  await byTestId(page, 'node-add-key').click();
  await pickVisible(page, byTestId(page, 'node-key-2-target'), '(hangup)');
  await byTestId(page, 'flow-edge-menu-queue').waitFor();
  assert.match(await byTestId(page, 'flow-edge-menu-hangup').textContent(), /2 \/ 超时/);

  await byTestId(page, 'flow-save').click();
  await page.locator('.ant-message', { hasText: '流程已保存' }).waitFor();
  await page.waitForURL(/\/admin\/voice\/flows\/[0-9a-f-]{36}$/);

  // A hotline number into the flow.
  await byTestId(page, 'nav-voice-numbers').click();
  await page.waitForURL(/\/admin\/voice\/numbers$/);
  await byTestId(page, 'numbers-add').click();
  await byTestId(page, 'number-form-number').fill('4800');
  await byTestId(page, 'number-form-kind-flow').click();
  await pickOption(page, byTestId(page, 'number-form-flow'), '售后导航');
  await byTestId(page, 'number-form-submit').click();
  await byTestId(page, 'number-row-4800').waitFor();

  // After a reload everything is as saved.
  await page.reload();
  // (The flows' names arrive after the numbers: "…" until then.)
  await byTestId(page, 'number-row-4800').locator('[data-testid="number-route"]', { hasText: '售后导航' }).waitFor();
  await byTestId(page, 'nav-voice-flows').click();
  const row = byTestId(page, 'flow-row-售后导航');
  await row.waitFor();
  assert.match(await row.innerText(), /4800/);
  await byTestId(page, 'flow-edit-售后导航').click();
  await byTestId(page, 'flow-edge-menu-queue').waitFor();
  assert.equal(await byTestId(page, 'flow-name').inputValue(), '售后导航');
  await byTestId(page, 'flow-node-queue').click();
  assert.match(await byTestId(page, 'node-form').innerText(), /售后服务/);
  await byTestId(page, 'flow-node-menu').click();
  await screenshot(page, 'voice-flow-editor.png');

  // The server's refusal is said at its node: the queue node without a queue is caught
  // before sending, a missing target after deleting the hang-up node too.
  await byTestId(page, 'flow-node-hangup').click();
  await byTestId(page, 'node-delete').click();
  await page.locator('.ant-popconfirm .ant-btn-primary').click();
  await byTestId(page, 'flow-save').click();
  await page.locator('.ant-message', { hasText: '处未完成' }).waitFor();
  assert.match(await byTestId(page, 'node-form').innerText(), /未选择去向/);
  assert.deepEqual(browser.errors, []);
});

test('an admin uploads a prompt and sees it listed with its length', async () => {
  const { page } = browser;
  await byTestId(page, 'nav-voice-prompts').click();
  await page.waitForURL(/\/admin\/voice\/prompts$/);
  await byTestId(page, 'prompt-name').fill('欢迎语');
  await byTestId(page, 'prompt-file').setInputFiles({ name: 'welcome.wav', mimeType: 'audio/wav', buffer: toneWav(1.5) });
  const row = byTestId(page, 'prompt-row-欢迎语');
  await row.waitFor();
  assert.match(await row.innerText(), /1\.5 秒/);
  // Garbage is refused in Chinese.
  await byTestId(page, 'prompt-file').setInputFiles({ name: 'notes.mp3', mimeType: 'audio/mpeg', buffer: Buffer.from('not audio at all '.repeat(40)) });
  await page.locator('.ant-message', { hasText: '无法识别的音频文件' }).waitFor();
  assert.deepEqual(browser.errors, []);
});
