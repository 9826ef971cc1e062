// Call records on tickets (T11, T2), with a real call: agent1's desk phone is baresip
// registered as 1001 (answering by itself); sipp calls the hotline 4000 as a customer, presses
// 1, is offered to agent1 (signed in), whose phone answers; they talk a few seconds and the
// customer hangs up, leaving a call record with its contact and a stereo recording. The
// supervisor opens the record, creates a ticket from it — the form pre-filled with the
// customer's number as from the live contact — and the new ticket links the call's contact
// and lists the call in its Calls card with a recording player that plays.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, login, pickOption, screenshot, startSuite } from './helpers.mjs';
import { startPhone } from './baresip.mjs';
import { callHotline, sipAddress } from './sipp.mjs';

const CALLER = '13800138000';
let suite;
let phone;
let sipp;
/** The call record the real call left. */
let call;

before(async () => {
  suite = await startSuite({ offer_timeout_s: 120, wrap_up_limit_s: 5 });
  const { server, api } = suite;
  const sip = await sipAddress(server);
  phone = await startPhone(sip, { extension: '1001', password: 'switchboard' });
  const agent = await api.login('agent1');
  for (let i = 0; i < 200 && !(await agent.get('/agent/phone')).registered_devices; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  await agent.post('/agent/sign-in', {});
  // The customer talks for 8 s after pressing 1, then hangs up.
  sipp = callHotline(sip, { caller: CALLER, audio: true, hangUpAfterMs: 8_000 });
  assert.equal(await sipp.done, 0, 'the customer ran its script to the end');
  const sup = await api.login('supervisor');
  for (let i = 0; i < 100 && !(call?.recording && call?.ended_at); i++) {
    call = (await sup.get(`/calls?number=${CALLER}`)).items?.find((c) => c.caller.endsWith(CALLER));
    if (!(call?.recording && call?.ended_at)) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(call?.recording && call.contact_id, `a recorded call with its contact: ${JSON.stringify(call)}`);
  assert.equal(call.agent_id, suite.ids.agent1);
});

after(async () => {
  sipp?.stop();
  phone?.stop();
  await suite?.browser.close();
  await suite?.server.stop();
});

/** Wait until the input matched by `selector` holds a value containing `part` (a pre-fill arrives asynchronously). */
async function waitValueWith(page, selector, part) {
  await page.waitForFunction(([sel, v]) => (document.querySelector(sel)?.value ?? '').includes(v), [selector, part], { timeout: 15_000 });
}

test('a ticket created from a call record is pre-filled, links the contact and plays the call', async () => {
  const { server, browser } = suite;
  const page = await browser.newPage();
  const recordings = [];
  page.on('response', (r) => {
    if (r.url().includes('/recording')) recordings.push(r.status());
  });
  await login(page, server.url, 'supervisor', 'switchboard');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.goto(`${server.url}/calls`);
  await page.locator('[data-testid^="call-row-"]').filter({ hasText: CALLER }).first().click();
  await byTestId(page, 'call-legs').waitFor();

  // From the record: the create dialog, filled in as from the live contact.
  const create = byTestId(page, 'call-create-ticket');
  assert.match(await create.innerText(), /从此通话创建工单/);
  await create.click();
  await byTestId(page, 'ticket-create-form').waitFor();
  await waitValueWith(page, '#f_title', CALLER);
  await waitValueWith(page, '#f_customer', CALLER);
  await waitValueWith(page, '#f_phone', CALLER);
  if (await page.locator('#f_product').count()) {
    await pickOption(page, page.locator('#f_product'), '耳机 Earbuds');
    await page.waitForFunction(() => !document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)'));
  }
  await byTestId(page, 'ticket-create-submit').click();
  await byTestId(page, 'ticket-created-link').click();
  await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
  await byTestId(page, 'ticket-detail').waitFor();

  // The ticket links the call's contact and lists the call, with its recording.
  await byTestId(page, 'ticket-contact').first().waitFor();
  const ticketId = page.url().split('/').pop();
  const ticket = await (await suite.api.login('supervisor')).get(`/tickets/${ticketId}`);
  assert.deepEqual(ticket.contact_ids, [call.contact_id]);
  const row = page.locator(`[data-testid="ticket-call"][data-call-id="${call.id}"]`);
  await row.waitFor();
  assert.match(await row.locator('[data-testid="ticket-call-number"]').innerText(), new RegExp(CALLER));
  assert.match(await row.innerText(), /小红 Xiaohong/);
  assert.match(await row.innerText(), /呼入/);
  const audio = row.locator('[data-testid="ticket-call-audio"]');
  await audio.evaluate((a) => {
    a.preload = 'metadata';
    a.load();
  });
  await page.waitForFunction((id) => {
    const a = document.querySelector(`[data-call-id="${id}"] [data-testid="ticket-call-audio"]`);
    return a && a.readyState >= 1 && Number.isFinite(a.duration) && a.duration > 1;
  }, call.id);
  assert.ok(recordings.length > 0 && !recordings.some((s) => s >= 400), `the recording plays: ${recordings}`);
  await screenshot(page, 'switchboard-ticket-calls.png');
  assert.deepEqual(page.errors, []);
});

test('in English, the Calls card speaks English and an agent without the recording is told so', async () => {
  const { server, browser, api } = suite;
  // agent2 opens a ticket on the same contact: they see the call, not agent1's recording.
  const sup = await api.login('supervisor');
  const types = await sup.get('/ticket-types');
  const agent2 = await api.login('agent2');
  const created = await sup.post('/tickets', { type_id: types[0].id, contact_id: call.contact_id, fields: { title: 'callback' } });
  // Copied on the ticket, agent2 sees it.
  await sup.post(`/tickets/${created.id}/cc`, { user_id: suite.ids.agent2 });
  const seen = await agent2.get(`/tickets/${created.id}/calls`);
  assert.equal(seen[0].recording_playable, false);

  const page = await browser.newPage({ lang: 'en' });
  await login(page, server.url, 'agent2', 'switchboard');
  await page.waitForURL(/\/workbench/);
  await page.goto(`${server.url}/tickets/${created.id}`);
  const row = page.locator(`[data-testid="ticket-call"][data-call-id="${call.id}"]`);
  await row.waitFor();
  const card = await byTestId(page, 'ticket-calls').innerText();
  assert.match(card, /Calls/);
  assert.match(card, /Inbound/);
  assert.match(card, /You may not listen to this recording/);
  assert.equal(await row.locator('audio').count(), 0);
  assert.deepEqual(page.errors, []);
});
