// A voicemail's ticket plays the message in the browser (V1). The pre-sales queue waits 5 s and
// turns a message into a ticket of a type with an attachment field; sipp calls the hotline as
// 13700137000, presses 1, waits out the queue and leaves a message until the server ends it.
// agent1 (pre-sales) opens the ticket: the trail's created entry says 由语音留言创建 · m:ss with
// the caller's number, and its player loads the WAV (a duration the browser read from it); in
// English the same entry speaks English.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { login, screenshot, startSuite } from './helpers.mjs';
import { callHotline, sipAddress } from './sipp.mjs';

const CALLER = '13700137000';
let suite;
let sipp;

before(async () => {
  suite = await startSuite();
  const { admin } = suite;
  const type = await admin.post('/ticket-types', { name: '语音留言 Voicemail', fields: null });
  const fields = [...type.fields, { code: 'recording', label: '录音 Recording', type: 'attachment' }];
  await admin.put(`/ticket-types/${type.id}`, { name: type.name, version: 1, fields, workflow: type.workflow });
  const presales = (await admin.get('/queues')).find((q) => q.channel === 'voice' && q.name.startsWith('售前'));
  assert.ok(presales, 'the demo has a pre-sales voice queue');
  await admin.put(`/voice/queues/${presales.id}`, { announce_every_s: null, languages: ['en'], voicemail_ticket_type_id: type.id, voicemail_max_s: 10 });
  await admin.patch(`/queues/${presales.id}`, { max_wait_s: 5 });
  suite.typeId = type.id;
});

after(async () => {
  sipp?.stop();
  await suite?.browser.close();
  await suite?.server.stop();
});

test('a ticket opened from a voicemail plays the message in its trail', async () => {
  const { server, browser, api } = suite;
  sipp = callHotline(await sipAddress(server), { caller: CALLER, audio: true });
  const supervisor = await api.login('supervisor');
  let ticket;
  for (let i = 0; i < 120 && !ticket; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const page = await supervisor.get('/tickets?tab=all');
    ticket = page.items.find((t) => t.type_id === suite.typeId);
  }
  assert.ok(ticket, 'the message became a ticket');

  const page = await browser.newPage();
  await login(page, server.url, 'agent1', 'switchboard');
  await page.waitForURL(/\/workbench/);
  await page.goto(`${server.url}/tickets/${ticket.id}`);
  const created = page.locator('[data-testid="ticket-trail-entry"][data-action="created"]');
  await created.waitFor();
  const text = await created.innerText();
  assert.match(text, /由语音留言创建 · \d+:\d\d/);
  assert.match(text, new RegExp(`来电号码：.*${CALLER}`));
  assert.doesNotMatch(text, /[A-Za-z]/, 'no English in the Chinese entry');
  const audio = created.locator('[data-testid="ticket-voicemail-audio"]');
  assert.equal(await audio.getAttribute('preload'), 'metadata');
  // The browser reads the WAV's header: a duration, so the file is there and plays.
  await page.waitForFunction(() => {
    const a = document.querySelector('[data-testid="ticket-voicemail-audio"]');
    return a && a.readyState >= 1 && Number.isFinite(a.duration) && a.duration > 1;
  });
  await screenshot(page, 'voicemail-ticket.png');
  assert.deepEqual(page.errors, []);

  const en = await browser.newPage({ lang: 'en' });
  await login(en, server.url, 'agent1', 'switchboard');
  await en.waitForURL(/\/workbench/);
  await en.goto(`${server.url}/tickets/${ticket.id}`);
  const enCreated = en.locator('[data-testid="ticket-trail-entry"][data-action="created"]');
  await enCreated.locator('[data-testid="ticket-voicemail-audio"]').waitFor();
  const enText = await enCreated.innerText();
  assert.match(enText, /Opened from a voicemail · \d+:\d\d/);
  assert.match(enText, new RegExp(`Caller: .*${CALLER}`));
  assert.doesNotMatch(enText, /[\u4e00-\u9fff]/, 'no Chinese in the English entry');
});
