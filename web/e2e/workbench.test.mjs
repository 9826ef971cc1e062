// The agent workbench and the supervisor wallboard against the real server and routing engine:
// sign-in (automatic and specified), busy/rest with reasons, a task offered → answered →
// released → wrap-up with the service summary → continue working, and the live wallboard.
// Each test sets up the agents it needs through the API, so any one can run alone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, byTestId, login, startSuite } from './helpers.mjs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const TASK_QUEUE = '工单任务 Tasks';

let server;
let browser;
let api;
let admin;
/** login → user id */
let ids;
let taskQueue;

before(async () => {
  // Room to act on a slow machine, and the summary rule of V11 to exercise.
  ({ server, browser, api, admin, ids } = await startSuite({ offer_timeout_s: 120, wrap_up_limit_s: 600, summary_required: true, no_answer_limit: 0 }));

  // The demo tenant has the task queue; create it when an older server does not.
  const queues = await admin.get('/queues');
  taskQueue = queues.find((q) => q.name === TASK_QUEUE && q.channel === 'task');
  if (!taskQueue) {
    taskQueue = await admin.post('/queues', {
      name: TASK_QUEUE, channel: 'task', strategy: 'longest_idle', priority: 40, max_queue_len: null, max_wait_s: null,
      overflow_queue_id: null, tags: [], agents: ['agent1', 'agent2', 'agent3'].map((l) => ({ user_id: ids[l], skill_level: 5 })),
    });
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Sign agents out through the supervisor API (no-op when already signed out). */
async function signOut(...logins) {
  for (const l of logins) {
    await admin.post(`/supervisor/agents/${ids[l]}/state`, { state: 'signed_out' }).catch((e) => {
      if (e.status !== 409) throw e;
    });
  }
}

/** An agent's own API session, signed in (automatic mode) and in `state`. */
async function agentInState(loginName, state, reason) {
  const a = await api.login(loginName);
  const s = await a.get('/agent');
  if (s.state === 'signed_out') await a.post('/agent/sign-in', {});
  await a.post('/agent/state', reason ? { state, reason } : { state });
  return a;
}

async function openWorkbench(loginName, opts) {
  const page = await browser.newPage(opts);
  await page.goto(`${server.url}/login`);
  await login(page, server.url, loginName, 'switchboard');
  await page.waitForURL(/\/(workbench|admin)/);
  if (!page.url().endsWith('/workbench')) await page.goto(`${server.url}/workbench`);
  await byTestId(page, 'connection-bar').waitFor();
  await waitLive(page, 'connection-bar-live');
  return page;
}

const waitLive = (page, id) => page.locator(`[data-testid="${id}"][data-live="true"]`).waitFor();
const waitState = (page, state) => page.locator(`[data-testid="connection-bar-state"][data-state="${state}"]`).waitFor();
const waitAttr = (page, id, attr, value) => page.locator(`[data-testid="${id}"][${attr}="${value}"]`).first().waitFor();

async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SHOTS, name), fullPage: true });
}

