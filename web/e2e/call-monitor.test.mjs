// A supervisor monitors a call from the wallboard (P3), with real phones. agent1's desk phone is
// baresip on 1001 and takes a customer's call (sipp → 4002 → the pre-sales queue). The
// supervisor has extension 1009 but no phone registered yet: Listen is refused with "register
// your phone first", in Chinese. Then baresip registers as 1009 (answering by itself) and the
// supervisor listens, whispers and stops; the row shows the mode each time.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, login, screenshot, startSuite } from './helpers.mjs';
import { startPhone } from './baresip.mjs';
import { callHotline, sipAddress } from './sipp.mjs';

const CALLER = '13900139002';
let suite;
let phones = [];
let sipp;

before(async () => {
  suite = await startSuite({ offer_timeout_s: 60 });
  const { admin, ids } = suite;
  const presales = (await admin.get('/queues')).find((q) => q.channel === 'voice' && q.name.startsWith('售前'));
  await admin.post('/voice/numbers', { number: '4002', inbound: true, route: { kind: 'queue', queue_id: presales.id } });
  await admin.put(`/voice/extensions/${ids.supervisor}`, { number: '1009', password: 'switchboard' });
});

after(async () => {
  sipp?.stop();
  for (const p of phones) p.stop();
  await suite?.browser.close();
  await suite?.server.stop();
});

/** Waits until `who`'s phone is registered (`GET /agent/phone`). */
async function registered(who, timeout = 20_000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if ((await who.get('/agent/phone')).registered_devices > 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the phone did not register');
}

test('a supervisor listens to a call, whispers, and stops; without a phone they are told to register it', async () => {
  const { server, browser, api } = suite;
  const sip = await sipAddress(server);
  phones = [await startPhone(sip, { extension: '1001', password: 'switchboard' })];

  const a1 = await browser.newPage();
  await login(a1, server.url, 'agent1', 'switchboard');
  await a1.waitForURL(/\/workbench/);
  await byTestId(a1, 'connection-bar-sign-in').click();
  await a1.locator('[data-testid="connection-bar-state"][data-state="idle"]').waitFor();
  await a1.locator('[data-testid="connection-bar-phone"][data-phone="registered"]').waitFor({ timeout: 20_000 });
  sipp = callHotline(sip, { caller: CALLER, number: '4002', press: null });
  const card = a1.locator('[data-testid="contact-card"][data-state="connected"]');
  await card.waitFor({ timeout: 30_000 });

  const sup = await browser.newPage();
  await login(sup, server.url, 'supervisor', 'switchboard');
  await sup.waitForURL(/\/(workbench|supervisor|admin)/);
  await byTestId(sup, 'nav-supervisor').click();
  const row = sup.locator('[data-testid="wallboard-agent-agent1"][data-state="talking"]');
  await row.waitFor();
  const mode = byTestId(sup, 'monitor-mode-agent1');
  assert.equal(await mode.getAttribute('data-mode'), 'none');
  assert.equal(await byTestId(sup, 'monitor-listen-agent1').innerText(), '监听');

  // No phone registered on 1009 yet.
  await byTestId(sup, 'monitor-listen-agent1').click();
  const refusal = sup.locator('.ant-message-error');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /请先注册话机/);
  assert.doesNotMatch(await refusal.innerText(), /[A-Za-z]/, 'no English in the Chinese refusal');
  assert.equal(await mode.getAttribute('data-mode'), 'none');
  await refusal.waitFor({ state: 'detached', timeout: 10_000 });

  // The supervisor's phone registers; the server calls it and it answers by itself.
  phones.push(await startPhone(sip, { extension: '1009', password: 'switchboard', toneHz: 1500 }));
  await registered(await api.login('supervisor'));

  await byTestId(sup, 'monitor-listen-agent1').click();
  await sup.locator('[data-testid="monitor-mode-agent1"][data-mode="listen"]').waitFor();
  assert.equal(await mode.innerText(), '监听中');
  assert.equal(await byTestId(sup, 'monitor-listen-agent1').getAttribute('aria-pressed'), 'true');
  await screenshot(sup, 'switchboard-monitor-listen.png');

  await byTestId(sup, 'monitor-whisper-agent1').click();
  await sup.locator('[data-testid="monitor-mode-agent1"][data-mode="whisper"]').waitFor();
  assert.equal(await mode.innerText(), '耳语中');
  assert.equal(await byTestId(sup, 'monitor-listen-agent1').getAttribute('aria-pressed'), 'false');
  await screenshot(sup, 'switchboard-monitor-whisper.png');

  await byTestId(sup, 'monitor-stop-agent1').click();
  await sup.locator('[data-testid="monitor-mode-agent1"][data-mode="none"]').waitFor({ state: 'attached' });
  await sup.locator('.ant-message').getByText('已停止监听').waitFor();
  // The call goes on with agent1.
  await card.waitFor();
  await row.waitFor();
  assert.deepEqual([...a1.errors, ...sup.errors], []);
});
