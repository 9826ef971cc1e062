// The wallboard's figures (P1) against the real server: a queue's colours set in the admin's
// dialog (a refusal shown on its field), the board following a task created and answered
// without a reload, a cell coloured by the threshold, the full-screen mode, and an agent's day
// strip with the contact's life (X3).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, login, modalOpened, screenshot, startSuite } from './helpers.mjs';

const TASK_QUEUE = '工单任务 Tasks';

let server;
let browser;
let api;
let admin;
let ids;
let taskQueue;

before(async () => {
  ({ server, browser, api, admin, ids } = await startSuite({ offer_timeout_s: 120, wrap_up_limit_s: 600, summary_required: false, no_answer_limit: 0 }));
  taskQueue = (await admin.get('/queues')).find((q) => q.name === TASK_QUEUE && q.channel === 'task');
  assert.ok(taskQueue, 'the demo has the task queue');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signOut(...logins) {
  for (const l of logins) {
    await admin.post(`/supervisor/agents/${ids[l]}/state`, { state: 'signed_out' }).catch((e) => {
      if (e.status !== 409) throw e;
    });
  }
}

async function openAs(loginName, path, opts) {
  const page = await browser.newPage(opts);
  await page.goto(`${server.url}/login`);
  await login(page, server.url, loginName, 'switchboard');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.goto(`${server.url}${path}`);
  return page;
}

const cell = (row, id) => row.locator(`[data-testid="${id}"]`);
const number = async (row, id) => Number((await cell(row, id).innerText()).trim());

test('the admin sets a queue\'s service level and colours; a wrong order is refused on its field', async () => {
  const page = await openAs('admin', '/admin/queues');
  await byTestId(page, `queue-targets-${TASK_QUEUE}`).click();
  await modalOpened(page);
  assert.equal(await byTestId(page, 'targets-goal').inputValue(), '80');
  assert.equal(await byTestId(page, 'targets-within').inputValue(), '20');
  // The service level's alarm must be at most its warning.
  await byTestId(page, 'targets-service_level-warn').fill('50');
  await byTestId(page, 'targets-service_level-alarm').fill('70');
  await byTestId(page, 'targets-waiting-warn').fill('1');
  await byTestId(page, 'targets-waiting-alarm').fill('3');
  await byTestId(page, 'targets-save').click();
  await page.locator('.ant-form-item-has-error', { has: byTestId(page, 'targets-service_level-alarm') }).waitFor();
  assert.equal((await admin.get(`/queues/${taskQueue.id}/targets`)).waiting.warn, null, 'nothing saved');

  await byTestId(page, 'targets-service_level-alarm').fill('30');
  await byTestId(page, 'targets-save').click();
  await page.locator('.ant-modal-wrap:visible').waitFor({ state: 'detached' }).catch(() => undefined);
  await page.waitForFunction(() => !document.querySelector('.ant-modal-wrap:not([style*="display: none"]) .ant-modal'));
  const saved = await admin.get(`/queues/${taskQueue.id}/targets`);
  assert.deepEqual(saved.waiting, { warn: 1, alarm: 3 });
  assert.deepEqual(saved.service_level, { warn: 50, alarm: 30 });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the wallboard follows a task created and answered live, colours the waiting cell, goes full screen, and shows the agent\'s day', async () => {
  await admin.put(`/queues/${taskQueue.id}/targets`, {
    ...(await admin.get(`/queues/${taskQueue.id}/targets`)),
    waiting: { warn: 1, alarm: 3 },
  });
  await signOut('agent1', 'agent2', 'agent3');
  const sup = await openAs('supervisor', '/supervisor');
  await sup.locator('[data-testid="wallboard-live"][data-live="true"]').waitFor();
  const row = byTestId(sup, `wallboard-queue-${TASK_QUEUE}`);
  await row.waitFor();
  const offered = await number(row, 'today-offered');
  const answered = await number(row, 'today-answered');
  assert.equal(await cell(row, 'queue-waiting').getAttribute('data-level'), 'ok');

  // Nobody is signed in: the task waits, and the board says so without a reload.
  const task = await admin.post('/contacts', { queue_id: taskQueue.id, title: 'Wallboard check', customer: 'Zhao', priority: 5, data: {} });
  await row.locator('[data-testid="queue-waiting"][data-level="warn"]').waitFor();
  await sup.locator('[data-testid="total-waiting"][data-value="1"]').waitFor({ state: 'attached' });
  await row.locator(`[data-testid="today-offered"]:text-is("${offered + 1}")`).waitFor();
  assert.match(await cell(row, 'queue-waiting').getAttribute('aria-label'), /警告/);
  await row.locator('[data-testid="queue-longest-wait"]').waitFor();
  await screenshot(sup, 'switchboard-wallboard-figures.png');

  // agent1 signs in and answers: waiting back to 0, answered up, all pushed.
  const agent1 = await api.login('agent1');
  await agent1.post('/agent/sign-in', {});
  await agent1.post('/agent/state', { state: 'idle' });
  let offeredTo = null;
  for (let i = 0; i < 50 && !offeredTo; i++) {
    const c = await admin.get(`/contacts/${task.id}`);
    if (c.state === 'offered') offeredTo = c;
    else await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(offeredTo, 'the task is offered to agent1');
  await agent1.post(`/contacts/${task.id}/answer`);
  await row.locator('[data-testid="queue-waiting"][data-level="ok"]').waitFor();
  await row.locator(`[data-testid="today-answered"]:text-is("${answered + 1}")`).waitFor();
  assert.equal(await cell(row, 'queue-agents-talking').innerText(), '1');

  // Full screen for a wall display; Esc leaves it.
  await byTestId(sup, 'wallboard-fullscreen').click();
  await sup.locator('[data-testid="wallboard"][data-full="true"]').waitFor();
  await sup.keyboard.press('Escape');
  await sup.locator('[data-testid="wallboard"][data-full="false"]').waitFor();
  await sup.waitForFunction(() => document.fullscreenElement === null);

  // agent1 releases and continues; their day shows the states and the contact, which opens its life.
  await agent1.post(`/contacts/${task.id}/release`);
  await agent1.post('/agent/continue', {});
  await byTestId(sup, 'agent-day-agent1').click();
  const strip = byTestId(sup, 'day-strip');
  await strip.waitFor();
  assert.ok(Number(await strip.getAttribute('data-spans')) >= 2, 'idle and talking at least');
  const held = sup.locator(`[data-testid="day-contact"][data-contact-id="${task.id}"]`);
  await held.waitFor();
  assert.ok(Number(await byTestId(sup, 'day-total-talking').getAttribute('data-ms')) >= 0);
  await screenshot(sup, 'switchboard-agent-day.png');
  // A few seconds in a whole day is a sliver of the strip: click it by its element.
  await held.dispatchEvent('click');
  const life = byTestId(sup, 'life-drawer');
  await life.locator('[data-testid="life-step"][data-kind="contact.connected"]').waitFor();
  const kinds = await life.locator('[data-testid="life-step"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
  for (const k of ['contact.created', 'contact.offered', 'contact.connected', 'contact.wrap_up', 'contact.closed']) assert.ok(kinds.includes(k), `${k} in ${kinds}`);
  assert.match(await life.innerText(), /接通[\s\S]*小红 Xiaohong/);
  assert.deepEqual(sup.errors, []);
  await sup.context().close();
});

test('the wallboard as of a past moment is marked and goes back to live', async () => {
  const sup = await openAs('supervisor', '/supervisor');
  await byTestId(sup, `wallboard-queue-${TASK_QUEUE}`).waitFor();
  await byTestId(sup, 'board-as-of-picker').click();
  // "Now" in the picker, then OK: the moment is this minute, rebuilt from the stored events.
  await sup.locator('.ant-picker-dropdown:visible .ant-picker-now-btn').click();
  await byTestId(sup, 'board-as-of').waitFor();
  assert.match(await byTestId(sup, 'board-as-of').innerText(), /回看/);
  const row = byTestId(sup, `wallboard-queue-${TASK_QUEUE}`);
  await row.waitFor();
  assert.ok((await number(row, 'today-offered')) >= 1, 'the past board counts the task of the test before');
  assert.equal(await byTestId(sup, 'wallboard-agents').count(), 0, 'no agent rows for a past moment');
  await byTestId(sup, 'board-back-live').click();
  await byTestId(sup, 'board-as-of').waitFor({ state: 'detached' });
  await byTestId(sup, 'wallboard-agents').waitFor();
  assert.deepEqual(sup.errors, []);
  await sup.context().close();
});

test('an agent sees their own day from the workbench', async () => {
  const agent1 = await api.login('agent1');
  if ((await agent1.get('/agent')).state === 'signed_out') await agent1.post('/agent/sign-in', {});
  await agent1.post('/agent/state', { state: 'rest', reason: 'lunch' });
  await agent1.post('/agent/state', { state: 'idle' });
  const page = await openAs('agent1', '/workbench', { lang: 'en' });
  await byTestId(page, 'my-day').click();
  const strip = byTestId(page, 'day-strip');
  await strip.waitFor();
  const states = await strip.locator('[data-testid="day-span"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
  assert.ok(states.includes('rest') && states.includes('idle'), `rest and idle in ${states}`);
  assert.match(await byTestId(page, 'day-drawer').innerText(), /the day/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