test('agent1 signs in (automatic), sees idle and the waiting count, sets busy and rest with reasons, back to idle', async () => {
  await signOut('agent1');
  const page = await openWorkbench('agent1');
  await waitState(page, 'signed_out');
  assert.equal(await byTestId(page, 'connection-bar-mode').getAttribute('data-mode'), 'automatic');

  await byTestId(page, 'connection-bar-sign-in').click();
  await waitState(page, 'idle');
  // Automatic mode signs in to every bound queue.
  const bound = (await (await api.login('agent1')).get('/agent')).bound_queues;
  assert.ok(bound.length >= 1);
  await waitAttr(page, 'connection-bar-queues', 'data-count', String(bound.length));
  const queuesText = await byTestId(page, 'connection-bar-queues').innerText();
  for (const q of bound) assert.ok(queuesText.includes(q.name), q.name);
  // The waiting count is shown (a number) and the state timer runs.
  assert.match(await byTestId(page, 'connection-bar-waiting').getAttribute('data-waiting'), /^\d+$/);
  assert.match(await byTestId(page, 'connection-bar-timer').innerText(), /^\d\d:\d\d$/);
  assert.match(await byTestId(page, 'connection-bar-state').innerText(), /空闲/);
  await shot(page, 'switchboard-wb-idle.png');

  // Busy with a preset reason.
  await byTestId(page, 'state-busy').click();
  await byTestId(page, 'reason-preset-meeting').click();
  await byTestId(page, 'reason-confirm-busy').click();
  await waitState(page, 'busy');
  await waitAttr(page, 'connection-bar-reason', 'data-reason', 'meeting');
  assert.equal(await byTestId(page, 'connection-bar-reason').innerText(), '会议');
  // The waiting count stays visible when not idle (S6).
  assert.match(await byTestId(page, 'connection-bar-waiting').getAttribute('data-waiting'), /^\d+$/);

  // Rest with a typed reason.
  await byTestId(page, 'state-rest').click();
  await byTestId(page, 'reason-input-rest').fill('看医生');
  await byTestId(page, 'reason-confirm-rest').click();
  await waitState(page, 'rest');
  await waitAttr(page, 'connection-bar-reason', 'data-reason', '看医生');

  // Back to idle: no reason any more; the server agrees.
  await byTestId(page, 'state-idle').click();
  await waitState(page, 'idle');
  assert.equal(await byTestId(page, 'connection-bar-reason').count(), 0);
  const s = await (await api.login('agent1')).get('/agent');
  assert.equal(s.state, 'idle');
  assert.equal(s.reason, null);

  await byTestId(page, 'connection-bar-sign-out').click();
  await waitState(page, 'signed_out');
  assert.deepEqual(page.errors, [], 'no uncaught page errors');
  await page.context().close();
});

test('a task is offered to agent1, answered, released, summarised in wrap-up and closed by continue working (English UI)', async () => {
  // Only agent1 may take the task: the other agents of the task queue are signed out.
  await signOut('agent2', 'agent3');
  await agentInState('agent1', 'busy');
  const page = await openWorkbench('agent1', { lang: 'en' });
  await waitState(page, 'busy');
  const before = Number(await byTestId(page, 'connection-bar-waiting').getAttribute('data-waiting'));

  const contact = await admin.post('/contacts', {
    queue_id: taskQueue.id, title: 'Refund #1024', customer: 'Zhang San', link: 'https://crm.example.com/tickets/1024',
    priority: 5, data: { order: 'SO-2025-0042', amount: '199.00' },
  });
  assert.equal(contact.channel, 'task');
  // Busy: the task waits, and the count goes up live.
  await waitAttr(page, 'connection-bar-waiting', 'data-waiting', String(before + 1));

  // Idle: the task is offered at once.
  await byTestId(page, 'state-idle').click();
  const offer = page.locator(`[data-testid="offer-card"][data-contact-id="${contact.id}"]`);
  await offer.waitFor();
  assert.equal(await byTestId(page, 'offer-headline').innerText(), 'Refund #1024');
  assert.match(await byTestId(page, 'offer-channel').innerText(), /Task/);
  assert.ok(Number(await byTestId(page, 'offer-countdown').getAttribute('data-seconds')) > 0, 'countdown runs');
  // Inbound offers cannot be rejected (R6): there is only Answer.
  assert.equal(await offer.locator('button').count(), 1);
  await waitAttr(page, 'connection-bar-waiting', 'data-waiting', String(before));
  await shot(page, 'switchboard-wb-offer.png');

  await byTestId(page, 'offer-answer').click();
  const card = page.locator(`[data-testid="contact-card"][data-contact-id="${contact.id}"]`);
  await page.locator(`[data-testid="contact-card"][data-state="connected"]`).waitFor();
  await waitState(page, 'talking');
  assert.equal(await offer.count(), 0);
  const link = card.locator('[data-testid="contact-link"]');
  assert.equal(await link.getAttribute('href'), 'https://crm.example.com/tickets/1024');
  assert.equal(await link.getAttribute('target'), '_blank');
  assert.equal(await card.locator('[data-testid="contact-data-order"]').innerText(), 'SO-2025-0042');
  assert.match(await card.innerText(), /Zhang San/);
  // Sign-out is blocked while a contact is connected.
  assert.ok(await byTestId(page, 'connection-bar-sign-out').isDisabled());
  await shot(page, 'switchboard-wb-connected.png');

  await byTestId(page, 'contact-release').click();
  await page.locator(`[data-testid="contact-card"][data-state="wrap_up"]`).waitFor();
  await waitState(page, 'wrap_up');
  await byTestId(page, 'wrap-up-timer').waitFor();
  assert.match(await byTestId(page, 'wrap-up-limit').innerText(), /10:00/);
  // The waiting count stays visible in wrap-up.
  assert.match(await byTestId(page, 'connection-bar-waiting').getAttribute('data-waiting'), /^\d+$/);

  // Continue without a summary: refused (409 summary_required), shown as a translated message.
  await byTestId(page, 'contact-continue').click();
  await byTestId(page, 'summary-required').waitFor();
  assert.match(await byTestId(page, 'summary-required').innerText(), /Save the service summary/);
  await waitState(page, 'wrap_up');

  await byTestId(page, 'contact-summary').fill('Refund approved, customer informed.');
  await byTestId(page, 'contact-summary-save').click();
  await byTestId(page, 'contact-summary-saved').waitFor();
  await shot(page, 'switchboard-wb-wrap-up.png');

  await byTestId(page, 'contact-continue').click();
  await waitState(page, 'idle');
  await card.waitFor({ state: 'detached' });
  await byTestId(page, 'work-empty').waitFor();

  const done = await admin.get(`/contacts/${contact.id}`);
  assert.equal(done.state, 'closed');
  assert.equal(done.outcome, 'completed');
  assert.equal(done.summary, 'Refund approved, customer informed.');
  assert.deepEqual(page.errors, [], 'no uncaught page errors');
  await page.context().close();
  await signOut('agent1');
});

