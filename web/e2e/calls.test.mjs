// Call records in the browser (V13). A call as the SIP runtime writes it — answered by agent1
// from the pre-sales queue, the customer hung up, both legs measured, a stereo recording — is
// put in the server's own SQLite database and recordings folder (no SIP peers here; the
// real-peer call is crates/server/tests/voice/journey.rs). The supervisor finds it, opens its
// legs with their MOS and plays the recording, which Chromium fetches with range requests;
// agent1 sees it under "my call records", agent2 does not.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { apiClient, byTestId, launchBrowser, login, screenshot, startServer } from './helpers.mjs';

let server;
let browser;
const CALLER = '13812345678';

/** Writes the call, its legs and a 3 s stereo 16-bit WAV with python3's standard library. */
function seedCall({ dataDir, agent, queue, callId }) {
  const script = `
import sqlite3, sys, time, uuid, wave, struct, math, os
data, agent, queue, call = sys.argv[1:5]
b = lambda s: uuid.UUID(s).bytes
db = sqlite3.connect(os.path.join(data, 'switchboard.db'), timeout=10)
tenant = db.execute("SELECT id FROM tenants WHERE name = 'demo'").fetchone()[0]
now = int(time.time() * 1000) - 60_000
db.execute("""INSERT INTO call_records (tenant_id, id, caller, dialled, direction, started_at, answered_at, ended_at,
    queue_id, queued_at, wait_ms, agent_id, released_by, end_status, contact_id, recording, recording_ms, ivr_path)
    VALUES (?, ?, '${CALLER}', '4000', 'inbound', ?, ?, ?, ?, ?, 4000, ?, 'caller', 200, NULL, 1, 45000, '主菜单 → 1 售前')""",
    (tenant, b(call), now, now + 4000, now + 49000, b(queue), now, b(agent)))
db.execute("INSERT INTO call_variables (tenant_id, call_id, name, value) VALUES (?, ?, 'order', '12345')", (tenant, b(call)))
for party, leg_agent, codec, ring, packets, lost, jitter, mos in [
        ('caller', None, 'PCMA', now, 2450, 3, 1.25, 438), ('agent', b(agent), 'PCMU', now + 3000, 2240, 48, 7.5, 352)]:
    db.execute("""INSERT INTO call_legs (tenant_id, id, call_id, party, agent_id, codec, ring_at, answered_at, ended_at,
        packets, lost, jitter_ms, mos_x100) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (tenant, uuid.uuid4().bytes, b(call), party, leg_agent, codec, ring, now + 4000, now + 49000, packets, lost, jitter, mos))
db.commit()
folder = os.path.join(data, 'recordings', str(uuid.UUID(bytes=tenant)))
os.makedirs(folder, exist_ok=True)
w = wave.open(os.path.join(folder, call + '.wav'), 'wb')
w.setnchannels(2); w.setsampwidth(2); w.setframerate(8000)
w.writeframes(b''.join(struct.pack('<hh', int(8000 * math.sin(2 * math.pi * 440 * i / 8000)),
    int(8000 * math.sin(2 * math.pi * 1000 * i / 8000))) for i in range(8000 * 3)))
w.close()
`;
  execFileSync('python3', ['-c', script, dataDir, agent, queue, callId]);
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const admin = await apiClient(server.url).login('admin');
  const users = await admin.get('/users');
  const agent = users.find((u) => u.login === 'agent1').id;
  const queue = (await admin.get('/queues')).find((q) => q.channel === 'voice').id;
  // A time-ordered id, as the server's own (UUIDv7: the list is newest first by id).
  const ms = Date.now().toString(16).padStart(12, '0');
  const rand = [...crypto.getRandomValues(new Uint8Array(10))].map((x) => x.toString(16).padStart(2, '0')).join('');
  const callId = `${ms.slice(0, 8)}-${ms.slice(8)}-7${rand.slice(0, 3)}-8${rand.slice(3, 6)}-${rand.slice(6, 18)}`;
  seedCall({ dataDir: server.dataDir, agent, queue, callId });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a supervisor finds a call, reads its legs and plays the recording with range requests', async () => {
  const page = await browser.newPage();
  const recordingStatuses = [];
  page.on('response', (r) => {
    if (r.url().includes('/recording')) recordingStatuses.push(r.status());
  });
  await login(page, server.url, 'supervisor', 'switchboard');
  await byTestId(page, 'nav-calls').click();
  await page.waitForURL(/\/calls/);
  await byTestId(page, 'calls-page').getByText('通话记录').first().waitFor();
  await byTestId(page, 'calls-number').fill('1234');
  await byTestId(page, 'calls-search').click();
  const row = byTestId(page, `call-row-${CALLER}`);
  await row.waitFor();
  assert.match(await row.innerText(), /售前咨询/);
  assert.match(await row.innerText(), /主叫挂断/);

  await row.click();
  await byTestId(page, 'call-legs').waitFor();
  assert.equal(await byTestId(page, 'call-released-by').innerText(), '主叫挂断');
  assert.equal(await byTestId(page, 'call-ivr-path').innerText(), '主菜单 → 1 售前');
  await byTestId(page, 'call-drawer').getByText('order = 12345').waitFor();
  const mos = await byTestId(page, 'leg-mos').allInnerTexts();
  assert.deepEqual(mos, ['4.38', '3.52']);
  // The player reads the WAV's header and knows its length: the browser asked for ranges.
  const audio = byTestId(page, 'call-audio');
  await page.waitForFunction(() => {
    const a = document.querySelector('[data-testid="call-audio"]');
    return a && a.readyState >= 1 && Number.isFinite(a.duration);
  });
  const duration = await audio.evaluate((a) => a.duration);
  assert.ok(Math.abs(duration - 3) < 0.1, `the recording lasts 3 s, the player says ${duration}`);
  await audio.evaluate((a) => {
    a.currentTime = 2;
  });
  await page.waitForFunction(() => document.querySelector('[data-testid="call-audio"]').readyState >= 2);
  assert.ok(recordingStatuses.includes(206), `range requests answered 206: ${recordingStatuses}`);
  assert.ok(!recordingStatuses.some((s) => s >= 400), `no refusal: ${recordingStatuses}`);
  await screenshot(page, 'switchboard-call-record.png');
  assert.deepEqual(page.errors, []);
});

test('agents see only their own calls', async () => {
  const mine = await browser.newPage({ lang: 'en' });
  await login(mine, server.url, 'agent1', 'switchboard');
  await mine.waitForURL(/\/workbench/);
  await mine.goto(`${server.url}/calls`);
  await byTestId(mine, 'calls-page').getByText('My call records').waitFor();
  await byTestId(mine, `call-row-${CALLER}`).waitFor();
  assert.equal(await byTestId(mine, 'calls-export').count(), 0, 'agents do not export');

  const other = await browser.newPage({ lang: 'en' });
  await login(other, server.url, 'agent2', 'switchboard');
  await other.waitForURL(/\/workbench/);
  await byTestId(other, 'nav-calls').click();
  await byTestId(other, 'calls-page').getByText('My call records').waitFor();
  await byTestId(other, 'calls-table').getByText('No call records').waitFor();
  assert.equal(await byTestId(other, `call-row-${CALLER}`).count(), 0);
  assert.deepEqual([...mine.errors, ...other.errors], []);
});
