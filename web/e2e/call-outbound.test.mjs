// Outbound calls from the workbench (外呼, V9, V10, T4), with real phones. agent1's desk phone is
// baresip on 1001, answering by itself; the customer's phone is baresip behind the carrier: the
// trunk's outbound proxy, answering by itself too. The admin API sets up the trunk, the number
// 95000 with outbound on, and a number group giving it to the pre-sales queue's agents.
// agent1 signs in in Chromium, keys 13800138000 on the dial pad choosing 95000, the call connects
// (both phones answer), agent1 hangs up and the wrap-up calls the summary the outbound notes; the
// call record is outbound from 95000 to the customer, and it offers to call back. Then from a
// ticket with a phone number agent1 calls, and the ticket's trail shows the call. Numbers the
// outbound rules refuse (abroad, premium-rate) are refused in Chinese, naming the rule's label.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, login, modalOpened, pickOption, screenshot, startSuite } from './helpers.mjs';
import { startCallee, startPhone } from './baresip.mjs';
import { sipAddress } from './sipp.mjs';

const CUSTOMER = '+8613800138000';
const PRESENTED = '95000';
let suite;
let phones = [];
let page;
let agent1;

before(async () => {
  suite = await startSuite({ offer_timeout_s: 60 });
  const { admin, server, browser, api } = suite;
  const sip = await sipAddress(server);
  const callee = await startCallee(CUSTOMER);
  phones = [callee, await startPhone(sip, { extension: '1001', password: 'switchboard' })];

  const presales = (await admin.get('/queues')).find((q) => q.channel === 'voice' && q.name.startsWith('售前'));
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
});

