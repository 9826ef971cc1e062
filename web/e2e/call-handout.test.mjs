// Handing a call out of the center from the workbench (V5), with real phones. agent1's desk phone
// is baresip on 1001, answering by itself; the outside party is baresip behind the carrier (the
// trunk's outbound proxy), answering by itself too. The admin API sets up the trunk, the number
// 95000 with outbound on, a number group giving it to the pre-sales queue's agents, and 4002
// routed to that queue. Customers (sipp) call 4002 one after the other:
// 1. agent1 first tries a number the outbound rules refuse (said in Chinese in the dialog), then
//    transfers the customer to the outside number with 95000: agent1 is in wrap-up and the call
//    record names the external hand-over;
// 2. agent1 consults the outside number (the consult bar names the number) and completes: the
//    customer stays with it, agent1 wraps up;
// 3. agent1 looks at the IVR flow pickers (the demo's menu and its nodes), then sends the
//    customer to the satisfaction survey; the call record says so.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, login, modalOpened, pickOption, screenshot, startSuite } from './helpers.mjs';
import { startCallee, startPhone } from './baresip.mjs';
import { callHotline, sipAddress } from './sipp.mjs';

const OUTSIDE = '+8613700137000';
const TYPED = '13700137000';
const PRESENTED = '95000';
let suite;
let phones = [];
let callers = [];
let page;
let agent1;
let sip;

before(async () => {
  suite = await startSuite({ offer_timeout_s: 60 });
  const { admin, server, browser, api } = suite;
  sip = await sipAddress(server);
  const callee = await startCallee(OUTSIDE);
  phones = [callee, await startPhone(sip, { extension: '1001', password: 'switchboard' })];

  const presales = (await admin.get('/queues')).find((q) => q.channel === 'voice' && q.name.startsWith('售前'));
  await admin.post('/voice/numbers', { number: '4002', inbound: true, route: { kind: 'queue', queue_id: presales.id } });
  const trunk = await admin.post('/voice/trunks', {
    name: '电信外呼', peers: ['192.0.2.1'], enabled: true, outbound_proxy: { host: '127.0.0.1', port: callee.sipPort },
  });
  const number = await admin.post('/voice/numbers', {
    number: PRESENTED, inbound: false, route: { kind: 'queue', queue_id: presales.id }, outbound: true, outbound_trunk_id: trunk.id,
  });
  await admin.post('/voice/number-groups', { name: '售前外呼', number_ids: [number.id], queue_ids: [presales.id], default_number_id: number.id });

  agent1 = await api.login('agent1');
  page = await browser.newPage();
  await login(page, server.url, 'agent1', 'switchboard');
  await page.waitForURL(/\/workbench/);
  await byTestId(page, 'connection-bar-sign-in').click();
  await page.locator('[data-testid="connection-bar-state"][data-state="idle"]').waitFor();
  await page.locator('[data-testid="connection-bar-phone"][data-phone="registered"]').waitFor({ timeout: 20_000 });
});

after(async () => {
  for (const c of callers) c.stop();
  for (const p of phones) p.stop();
  await suite?.browser.close();
  await suite?.server.stop();
});

