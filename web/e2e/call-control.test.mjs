// Call control on the workbench (V4, V9, M4), with real phones. agent1's desk phone is baresip
// on 1001 and agent2's on 1002, both answering by themselves. A customer (sipp) calls 4002,
// which the test routes straight to the pre-sales queue; agent1's phone rings and answers, and
// the Chinese workbench shows the call. agent1 holds (the held tag and its timer run), resumes
// (the total hold time stays), sends 1 and # from the soft keypad, then transfers the call to
// agent2 with a note: while agent2 is busy the dialog shows them greyed out with their state,
// and once agent2 is idle they can be picked (the list is re-read while the dialog is open).
// agent1's card goes away and agent2's phone takes the call; agent2's card shows agent1's note.
// agent1 is a plain agent: the dialog lists colleagues through GET /agent/colleagues.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, login, modalOpened, screenshot, startSuite } from './helpers.mjs';
import { startPhone } from './baresip.mjs';
import { callHotline, sipAddress } from './sipp.mjs';

const CALLER = '13900139000';
const NOTE = '客户想改订单地址，已核实身份';
let suite;
let phones = [];
let sipp;

before(async () => {
  suite = await startSuite({ offer_timeout_s: 60 });
  const { admin } = suite;
  const presales = (await admin.get('/queues')).find((q) => q.channel === 'voice' && q.name.startsWith('售前'));
  await admin.post('/voice/numbers', { number: '4002', inbound: true, route: { kind: 'queue', queue_id: presales.id } });
});

after(async () => {
  sipp?.stop();
  for (const p of phones) p.stop();
  await suite?.browser.close();
  await suite?.server.stop();
});

/** Signs `login` in on a fresh page and waits for idle with the desk phone registered. */
async function signedIn(loginName) {
  const { server, browser } = suite;
  const page = await browser.newPage();
  await login(page, server.url, loginName, 'switchboard');
  await page.waitForURL(/\/workbench/);
  await byTestId(page, 'connection-bar-sign-in').click();
  await page.locator('[data-testid="connection-bar-state"][data-state="idle"]').waitFor();
  await page.locator('[data-testid="connection-bar-phone"][data-phone="registered"]').waitFor({ timeout: 20_000 });
  return page;
}

/** Waits until the number in `data-seconds` of `locator` reaches `min`. */
async function secondsAtLeast(locator, min, timeout = 10_000) {
  await locator.waitFor();
  const handle = await locator.elementHandle();
  await handle.evaluate(
    (el, [n, ms]) =>
      new Promise((resolve, reject) => {
        const done = () => Number(el.getAttribute('data-seconds')) >= n;
        if (done()) return resolve();
        const timer = setTimeout(() => reject(new Error(`data-seconds stayed at ${el.getAttribute('data-seconds')}`)), ms);
        new MutationObserver(() => done() && (clearTimeout(timer), resolve())).observe(el, { attributes: true, childList: true, subtree: true });
      }),
    [min, timeout],
  );
}

