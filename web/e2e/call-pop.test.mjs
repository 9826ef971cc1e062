// A real call's screen pop in the browser (V3, V2, V11). sipp calls the demo hotline 4000
// through the trunk as 13800138000, presses 1 in the menu (SIP INFO) and waits in the pre-sales
// queue. agent1's workbench rings (the Web Audio ring is on) and the offer shows the caller
// card: the number, 北京市, the name the records know for it (a chat customer who gave it) and
// the IVR path. Answered and released on the web (the call ends: sipp receives the BYE), the wrap-up
// summary takes a problem, a solution and a disposition picked from the tenant's codes, which
// the call record then shows.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { byTestId, login, pickOption, screenshot, startSuite } from './helpers.mjs';
import { callHotline, sipAddress } from './sipp.mjs';

const CALLER = '13800138000';
let suite;
let sipp;

/** A chat customer who once gave this number (their name is what the pop shows). */
function seedCustomer(dataDir) {
  const script = `
import sqlite3, sys, time, uuid, os
db = sqlite3.connect(os.path.join(sys.argv[1], 'switchboard.db'), timeout=10)
tenant = db.execute("SELECT id FROM tenants WHERE name = 'demo'").fetchone()[0]
now = int(time.time() * 1000)
db.execute("""INSERT INTO customers (tenant_id, id, identity, verified, name, phone, email, created_at, updated_at)
    VALUES (?, ?, 'visitor:e2e-pop', 0, '王小明', '138 0013 8000', NULL, ?, ?)""", (tenant, uuid.uuid4().bytes, now, now))
db.commit()
`;
  execFileSync('python3', ['-c', script, dataDir]);
}

before(async () => {
  // Long offers, so a slow machine has room to look; the summary (and so the disposition) required.
  suite = await startSuite({ offer_timeout_s: 120, summary_required: true });
  await suite.admin.put('/tenant/disposition-codes', {
    codes: [
      { code: 'resolved', label: '已解决' },
      { code: 'callback', label: '需回访' },
      { code: 'spam', label: '骚扰电话', retired: true },
    ],
  });
  seedCustomer(suite.server.dataDir);
});

after(async () => {
  sipp?.stop();
  await suite?.browser.close();
  await suite?.server.stop();
});

test('a call rings with its screen pop, and wrap-up takes a disposition', async () => {
  const { server, browser } = suite;
  const page = await browser.newPage();
  await login(page, server.url, 'agent1', 'switchboard');
  await page.waitForURL(/\/workbench/);
  await byTestId(page, 'connection-bar-sign-in').click();
  await page.locator('[data-testid="connection-bar-state"][data-state="idle"]').waitFor();

  sipp = callHotline(await sipAddress(server), { caller: CALLER });
  const offer = byTestId(page, 'offer-card');
  await offer.waitFor({ timeout: 30_000 });
  assert.equal(await byTestId(page, 'offer-channel').innerText(), '语音');
  const card = offer.locator('[data-testid="caller-card"]');
  await card.waitFor();
  assert.equal(await card.locator('[data-testid="caller-number"]').innerText(), `+86${CALLER}`);
  assert.equal(await card.locator('[data-testid="caller-location"]').innerText(), '北京市');
  assert.equal(await card.locator('[data-testid="caller-name"]').innerText(), '王小明');
  assert.match(await card.locator('[data-testid="caller-ivr-path"]').innerText(), /主菜单 Main menu → 1 售前 Presales/);
  // The phone ring plays while the call rings.
  await page.locator('body[data-ringtone="on"]').waitFor();
  await screenshot(page, 'switchboard-call-pop-offer.png');

  await byTestId(page, 'offer-answer').click();
  const contact = byTestId(page, 'contact-card');
  await contact.waitFor();
  await page.locator('body[data-ringtone="off"]').waitFor();
  await contact.locator('[data-testid="caller-card"] [data-testid="caller-location"]').waitFor();
  await byTestId(page, 'contact-release').click();
  await page.locator('[data-testid="contact-card"][data-state="wrap_up"]').waitFor();
  // Our release ends the call: the customer's side got the BYE and finished its script.
  assert.equal(await sipp.done, 0, 'sipp ran its scenario to the end');

  await byTestId(page, 'contact-summary').fill('查询订单物流');
  await byTestId(page, 'contact-summary-solution').fill('告知快递单号');
  // Required: saving without a disposition is refused in the form.
  await byTestId(page, 'contact-summary-save').click();
  await contact.getByText('请选择处理结果').waitFor();
  const pick = byTestId(page, 'contact-summary-disposition');
  await pickOption(page, pick, '已解决');
  // A retired code is not offered.
  assert.equal(await page.locator('.ant-select-item-option').filter({ hasText: '骚扰电话' }).count(), 0);
  await byTestId(page, 'contact-summary-save').click();
  await byTestId(page, 'contact-summary-saved').waitFor();
  await screenshot(page, 'switchboard-call-pop-wrap-up.png');
  await byTestId(page, 'contact-continue').click();
  await page.locator('[data-testid="connection-bar-state"][data-state="idle"]').waitFor();

  // The call record shows the summary with its disposition (to the supervisor: no phone
  // answered here, so the record names no agent and is not in agent1's own records).
  const sup = await browser.newPage();
  await login(sup, server.url, 'supervisor', 'switchboard');
  await sup.waitForURL((u) => !u.pathname.startsWith('/login'));
  await sup.goto(`${server.url}/calls`);
  const row = sup.locator('[data-testid^="call-row-"]').filter({ hasText: CALLER }).first();
  await row.waitFor();
  await row.click();
  await byTestId(sup, 'call-summary').waitFor();
  assert.equal(await byTestId(sup, 'call-disposition').innerText(), '已解决');
  assert.match(await byTestId(sup, 'call-summary').innerText(), /告知快递单号/);
  await screenshot(sup, 'switchboard-call-pop-record.png');
  assert.deepEqual(sup.errors, []);
  assert.deepEqual(page.errors, []);
});

test('in English: the location in English, and a caller hanging up is told', async () => {
  const { server, browser } = suite;
  const page = await browser.newPage({ lang: 'en' });
  await login(page, server.url, 'agent1', 'switchboard');
  await page.waitForURL(/\/workbench/);
  await page.locator('[data-testid="connection-bar-state"][data-state="idle"]').waitFor();
  sipp?.stop();
  // The caller hangs up 6 s after pressing 1: time enough to ring and be answered here.
  sipp = callHotline(await sipAddress(server), { caller: CALLER, hangUpAfterMs: 6_000 });
  const card = byTestId(page, 'offer-card').locator('[data-testid="caller-card"]');
  await card.waitFor({ timeout: 30_000 });
  assert.equal(await card.locator('[data-testid="caller-location"]').innerText(), 'Beijing');
  assert.match(await card.locator('[data-testid="caller-name"]').innerText(), /王小明/);
  await byTestId(page, 'offer-answer').click();
  await byTestId(page, 'contact-card').waitFor();
  // The earlier call of this number (the first test's) is among the latest contacts now.
  await byTestId(page, 'contact-card').locator('[data-testid="caller-recent-item"]').first().waitFor();
  await byTestId(page, 'release-notice').filter({ hasText: 'The caller hung up' }).waitFor({ timeout: 20_000 });
  await page.locator('[data-testid="contact-card"][data-state="wrap_up"]').waitFor();
  assert.equal(await sipp.done, 0, 'the caller hung up as scripted');
  await screenshot(page, 'switchboard-call-pop-en.png');
  assert.deepEqual(page.errors, []);
});