/** Polls `fn` until it returns something truthy. */
async function eventually(fn, what, timeout = 20_000) {
  const until = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A customer calls 4002; agent1's phone takes it. The connected card's contact id. */
async function customerCalls(caller) {
  await page.goto(`${suite.server.url}/workbench`);
  await page.locator('[data-testid="connection-bar-state"][data-state="idle"]').waitFor({ timeout: 20_000 });
  callers.push(callHotline(sip, { caller, number: '4002', press: null }));
  const card = page.locator('[data-testid="contact-card"][data-state="connected"]');
  await card.waitFor({ timeout: 30_000 });
  return card.getAttribute('data-contact-id');
}

/** The call record of a contact once it has a hand-over. */
async function handedRecord(contactId) {
  return eventually(async () => {
    const contact = await agent1.get(`/contacts/${contactId}`);
    const id = contact.data?.call_record;
    if (!id) return null;
    const detail = await agent1.get(`/calls/${id}`);
    return detail.handoffs.length > 0 ? detail : null;
  }, 'the hand-over on the call record');
}

/** agent1's card of `contactId` is in wrap-up; its Continue ends it. */
async function wrapUpAndContinue(contactId) {
  const wrap = page.locator(`[data-testid="contact-card"][data-contact-id="${contactId}"][data-state="wrap_up"]`);
  await wrap.waitFor({ timeout: 20_000 });
  await wrap.locator('[data-testid="contact-continue"]').click();
  await wrap.waitFor({ state: 'detached' });
}

/** The call record's page: its first hand-over's text and kind. */
async function shownHandoff(recordId) {
  await page.goto(`${suite.server.url}/calls?open=${recordId}`);
  const handoff = byTestId(page, 'call-handoff-1');
  await handoff.waitFor();
  return { text: await handoff.innerText(), kind: await handoff.getAttribute('data-kind'), handoff };
}

/** Ends the latest customer's call (sipp) and waits until agent1 is free of it. */
function hangUpCustomer() {
  callers.pop()?.stop();
}

async function openTransfer(contactId) {
  const card = page.locator(`[data-testid="contact-card"][data-contact-id="${contactId}"]`);
  await card.locator('[data-testid="contact-transfer"]').click();
  await modalOpened(page);
  return byTestId(page, 'wb-transfer-dialog');
}

test('a call is transferred to an outside number: refused numbers said in Chinese, then agent1 wraps up', async () => {
  const contactId = await customerCalls('13900139001');
  await openTransfer(contactId);
  // agent1 may call out: the outside number is offered, with the IVR flow and the survey.
  for (const k of ['queue', 'agent', 'number', 'ivr', 'survey']) await byTestId(page, `wb-transfer-kind-${k}`).waitFor();
  await byTestId(page, 'wb-transfer-kind-number').click();
  await page.locator('[data-testid="wb-transfer-caller"] .ant-select-selection-item').filter({ hasText: PRESENTED }).waitFor();
  assert.equal(await byTestId(page, 'wb-transfer-note').count(), 0, 'no note: nobody of ours takes the call');
  // Abroad: the outbound rules refuse it, in Chinese.
  await byTestId(page, 'wb-transfer-number').fill('+1 (650) 555-0100');
  assert.equal(await byTestId(page, 'wb-transfer-number').inputValue(), '+16505550100');
  await byTestId(page, 'wb-transfer-ok').click();
  const refusal = page.locator('[data-testid="wb-transfer-error"][data-code="destination_refused"]');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /外呼规则/);
  assert.doesNotMatch(await refusal.innerText(), /[A-Za-z]/, 'no English in the Chinese refusal');
  await screenshot(page, 'switchboard-handout-refused.png');

  await byTestId(page, 'wb-transfer-number').fill(TYPED);
  await pickOption(page, byTestId(page, 'wb-transfer-caller'), PRESENTED);
  await screenshot(page, 'switchboard-handout-number.png');
  await byTestId(page, 'wb-transfer-ok').click();
  await byTestId(page, 'wb-transfer-dialog').waitFor({ state: 'hidden' });
  await page.locator('[data-testid="wb-transfer-done"][data-kind="number"]').waitFor();
  // agent1 left the call: their card is in wrap-up.
  await page.locator(`[data-testid="contact-card"][data-contact-id="${contactId}"][data-state="wrap_up"]`).waitFor({ timeout: 20_000 });
  assert.equal((await agent1.get(`/contacts/${contactId}`)).state, 'wrap_up');

  const record = await handedRecord(contactId);
  assert.deepEqual(record.handoffs.map((h) => [h.kind, h.to_target]), [['external', OUTSIDE]]);
  await wrapUpAndContinue(contactId);
  const shown = await shownHandoff(record.id);
  assert.equal(shown.kind, 'external');
  assert.match(shown.text, new RegExp(`转外线 小红 Xiaohong → \\${OUTSIDE}`));
  await screenshot(page, 'switchboard-handout-record.png');
  hangUpCustomer();
  assert.deepEqual(page.errors, []);
});

