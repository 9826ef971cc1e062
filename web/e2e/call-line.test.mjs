// The hotline answered in the browser over a standing line (V15, V2, V3, V11, V13). agent1's
// desk phone is baresip registered as 1001 (auto-answer, sending a 1 kHz tone). agent1 signs
// in and turns on 持续连接: the server calls the phone once and keeps it up. sipp calls 4000
// as a customer, presses 1 and plays sipp's recorded speech; the workbench rings with the
// screen pop, Answer bridges the call onto the line, Release ends the customer's call (sipp
// gets the BYE) while the line stays up, and the wrap-up summary is saved. The supervisor
// then finds the call record — agent1, released by the agent — and plays its recording in the
// browser with range requests; the recording holds the customer on the left and the agent's
// tone on the right.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, login, screenshot, startSuite } from './helpers.mjs';
import { startPhone } from './baresip.mjs';
import { callHotline, sipAddress } from './sipp.mjs';

const CALLER = '13800138000';
let suite;
let phone;
let sipp;

before(async () => {
  suite = await startSuite({ offer_timeout_s: 120 });
});

after(async () => {
  sipp?.stop();
  phone?.stop();
  await suite?.browser.close();
  await suite?.server.stop();
});

/** G.711 µ-law byte to linear 16-bit. */
function ulaw(byte) {
  const u = ~byte & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

/** Root mean square of each channel of a stereo WAV (µ-law or 16-bit PCM). */
function channelLevels(wav) {
  let at = 12;
  let format;
  while (at + 8 <= wav.length) {
    const id = wav.toString('latin1', at, at + 4);
    const size = wav.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') format = { tag: wav.readUInt16LE(body), channels: wav.readUInt16LE(body + 2) };
    if (id === 'data') {
      assert.equal(format?.channels, 2, 'the recording is stereo');
      const width = format.tag === 1 ? 2 : 1;
      const sums = [0, 0];
      const frames = Math.floor(Math.min(size, wav.length - body) / (2 * width));
      for (let i = 0; i < frames; i++) {
        for (let c = 0; c < 2; c++) {
          const off = body + (i * 2 + c) * width;
          const v = width === 2 ? wav.readInt16LE(off) : ulaw(wav[off]);
          sums[c] += v * v;
        }
      }
      return sums.map((s) => Math.sqrt(s / Math.max(frames, 1)));
    }
    at = body + size + (size % 2);
  }
  throw new Error('no data chunk in the recording');
}

test('an agent answers a call on the standing line, releases, wraps up; the supervisor plays it', async () => {
  const { server, browser } = suite;
  const sip = await sipAddress(server);
  phone = await startPhone(sip, { extension: '1001', password: 'switchboard' });

  const page = await browser.newPage();
  await login(page, server.url, 'agent1', 'switchboard');
  await page.waitForURL(/\/workbench/);
  await byTestId(page, 'connection-bar-sign-in').click();
  await page.locator('[data-testid="connection-bar-state"][data-state="idle"]').waitFor();
  await page.locator('[data-testid="connection-bar-phone"][data-phone="registered"]').waitFor({ timeout: 20_000 });
  // 持续连接: the phone is called and answers by itself; the line is up.
  await byTestId(page, 'connection-bar-line').locator('button[role="switch"]').click();
  await page.locator('[data-testid="connection-bar-line"][data-line="up"]').waitFor({ timeout: 20_000 });
  await screenshot(page, 'switchboard-line-up.png');

  sipp = callHotline(sip, { caller: CALLER, audio: true });
  const offer = byTestId(page, 'offer-card');
  await offer.waitFor({ timeout: 30_000 });
  const card = offer.locator('[data-testid="caller-card"]');
  assert.equal(await card.locator('[data-testid="caller-number"]').innerText(), `+86${CALLER}`);
  assert.equal(await card.locator('[data-testid="caller-location"]').innerText(), '北京市');
  assert.match(await card.locator('[data-testid="caller-ivr-path"]').innerText(), /主菜单 Main menu → 1 售前 Presales/);

  await byTestId(page, 'offer-answer').click();
  const contact = byTestId(page, 'contact-card');
  await contact.waitFor();
  await contact.locator('[data-testid="caller-card"] [data-testid="caller-number"]').waitFor();
  // They talk for a few seconds: the customer's recorded speech one way, the phone's tone the other.
  await new Promise((r) => setTimeout(r, 6_000));
  await byTestId(page, 'contact-release').click();
  await page.locator('[data-testid="contact-card"][data-state="wrap_up"]').waitFor();
  assert.equal(await sipp.done, 0, 'the customer got our BYE and finished its script');
  // The line outlives the call.
  assert.equal(await byTestId(page, 'connection-bar-line').getAttribute('data-line'), 'up');

  await byTestId(page, 'contact-summary').fill('咨询套餐资费');
  await byTestId(page, 'contact-summary-solution').fill('已介绍新套餐');
  await byTestId(page, 'contact-summary-save').click();
  await byTestId(page, 'contact-summary-saved').waitFor();
  await byTestId(page, 'contact-continue').click();
  await page.locator('[data-testid="connection-bar-state"][data-state="idle"]').waitFor();

  // The record: agent1 answered, the agent released, and the recording holds both sides.
  const sup = await suite.api.login('supervisor');
  let call;
  for (let i = 0; i < 100 && !call?.recording; i++) {
    call = (await sup.get(`/calls?number=${CALLER}`)).items?.find((c) => c.caller.endsWith(CALLER));
    if (!call?.recording) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(call?.recording, `the call has a recording: ${JSON.stringify(call)}`);
  assert.equal(call.agent_id, suite.ids.agent1);
  assert.equal(call.released_by, 'agent');
  const res = await fetch(`${server.url}/api/v1/calls/${call.id}/recording`, { headers: { Authorization: `Bearer ${sup.token}` } });
  assert.equal(res.status, 200);
  const [customer, agent] = channelLevels(Buffer.from(await res.arrayBuffer()));
  assert.ok(customer > 300, `the customer's side of the recording is not silent (rms ${customer})`);
  assert.ok(agent > 1000, `the agent's tone is on the right (rms ${agent})`);

  const player = await browser.newPage();
  const statuses = [];
  player.on('response', (r) => {
    if (r.url().includes('/recording')) statuses.push(r.status());
  });
  await login(player, server.url, 'supervisor', 'switchboard');
  await player.waitForURL((u) => !u.pathname.startsWith('/login'));
  await player.goto(`${server.url}/calls`);
  const row = byTestId(player, `call-row-${call.caller}`).first();
  await row.waitFor();
  await row.click();
  assert.equal(await byTestId(player, 'call-released-by').innerText(), '座席挂断');
  await player.waitForFunction(() => {
    const a = document.querySelector('[data-testid="call-audio"]');
    return a && a.readyState >= 1 && Number.isFinite(a.duration) && a.duration > 3;
  });
  // Muted: a headless browser has no speakers, and a muted player may start without a gesture.
  await byTestId(player, 'call-audio').evaluate((a) => {
    a.muted = true;
    return a.play();
  });
  await player.waitForFunction(() => document.querySelector('[data-testid="call-audio"]').currentTime > 0.5);
  assert.ok(statuses.includes(206), `range requests answered 206: ${statuses}`);
  await screenshot(player, 'switchboard-line-recording.png');

  // Turning the line off hangs the phone up.
  await byTestId(page, 'connection-bar-line').locator('button[role="switch"]').click();
  await page.locator('[data-testid="connection-bar-line"][data-line="off"]').waitFor();
  assert.deepEqual([...page.errors, ...player.errors], []);
});
