// Historical reports (P2) against the real server: a task handled today shows in the queue
// report's table and chart and in its CSV and .xlsx exports; the agent report in English, with
// its chart and an export in English.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { byTestId, login, screenshot, startSuite } from './helpers.mjs';

const TASK_QUEUE = '工单任务 Tasks';
const AGENT1 = '小红 Xiaohong';

let server;
let browser;
let api;
let admin;
let ids;

before(async () => {
  ({ server, browser, api, admin, ids } = await startSuite({ offer_timeout_s: 120, wrap_up_limit_s: 600, summary_required: false, no_answer_limit: 0 }));
  const queue = (await admin.get('/queues')).find((q) => q.name === TASK_QUEUE && q.channel === 'task');
  assert.ok(queue, 'the demo has the task queue');
  for (const l of ['agent2', 'agent3']) {
    await admin.post(`/supervisor/agents/${ids[l]}/state`, { state: 'signed_out' }).catch((e) => {
      if (e.status !== 409) throw e;
    });
  }
  // agent1 handles one task: offered, answered, released, wrap-up ended.
  const agent1 = await api.login('agent1');
  if ((await agent1.get('/agent')).state === 'signed_out') await agent1.post('/agent/sign-in', {});
  await agent1.post('/agent/state', { state: 'idle' });
  const task = await admin.post('/contacts', { queue_id: queue.id, title: 'Report check', customer: 'Qian', priority: 5, data: {} });
  for (let i = 0; i < 50 && (await admin.get(`/contacts/${task.id}`)).state !== 'offered'; i++) await new Promise((r) => setTimeout(r, 200));
  await agent1.post(`/contacts/${task.id}/answer`);
  await new Promise((r) => setTimeout(r, 1200));
  await agent1.post(`/contacts/${task.id}/release`);
  await agent1.post('/agent/continue', {});
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function openReports(opts) {
  const page = await browser.newPage(opts);
  await page.goto(`${server.url}/login`);
  await login(page, server.url, 'supervisor', 'switchboard');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await byTestId(page, 'nav-reports').click();
  await page.waitForURL(/\/reports$/);
  return page;
}

/** Click an export button and read the file the browser saves. */
async function download(page, testId) {
  const [file] = await Promise.all([page.waitForEvent('download'), byTestId(page, testId).click()]);
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

test('the queue report shows today\'s task in its table and chart, and exports it as CSV and .xlsx', async () => {
  const page = await openReports();
  const row = page.locator(`[data-testid="report-queue-row-${TASK_QUEUE}"]`).first();
  await row.waitFor();
  assert.equal(await row.locator('[data-testid="cell-offered"]').innerText(), '1');
  assert.equal(await row.locator('[data-testid="cell-answered"]').innerText(), '1');
  assert.match(await row.locator('[data-testid="cell-sl"]').innerText(), /^\d+\.\d%$/);
  // The chart: ECharts drew on its canvas, with the figures it was given.
  const chart = byTestId(page, 'report-queues-chart');
  await chart.locator('[data-chart] canvas').waitFor();
  assert.ok(Number(await chart.getAttribute('data-offered')) >= 1);
  await screenshot(page, 'switchboard-report-queues.png');

  const csv = await download(page, 'report-queues-csv');
  assert.match(csv.name, /\.csv$/);
  const text = csv.bytes.toString('utf8');
  assert.match(text, /进线量/);
  const line = text.split(/\r?\n/).find((l) => l.includes(TASK_QUEUE));
  assert.ok(line, `the queue's line in ${text}`);
  const header = text.split(/\r?\n/)[0].replace(/^\uFEFF/, '').split(',');
  const cells = line.split(',');
  assert.equal(cells[header.indexOf('进线量')], '1');
  assert.equal(cells[header.indexOf('接通量')], '1');

  const xlsx = await download(page, 'report-queues-xlsx');
  assert.match(xlsx.name, /\.xlsx$/);
  assert.equal(xlsx.bytes.subarray(0, 2).toString('latin1'), 'PK', 'an .xlsx is a zip');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the agent report in English: time per state charted, the day opened from a row, the export in English', async () => {
  const page = await openReports({ lang: 'en' });
  await byTestId(page, 'reports-tab-agents').click();
  assert.equal(await byTestId(page, 'reports-tab-agents').innerText(), 'Agents');
  const row = page.locator(`[data-testid="report-agent-row-${AGENT1}"]`).first();
  await row.waitFor();
  assert.equal(await row.locator('[data-testid="cell-answered"]').innerText(), '1');
  const chart = byTestId(page, 'report-agents-chart');
  await chart.locator('[data-chart="Agents: time per state"] canvas').waitFor();
  assert.ok(Number(await chart.getAttribute('data-agents')) >= 1);

  const csv = await download(page, 'report-agents-csv');
  const text = csv.bytes.toString('utf8');
  assert.match(text.split(/\r?\n/)[0], /Agent/);
  assert.ok(text.includes(AGENT1), 'agent1 is in the export');

  // The agent's day from the report row.
  await byTestId(page, `report-agent-day-${AGENT1}`).first().click();
  await byTestId(page, 'day-strip').waitFor();
  assert.ok(Number(await byTestId(page, 'day-strip').getAttribute('data-contacts')) >= 1);
  assert.match(await byTestId(page, 'day-drawer').innerText(), /the day/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