test('a consult with an outside number names the number, and completing it leaves agent1 in wrap-up', async () => {
  const contactId = await customerCalls('13900139002');
  const card = page.locator(`[data-testid="contact-card"][data-contact-id="${contactId}"]`);
  await card.locator('[data-testid="contact-consult"]').click();
  await modalOpened(page);
  await byTestId(page, 'consult-outside').waitFor();
  await page.locator('[data-testid="consult-caller"] .ant-select-selection-item').filter({ hasText: PRESENTED }).waitFor();
  await byTestId(page, 'consult-number').fill(TYPED);
  await screenshot(page, 'switchboard-consult-outside.png');
  await byTestId(page, 'consult-number-call').click();
  await byTestId(page, 'consult-dialog').waitFor({ state: 'hidden' });

  // The outside phone answers by itself: the bar names the number, not an agent.
  const state = page.locator('[data-testid="contact-consult-state"][data-phase="consulting"]');
  await state.waitFor({ timeout: 20_000 });
  assert.equal(await state.getAttribute('data-kind'), 'number');
  assert.equal(await state.innerText(), `与 外线 ${TYPED} 咨询中`);
  await screenshot(page, 'switchboard-consult-outside-talking.png');

  await byTestId(page, 'contact-consult-complete').click();
  await page.locator('.ant-message').getByText(`通话已转给 外线 ${TYPED}`).waitFor();
  await page.locator(`[data-testid="contact-card"][data-contact-id="${contactId}"][data-state="wrap_up"]`).waitFor({ timeout: 20_000 });
  const record = await handedRecord(contactId);
  assert.equal(record.handoffs.length, 1);
  assert.equal(record.handoffs[0].to_target, OUTSIDE);
  await wrapUpAndContinue(contactId);
  const shown = await shownHandoff(record.id);
  assert.match(shown.text, new RegExp(`小红 Xiaohong → \\${OUTSIDE}`));
  hangUpCustomer();
  assert.deepEqual(page.errors, []);
});

test('a call is sent to the satisfaction survey; the IVR flows are offered with their nodes', async () => {
  const contactId = await customerCalls('13900139003');
  await openTransfer(contactId);
  // The IVR flow: the demo's menu, at its start unless a node is picked.
  await byTestId(page, 'wb-transfer-kind-ivr').click();
  await page.locator('[data-testid="wb-transfer-flow"] .ant-select-selection-item').filter({ hasText: '主菜单' }).waitFor();
  await page.locator('[data-testid="wb-transfer-node"] .ant-select-selector').click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) [data-testid="wb-transfer-node-start"]').waitFor();
  assert.match(await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) [data-testid="wb-transfer-node-start"]').innerText(), /（流程开头）/);
  await page.keyboard.press('Escape');
  await screenshot(page, 'switchboard-handout-ivr.png');

  await byTestId(page, 'wb-transfer-kind-survey').click();
  await byTestId(page, 'wb-transfer-survey-hint').waitFor();
  await byTestId(page, 'wb-transfer-ok').click();
  await byTestId(page, 'wb-transfer-dialog').waitFor({ state: 'hidden' });
  await page.locator('[data-testid="wb-transfer-done"][data-kind="survey"]').waitFor();
  await page.locator(`[data-testid="contact-card"][data-contact-id="${contactId}"][data-state="wrap_up"]`).waitFor({ timeout: 20_000 });

  const record = await handedRecord(contactId);
  assert.deepEqual(record.handoffs.map((h) => [h.kind, h.to_target]), [['ivr', 'survey']]);
  await wrapUpAndContinue(contactId);
  const shown = await shownHandoff(record.id);
  assert.equal(shown.kind, 'survey');
  assert.equal(shown.text.replace(/^\S+\s+/, ''), '转满意度评价（小红 Xiaohong）');
  hangUpCustomer();
  assert.deepEqual(page.errors, []);
});