test('specified sign-in: agent2 chooses one queue and only that one is signed in; reset skill queues adds another', async () => {
  const user = await admin.get(`/users/${ids.agent2}`);
  await admin.patch(`/users/${ids.agent2}`, { agent_params: { ...user.agent_params, sign_in_mode: 'specified' } });
  await signOut('agent2');
  const page = await openWorkbench('agent2');
  await waitState(page, 'signed_out');
  await waitAttr(page, 'connection-bar-mode', 'data-mode', 'specified');

  await byTestId(page, 'connection-bar-sign-in').click();
  await byTestId(page, 'queue-picker').waitFor();
  // Nothing chosen: the dialog asks for one and does not sign in.
  await byTestId(page, 'queue-picker-ok').click();
  await byTestId(page, 'queue-picker-none').waitFor();
  await byTestId(page, `queue-option-${TASK_QUEUE}`).click();
  await shot(page, 'switchboard-wb-sign-in-queues.png');
  await byTestId(page, 'queue-picker-ok').click();
  await waitState(page, 'idle');
  await waitAttr(page, 'connection-bar-queues', 'data-count', '1');
  assert.equal(await byTestId(page, 'connection-bar-queue').innerText(), TASK_QUEUE);
  const agent2 = await api.login('agent2');
  assert.deepEqual((await agent2.get('/agent')).signed_in_queues, [taskQueue.id]);

  // Reset skill queues: the dialog starts from the current choice; add a second queue.
  const bound = (await agent2.get('/agent')).bound_queues;
  const other = bound.find((q) => q.id !== taskQueue.id);
  assert.ok(other, 'agent2 has a second bound queue');
  await byTestId(page, 'connection-bar-reset-queues').click();
  await byTestId(page, 'queue-picker').waitFor();
  assert.ok(await byTestId(page, `queue-option-${TASK_QUEUE}`).isChecked()); // the checkbox input itself
  await byTestId(page, `queue-option-${other.name}`).click();
  await byTestId(page, 'queue-picker-ok').click();
  await waitAttr(page, 'connection-bar-queues', 'data-count', '2');
  assert.deepEqual(new Set((await agent2.get('/agent')).signed_in_queues), new Set([taskQueue.id, other.id]));

  await byTestId(page, 'connection-bar-sign-out').click();
  await waitState(page, 'signed_out');
  assert.deepEqual(page.errors, [], 'no uncaught page errors');
  await page.context().close();
  await admin.patch(`/users/${ids.agent2}`, { agent_params: user.agent_params });
});

