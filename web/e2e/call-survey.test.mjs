// The satisfaction survey on a call record (V12, V13), with real peers. Hotline 4003 goes to the
// pre-sales queue with the survey on. A customer (sipp) calls it; agent1's phone (baresip on
// 1001) answers by itself; agent1 releases on the web at once and is in wrap-up while the
// customer, asked to rate, keys 4 (SIP INFO, a fixed while after the answer: sipp cannot hear
// the question). agent1's call records show 4/5 for that call, in the list and in its detail.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, login, screenshot, startSuite } from './helpers.mjs';
import { startPhone } from './baresip.mjs';
import { callHotline, sipAddress } from './sipp.mjs';

const CALLER = '13900139003';
/** When the customer keys the score, from the answer: the release must come before it. */
const RATE_AFTER_MS = 12_000;
let suite;
let phones = [];
let sipp;

before(async () => {
  suite = await startSuite({ offer_timeout_s: 60 });
  const presales = (await suite.admin.get('/queues')).find((q) => q.channel === 'voice' && q.name.startsWith('售前'));
  await suite.admin.post('/voice/numbers', { number: '4003', inbound: true, survey: true, route: { kind: 'queue', queue_id: presales.id } });
});

after(async () => {
  sipp?.stop();
  for (const p of phones) p.stop();
  await suite?.browser.close();
  await suite?.server.stop();
});

test("a customer rates the call 4 after the agent's release, and the call record shows it", async () => {
  const { server, browser, api } = suite;
  const sip = await sipAddress(server);
  phones = [await startPhone(sip, { extension: '1001', password: 'switchboard' })];
  const a1 = await browser.newPage();
  await login(a1, server.url, 'agent1', 'switchboard');
  await a1.waitForURL(/\/workbench/);
  await byTestId(a1, 'connection-bar-sign-in').click();
  await a1.locator('[data-testid="connection-bar-state"][data-state="idle"]').waitFor();
  await a1.locator('[data-testid="connection-bar-phone"][data-phone="registered"]').waitFor({ timeout: 20_000 });

  const called = Date.now();
  sipp = callHotline(sip, { caller: CALLER, number: '4003', press: null, rate: '4', rateAfterMs: RATE_AFTER_MS });
  const card = a1.locator('[data-testid="contact-card"][data-state="connected"]');
  await card.waitFor({ timeout: 10_000 });
  const contactId = await card.getAttribute('data-contact-id');
  await byTestId(a1, 'contact-release').click();
  await a1.locator('[data-testid="contact-card"][data-state="wrap_up"]').waitFor();
  const released = Date.now() - called;
  assert.ok(released < RATE_AFTER_MS - 2_000, `released ${released} ms after the call: before the customer keys the score`);

  // The customer keys 4, hears thanks and is hung up on.
  let timer;
  const gaveUp = new Promise((r) => (timer = setTimeout(() => r('timeout'), 45_000)));
  assert.equal(await Promise.race([sipp.done, gaveUp]), 0, 'the customer was hung up on after rating');
  clearTimeout(timer);
  const agent1 = await api.login('agent1');
  const contact = await agent1.get(`/contacts/${contactId}`);
  assert.equal(contact.rating, 4);

  // agent1's call records: 4/5 in the list and in the detail.
  await byTestId(a1, 'nav-calls').click();
  // The caller as the trunk gave it (the number in national or +86 form).
  const row = a1.locator(`[data-testid^="call-row-"][data-testid$="${CALLER}"]`);
  await row.waitFor();
  const survey = row.locator('[data-testid="call-survey"]');
  await row.locator('[data-testid="call-survey"][data-score="4"]').waitFor();
  assert.equal(await survey.innerText(), '4/5');
  assert.equal(await survey.getAttribute('data-survey'), 'rated');
  await screenshot(a1, 'switchboard-calls-survey.png');
  await row.click();
  const detail = byTestId(a1, 'call-drawer').locator('[data-testid="call-survey"]');
  await detail.waitFor();
  assert.equal(await detail.innerText(), '4/5');
  assert.deepEqual(a1.errors, []);
});