test('a call held and resumed with its timers, keys sent, and transferred to another agent', async () => {
  const { server, api } = suite;
  const sip = await sipAddress(server);
  phones = [
    await startPhone(sip, { extension: '1001', password: 'switchboard' }),
    await startPhone(sip, { extension: '1002', password: 'switchboard', toneHz: 2000 }),
  ];
  const a1 = await signedIn('agent1');

  sipp = callHotline(sip, { caller: CALLER, number: '4002', press: null });
  // The phone answers by itself: the card comes up connected without a click.
  const card = a1.locator('[data-testid="contact-card"][data-state="connected"]');
  await card.waitFor({ timeout: 30_000 });
  await card.locator('[data-testid="caller-card"] [data-testid="caller-number"]').waitFor();
  const contactId = await card.getAttribute('data-contact-id');
  assert.equal(await byTestId(a1, 'contact-held').count(), 0, 'not held yet');
  assert.equal(await byTestId(a1, 'contact-hold-total').count(), 0, 'no hold time yet');

  // Hold: the tag says 保持中 and its timer counts from the server's held_since.
  await byTestId(a1, 'contact-hold').click();
  const held = byTestId(a1, 'contact-held');
  await held.waitFor();
  assert.match(await held.innerText(), /^保持中\s+00:0\d$/);
  await secondsAtLeast(byTestId(a1, 'contact-held-timer'), 2);
  await screenshot(a1, 'switchboard-call-held.png');
  // Resume: the tag goes, the total hold time stays.
  await byTestId(a1, 'contact-resume').click();
  await byTestId(a1, 'contact-hold').waitFor();
  assert.equal(await held.count(), 0);
  const total = byTestId(a1, 'contact-hold-total');
  await total.waitFor();
  assert.match(await total.innerText(), /^已保持 \d\d:\d\d$/);
  assert.ok(Number(await total.getAttribute('data-seconds')) >= 2);

  // The soft keypad: each key goes to the caller as it is pressed.
  await byTestId(a1, 'contact-keypad').click();
  await byTestId(a1, 'keypad-key-1').click();
  await byTestId(a1, 'keypad-key-#').click();
  await a1.locator('[data-testid="keypad-sent"][data-keys="1#"]').waitFor();
  assert.equal(await byTestId(a1, 'keypad-sent').innerText(), '1#');
  await screenshot(a1, 'switchboard-call-keypad.png');
  await byTestId(a1, 'contact-keypad').click();
  await byTestId(a1, 'keypad').waitFor({ state: 'hidden' });

  // agent2 signs in but is busy: the dialog shows them, greyed out, with their state.
  const a2 = await signedIn('agent2');
  const agent2 = await api.login('agent2');
  await agent2.post('/agent/state', { state: 'busy' });
  await a2.locator('[data-testid="connection-bar-state"][data-state="busy"]').waitFor();

  await byTestId(a1, 'contact-transfer').click();
  await modalOpened(a1);
  const dialog = byTestId(a1, 'wb-transfer-dialog');
  assert.match(await a1.locator('.ant-modal-title').innerText(), /转接通话/);
  await byTestId(a1, 'wb-transfer-kind').getByText('座席').click();
  await byTestId(a1, 'wb-transfer-note').fill(NOTE);
  await a1.locator('.ant-modal .ant-select-selector').click();
  const option = (disabled) => a1.locator(`.ant-select-dropdown [data-testid="wb-transfer-agent-${suite.ids.agent2}"][data-disabled="${disabled}"]`);
  await option(true).waitFor();
  assert.match(await option(true).innerText(), /小张 Zhang Wei[\s\S]*示忙/);
  await screenshot(a1, 'switchboard-call-transfer-busy.png');
  // Still agent1's call.
  assert.equal(await card.count(), 1);

  // agent2 is ready now: the open dialog learns it and the call goes on.
  await byTestId(a2, 'state-idle').click();
  await a2.locator('[data-testid="connection-bar-state"][data-state="idle"]').waitFor();
  await option(false).waitFor({ timeout: 10_000 });
  await option(false).click();
  await byTestId(a1, 'wb-transfer-ok').click();
  await dialog.waitFor({ state: 'hidden' });
  await a1.locator('.ant-message').getByText('通话已转接').waitFor();
  await byTestId(a1, 'contact-card').waitFor({ state: 'detached' });

  // agent2's phone rings and answers: the same contact, connected on agent2's workbench.
  const card2 = a2.locator(`[data-testid="contact-card"][data-state="connected"][data-contact-id="${contactId}"]`);
  await card2.waitFor({ timeout: 30_000 });
  await card2.locator('[data-testid="contact-hold"]').waitFor();
  // agent2 reads agent1's note, and the queue by its name though agent2 is not bound to it.
  await card2.locator('[data-testid="contact-transfer-note"]').filter({ hasText: NOTE }).waitFor();
  assert.match(await byTestId(a2, 'contact-transfer-note-box').innerText(), /小红 Xiaohong 转来的通话/);
  await card2.locator('[data-testid="contact-queue"]').filter({ hasText: '售前咨询' }).waitFor();
  await screenshot(a2, 'switchboard-call-transferred.png');

  const contact = await agent2.get(`/contacts/${contactId}`);
  assert.equal(contact.agent_id, suite.ids.agent2);
  assert.ok(contact.hold_ms >= 2_000, `the hold was counted: ${contact.hold_ms} ms`);
  assert.deepEqual([...a1.errors, ...a2.errors], []);
});
