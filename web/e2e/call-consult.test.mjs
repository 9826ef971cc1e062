// Consulting a colleague on a call (V6), with real phones and plain agents (no supervisor role:
// the consult dialog lists colleagues through GET /agent/colleagues). agent1's desk phone is
// baresip on 1001, answering by itself; agent2's is baresip on 1002, answered by the test so
// that the ringing can be seen. A customer (sipp) calls 4002, routed straight to the pre-sales
// queue; agent1's phone takes it. agent1 first tries agent3, signed in without a phone: the
// refusal is said in Chinese in the dialog. Then agent1 consults agent2: "calling 小张…" while
// agent2's phone rings, "consulting 小张" once it answers, a three-way call on 三方通话, and the
// attended transfer on 完成转接: agent1's card goes, agent2's workbench has the call connected,
// and the call record lists the hand-over.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, login, modalOpened, screenshot, startSuite } from './helpers.mjs';
import { startPhone } from './baresip.mjs';
import { callHotline, sipAddress } from './sipp.mjs';

const CALLER = '13900139001';
let suite;
let phones = [];
let sipp;

before(async () => {
  suite = await startSuite({ offer_timeout_s: 60 });
  const presales = (await suite.admin.get('/queues')).find((q) => q.channel === 'voice' && q.name.startsWith('售前'));
  await suite.admin.post('/voice/numbers', { number: '4002', inbound: true, route: { kind: 'queue', queue_id: presales.id } });
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

/** Waits until baresip has a call (ringing or up): `accept` before that would answer nothing. */
async function phoneRinging(phone, timeout = 10_000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    const { data } = await phone.command('listcalls');
    if (/Active calls \(1\)/.test(data)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the consulted phone never rang');
}

test('a plain agent consults a colleague, joins a three-way call and completes the transfer', async () => {
  const { server, api, ids } = suite;
  const sip = await sipAddress(server);
  const phone2 = await startPhone(sip, { extension: '1002', password: 'switchboard', toneHz: 2000, answer: 'manual' });
  phones = [await startPhone(sip, { extension: '1001', password: 'switchboard' }), phone2];
  const a1 = await signedIn('agent1');
  const a2 = await signedIn('agent2');
  const me = await api.login('agent1');
  assert.equal(me.user.permissions.includes('supervisor.monitor'), false, 'agent1 is a plain agent');

  sipp = callHotline(sip, { caller: CALLER, number: '4002', press: null });
  const card = a1.locator('[data-testid="contact-card"][data-state="connected"]');
  await card.waitFor({ timeout: 30_000 });
  const contactId = await card.getAttribute('data-contact-id');
  // agent3 signs in (after the call went to agent1) with no phone registered.
  const agent3 = await api.login('agent3');
  const s3 = await agent3.post('/agent/sign-in', {});
  if (s3.state !== 'idle') await agent3.post('/agent/state', { state: 'idle' });

  // The dialog: every signed-in colleague with their state; agent3 cannot be reached.
  await byTestId(a1, 'contact-consult').click();
  await modalOpened(a1);
  const dialog = byTestId(a1, 'consult-dialog');
  assert.match(await a1.locator('.ant-modal-title').innerText(), /咨询同事/);
  await byTestId(a1, `consult-agent-${ids.agent3}`).waitFor();
  await byTestId(a1, `consult-agent-${ids.agent2}`).waitFor();
  assert.match(await byTestId(a1, `consult-row-${ids.agent2}`).innerText(), /小张 Zhang Wei[\s\S]*空闲/);
  await byTestId(a1, `consult-agent-${ids.agent3}`).click();
  const refusal = byTestId(a1, 'consult-error');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /话机未注册/);
  assert.doesNotMatch(await refusal.innerText(), /[A-Za-z]/, 'no English in the Chinese refusal');
  await screenshot(a1, 'switchboard-consult-dialog.png');
  await agent3.post('/agent/sign-out');

  // agent2: their phone rings, the card says so; Join waits for the answer.
  await byTestId(a1, `consult-agent-${ids.agent2}`).click();
  await dialog.waitFor({ state: 'hidden' });
  const state = byTestId(a1, 'contact-consult-state');
  await a1.locator('[data-testid="contact-consult-state"][data-phase="ringing"]').waitFor();
  assert.equal(await state.innerText(), '正在呼叫 小张 Zhang Wei…');
  assert.equal(await byTestId(a1, 'contact-consult-join').isDisabled(), true, 'no three-way before the answer');
  assert.equal(await byTestId(a1, 'contact-hold').count(), 0, 'no hold while consulting');
  assert.equal(await byTestId(a1, 'contact-consult-end').innerText(), '取消咨询');
  await screenshot(a1, 'switchboard-consult-ringing.png');

  await phoneRinging(phone2);
  await phone2.command('accept');
  await a1.locator('[data-testid="contact-consult-state"][data-phase="consulting"]').waitFor();
  assert.equal(await state.innerText(), '与 小张 Zhang Wei 咨询中');
  assert.match(await byTestId(a1, 'contact-consult-end').innerText(), /返回客户/);
  await screenshot(a1, 'switchboard-consult-talking.png');

  // Three-way: everyone hears everyone.
  await byTestId(a1, 'contact-consult-join').click();
  await a1.locator('[data-testid="contact-consult-state"][data-phase="conference"]').waitFor();
  assert.match(await state.innerText(), /^三方通话中/);
  await screenshot(a1, 'switchboard-consult-conference.png');

  // Attended transfer: the call stays with agent2; agent1 is free.
  await byTestId(a1, 'contact-consult-complete').click();
  await a1.locator('.ant-message').getByText('通话已转给 小张 Zhang Wei').waitFor();
  await byTestId(a1, 'contact-card').waitFor({ state: 'detached' });
  const card2 = a2.locator(`[data-testid="contact-card"][data-state="connected"][data-contact-id="${contactId}"]`);
  await card2.waitFor({ timeout: 20_000 });
  await card2.locator('[data-testid="contact-hold"]').waitFor();
  await screenshot(a2, 'switchboard-consult-completed.png');
  const agent2 = await api.login('agent2');
  const contact = await agent2.get(`/contacts/${contactId}`);
  assert.equal(contact.agent_id, ids.agent2);
  assert.equal(contact.state, 'connected');

  // The call record (agent2's now) lists the hand-over.
  const recordId = contact.data.call_record;
  assert.ok(recordId, 'the contact names its call record');
  const a2calls = await suite.browser.newPage();
  await login(a2calls, server.url, 'agent2', 'switchboard');
  await a2calls.waitForURL(/\/workbench/);
  await a2calls.goto(`${server.url}/calls?open=${recordId}`);
  const handoff = byTestId(a2calls, 'call-handoff-1');
  await handoff.waitFor();
  assert.match(await handoff.innerText(), /咨询后转接 小红 Xiaohong → 小张 Zhang Wei/);
  assert.equal(await handoff.getAttribute('data-kind'), 'attended');
  assert.deepEqual([...a1.errors, ...a2.errors, ...a2calls.errors], []);
});