after(async () => {
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

/** The call record of a contact once its customer leg answered. */
async function answeredRecord(contactId) {
  return eventually(async () => {
    const page = await agent1.get(`/calls?number=${PRESENTED}`);
    const record = page.items.find((r) => r.contact_id === contactId);
    if (!record) return null;
    const detail = await agent1.get(`/calls/${record.id}`);
    return detail.legs.some((l) => l.party === 'destination' && l.answered_at) ? detail : null;
  }, "the customer's phone answering");
}

/** Hangs up agent1's connected call from its card; the card stays, in wrap-up. */
async function hangUp(contactId) {
  const card = page.locator(`[data-testid="contact-card"][data-contact-id="${contactId}"]`);
  await card.locator('[data-testid="contact-release"]').click();
  await page.locator(`[data-testid="contact-card"][data-contact-id="${contactId}"][data-state="wrap_up"]`).waitFor();
  return card;
}

test('the dial pad waits for sign-in, then calls the customer with the chosen caller number', async () => {
  // Signed out: the pad opens but Call is disabled and says why.
  await byTestId(page, 'connection-bar-dial').click();
  await modalOpened(page);
  await page.locator('[data-testid="dial-block"][data-block="signedOut"]').waitFor();
  assert.equal(await byTestId(page, 'dial-block').innerText(), '请先签入再外呼');
  await page.locator('.ant-modal-wrap:visible [data-testid="dial-cancel"]').click();
  await byTestId(page, 'dial-dialog').waitFor({ state: 'hidden' });

  await byTestId(page, 'connection-bar-sign-in').click();
  await page.locator('[data-testid="connection-bar-state"][data-state="idle"]').waitFor();
  await page.locator('[data-testid="connection-bar-phone"][data-phone="registered"]').waitFor({ timeout: 20_000 });

  await byTestId(page, 'connection-bar-dial').click();
  await modalOpened(page);
  assert.equal(await byTestId(page, 'dial-block').count(), 0, 'idle: nothing blocks the call');
  // Keyed on the pad, one key too many taken back with backspace.
  for (const k of '138001380009') await byTestId(page, `dial-key-${k}`).click();
  await byTestId(page, 'dial-backspace').click();
  assert.equal(await byTestId(page, 'dial-number').inputValue(), '13800138000');
  // The caller number: the group's default is preselected; picked explicitly all the same.
  await page.locator('[data-testid="dial-caller"] .ant-select-selection-item').filter({ hasText: PRESENTED }).waitFor();
  await pickOption(page, byTestId(page, 'dial-caller'), PRESENTED);
  await screenshot(page, 'switchboard-dial-pad.png');
  assert.equal(await byTestId(page, 'dial-call').isEnabled(), true);
  await byTestId(page, 'dial-call').click();
  await byTestId(page, 'dial-dialog').waitFor({ state: 'hidden' });

  // The call shows like any connected call, with its controls, tagged outbound.
  const card = page.locator('[data-testid="contact-card"][data-state="connected"]');
  await card.waitFor({ timeout: 20_000 });
  const contactId = await card.getAttribute('data-contact-id');
  assert.equal(await card.locator('[data-testid="contact-outbound"]').innerText(), '外呼');
  await card.locator('[data-testid="contact-hold"]').waitFor();
  await card.locator('[data-testid="contact-keypad"]').waitFor();
  // While the call lasts, the pad refuses another.
  assert.equal(await byTestId(page, 'connection-bar-dial').getAttribute('data-block'), 'onCall');

  // Both phones answered: the customer's leg of the call record is answered.
  const record = await answeredRecord(contactId);
  assert.equal(record.direction, 'outbound');
  assert.equal(record.caller, PRESENTED);
  assert.equal(record.dialled, CUSTOMER);
  assert.equal(record.agent_id, suite.ids.agent1);
  await screenshot(page, 'switchboard-dial-connected.png');

  // agent1 hangs up: the wrap-up's summary is the outbound call's notes.
  const wrap = await hangUp(contactId);
  assert.equal(await wrap.locator('[data-testid="contact-summary-label"]').innerText(), '外呼备注');
  await wrap.locator('[data-testid="contact-summary"]').fill('客户同意下周二上门安装');
  await wrap.locator('[data-testid="contact-summary-save"]').click();
  await wrap.locator('[data-testid="contact-summary-saved"]').waitFor();
  await wrap.locator('[data-testid="contact-call-back"]').waitFor();
  await screenshot(page, 'switchboard-dial-wrap-up.png');
  await wrap.locator('[data-testid="contact-continue"]').click();
  await wrap.waitFor({ state: 'detached' });

  const contact = await agent1.get(`/contacts/${contactId}`);
  assert.equal(contact.direction, 'outbound');
  assert.equal(contact.channel, 'voice');
  assert.equal(contact.summary, '客户同意下周二上门安装');
  const ended = await eventually(async () => {
    const r = (await agent1.get(`/calls?number=${PRESENTED}`)).items.find((x) => x.contact_id === contactId);
    return r?.ended_at ? r : null;
  }, 'the call record ending');
  assert.equal(ended.direction, 'outbound');
  assert.equal(ended.caller, PRESENTED);

  // The call record offers to call the customer back: the pad opens with their number.
  await page.goto(`${suite.server.url}/calls?open=${ended.id}`);
  await byTestId(page, 'call-call-back').click();
  await modalOpened(page);
  assert.equal(await byTestId(page, 'dial-number').inputValue(), CUSTOMER);
  await page.locator('.ant-modal-wrap:visible [data-testid="dial-cancel"]').click();
  await byTestId(page, 'dial-dialog').waitFor({ state: 'hidden' });
  assert.deepEqual(page.errors, []);
});

test("a call from a ticket is linked to it and shows in its trail", async () => {
  const type = (await agent1.get('/ticket-types')).find((x) => x.active);
  const ticket = await agent1.post('/tickets', { type_id: type.id, fields: { title: '安装预约回访 E2E', phone: '138-0013-8000' } });
  await page.goto(`${suite.server.url}/tickets/${ticket.id}`);
  await byTestId(page, 'ticket-call').click();
  await modalOpened(page);
  assert.equal(await byTestId(page, 'dial-number').inputValue(), '13800138000');
  assert.match(await byTestId(page, 'dial-ticket').innerText(), new RegExp(ticket.number));
  await byTestId(page, 'dial-call').click();
  await byTestId(page, 'dial-dialog').waitFor({ state: 'hidden' });
  // The page stays on the ticket; its trail shows the call with the number.
  assert.match(page.url(), new RegExp(`/tickets/${ticket.id}$`));
  const entry = page.locator('[data-testid="ticket-trail-entry"][data-action="call_placed"]');
  await entry.waitFor({ timeout: 20_000 });
  assert.match(await entry.innerText(), /外呼了 \+8613800138000/);
  await screenshot(page, 'switchboard-dial-ticket.png');

  const linked = await agent1.get(`/tickets/${ticket.id}`);
  assert.equal(linked.contact_ids.length, 1);
  const contactId = linked.contact_ids[0];
  const contact = await agent1.get(`/contacts/${contactId}`);
  assert.equal(contact.direction, 'outbound');
  await answeredRecord(contactId);

  // Back on the workbench the call is there to hang up.
  await page.goto(`${suite.server.url}/workbench`);
  await page.locator(`[data-testid="contact-card"][data-contact-id="${contactId}"][data-state="connected"]`).waitFor();
  const wrap = await hangUp(contactId);
  await wrap.locator('[data-testid="contact-continue"]').click();
  await wrap.waitFor({ state: 'detached' });
  assert.deepEqual(page.errors, []);
});

test('numbers the outbound rules refuse are refused in words, naming the rule', async () => {
  await page.locator('[data-testid="connection-bar-state"][data-state="idle"]').waitFor();
  await byTestId(page, 'connection-bar-dial').click();
  await modalOpened(page);
  // Pasted with its punctuation: the pad keeps the digits and the leading +.
  await byTestId(page, 'dial-number').fill('+1 (650) 555-0100');
  assert.equal(await byTestId(page, 'dial-number').inputValue(), '+16505550100');
  await byTestId(page, 'dial-call').click();
  const error = page.locator('[data-testid="dial-error"][data-code="destination_refused"]');
  await error.waitFor();
  assert.equal(await error.innerText(), '外呼规则不允许拨打该号码');
  await screenshot(page, 'switchboard-dial-refused.png');

  await byTestId(page, 'dial-number').fill('+86 168 1234 5678');
  assert.equal(await byTestId(page, 'dial-error').count(), 0, 'a new number clears the refusal');
  await byTestId(page, 'dial-call').click();
  await error.waitFor();
  assert.equal(await error.innerText(), '外呼规则禁止拨打该号码（声讯台）');
  // Nothing was placed: agent1 is still idle with no contact.
  const me = await agent1.get('/agent');
  assert.equal(me.state, 'idle');
  assert.deepEqual(me.contacts, []);
  assert.deepEqual(page.errors, []);

  // The English UI says it in English, the rule's label as the admin wrote it.
  const en = await suite.browser.newPage({ lang: 'en' });
  await login(en, suite.server.url, 'agent1', 'switchboard');
  await en.waitForURL(/\/workbench/);
  await en.locator('[data-testid="connection-bar-state"][data-state="idle"]').waitFor();
  await byTestId(en, 'connection-bar-dial').click();
  await modalOpened(en);
  await byTestId(en, 'dial-number').fill('+8616812345678');
  await byTestId(en, 'dial-call').click();
  const refused = en.locator('[data-testid="dial-error"][data-code="destination_refused"]');
  await refused.waitFor();
  assert.equal(await refused.innerText(), 'The outbound rules forbid calls to this number (声讯台)');
  assert.equal(await en.locator('.ant-modal-title').innerText(), 'Outbound call');
  assert.deepEqual(en.errors, []);
});