test("the supervisor wallboard follows agent1's state live and forces a state that agent1's bar shows", async () => {
  const agent1 = await agentInState('agent1', 'idle');
  const sup = await browser.newPage();
  await sup.goto(`${server.url}/login`);
  await login(sup, server.url, 'supervisor', 'switchboard');
  await sup.waitForURL(/\/(workbench|supervisor|admin)/);
  await byTestId(sup, 'nav-supervisor').click();
  await sup.waitForURL(/\/supervisor$/);
  await waitLive(sup, 'wallboard-live');
  const row = byTestId(sup, 'wallboard-agent-agent1');
  await sup.locator('[data-testid="wallboard-agent-agent1"][data-state="idle"]').waitFor();
  await byTestId(sup, `wallboard-queue-${TASK_QUEUE}`).waitFor();
  // Agents only: the administrator, bound to no queue, is not a signed-out agent.
  assert.equal(await byTestId(sup, 'wallboard-agent-admin').count(), 0);

  // agent1 changes state (through the API): the row follows without a reload.
  await agent1.post('/agent/state', { state: 'rest', reason: 'training' });
  await sup.locator('[data-testid="wallboard-agent-agent1"][data-state="rest"]').waitFor();
  assert.equal(await row.locator('[data-testid="agent-reason"]').innerText(), '培训');
  assert.ok(Number(await byTestId(sup, 'total-rest').getAttribute('data-value')) >= 1);
  await shot(sup, 'switchboard-wallboard.png');

  // agent1's workbench is open; the supervisor forces busy and both views follow.
  const agentPage = await openWorkbench('agent1');
  await waitState(agentPage, 'rest');
  // Forcing asks first, with an optional reason; the agent is told who and why.
  await byTestId(sup, 'force-state-agent1').click();
  await sup.locator('.ant-dropdown:not(.ant-dropdown-hidden) [data-testid="force-busy"]').click();
  await byTestId(sup, 'force-reason').fill('质检抽查');
  assert.equal(await sup.locator('[data-testid="wallboard-agent-agent1"]').getAttribute('data-state'), 'rest', 'nothing happens before the confirmation');
  await byTestId(sup, 'force-confirm').click();
  await sup.locator('[data-testid="wallboard-agent-agent1"][data-state="busy"]').waitFor();
  await waitState(agentPage, 'busy');
  assert.equal((await agent1.get('/agent')).state, 'busy');
  const notice = agentPage.locator('.ant-notification-notice', { has: byTestId(agentPage, 'forced-notice') });
  await notice.waitFor();
  assert.match(await notice.innerText(), /Supervisor Wang 已将您置为示忙[\s\S]*原因：质检抽查/);
  assert.equal(await byTestId(agentPage, 'connection-bar-reason').innerText(), '质检抽查');

  // Signed out by the supervisor: the agent's bar offers sign-in again.
  await byTestId(sup, 'force-state-agent1').click();
  await sup.locator('.ant-dropdown:not(.ant-dropdown-hidden) [data-testid="force-signed_out"]').click();
  await byTestId(sup, 'force-confirm').click();
  await waitState(agentPage, 'signed_out');
  await agentPage.locator('.ant-notification-notice', { hasText: 'Supervisor Wang 已将您置为未签入' }).waitFor();
  await byTestId(agentPage, 'connection-bar-sign-in').waitFor();
  await sup.locator('[data-testid="wallboard-agent-agent1"][data-state="signed_out"]').waitFor();

  assert.deepEqual(sup.errors, [], 'no uncaught page errors (wallboard)');
  assert.deepEqual(agentPage.errors, [], 'no uncaught page errors (workbench)');
  await sup.context().close();
  await agentPage.context().close();
});
