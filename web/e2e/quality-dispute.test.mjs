// Quality disputes in the browser (issue #16), in Chinese: a reviewer scores a task of agent1
// and submits; agent1 sees the score and disputes it with a reason; the reviewer finds the
// dispute in the review list and upholds it — the answers cannot be changed while upholding —
// and re-scores a second disputed review; agent1 sees both outcomes with the reviewer's notes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, login, modalOpened, startSuite } from './helpers.mjs';

let server;
let browser;
let api;
let admin;
const tasks = [];

before(async () => {
  ({ server, browser, api, admin } = await startSuite({ offer_timeout_s: 120, summary_required: false }));
  // Two tasks served from offer to close by agent1, the only agent signed in.
  const agent = await api.login('agent1');
  await agent.post('/agent/sign-in', {});
  const queue = (await admin.get('/queues')).find((q) => q.channel === 'task');
  for (const title of ['回访客户', '核对地址']) {
    const task = await admin.post('/contacts', { queue_id: queue.id, title, customer: '13800138000' });
    await agent.post(`/contacts/${task.id}/answer`, {});
    await agent.post(`/contacts/${task.id}/release`, {});
    await agent.post('/agent/continue', { contact_id: task.id });
    tasks.push(task.id);
  }
  const item = (label, weight, scale, critical = false) => ({ label, description: '', weight, scale, max_points: scale === 'points' ? 5 : null, critical, comment_on_low: false });
  await admin.post('/quality/scorecards', {
    name: '通话质检',
    sections: [
      { name: '服务态度', items: [item('礼貌用语', 60, 'points')] },
      { name: '合规', items: [item('身份核实', 40, 'yes_no', true)] },
    ],
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(loginName) {
  const page = await browser.newPage();
  await login(page, server.url, loginName, 'switchboard');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

/** The review's points buttons of item `i`: click the one labelled `label`. */
const points = (page, i, label) => byTestId(page, `points-${i}`).locator('label').filter({ hasText: new RegExp(`^${label}$`) });

test('an agent disputes a score; the reviewer upholds one dispute and re-scores another', async () => {
  const [first, second] = tasks;
  const supervisor = await api.login('supervisor');
  const reviewer = await signedIn('supervisor');
  await reviewer.goto(`${server.url}/quality`);
  await byTestId(reviewer, 'pick-search').click();
  await byTestId(reviewer, `review-start-${first}`).click();
  await reviewer.waitForURL(/\/quality\/reviews\//);
  await points(reviewer, 0, '4').click();
  await points(reviewer, 1, '是').click();
  await byTestId(reviewer, 'score-preview').filter({ hasText: '得分：88' }).waitFor();
  await byTestId(reviewer, 'review-submit').click();
  await byTestId(reviewer, 'review-status').filter({ hasText: '待确认' }).waitFor();
  const upheldId = reviewer.url().split('/').pop();
  // The second task scored full marks through the API, and disputed there too.
  const [card] = await supervisor.get('/quality/scorecards');
  const started = await supervisor.post('/quality/reviews', { contact_id: second, scorecard_id: card.id });
  const full = [{ points: 5, comment: '' }, { points: 1, comment: '' }];
  await supervisor.post(`/quality/reviews/${started.id}/submit`, { answers: full, comment: '很好' });
  const agentApi = await api.login('agent1');
  await agentApi.post(`/agent/quality/reviews/${started.id}/dispute`, { reason: '请复核' });

  // The agent sees the score and disputes it with a reason.
  const agent = await signedIn('agent1');
  await agent.goto(`${server.url}/my-quality`);
  await byTestId(agent, `score-${upheldId}`).filter({ hasText: '88' }).waitFor();
  await byTestId(agent, `review-open-${upheldId}`).click();
  await byTestId(agent, 'my-dispute').click();
  await modalOpened(agent);
  assert.equal(await agent.locator('#dispute-ok').isDisabled(), true, 'no reason, no dispute');
  const reason = '身份已在通话开头核实，礼貌用语也完整';
  await byTestId(agent, 'dispute-reason').fill(reason);
  await agent.locator('#dispute-ok').click();
  await byTestId(agent, 'my-review-status').filter({ hasText: '申诉中' }).waitFor();
  await byTestId(agent, 'my-review').locator('.ant-alert', { hasText: reason }).waitFor();
  assert.equal(await byTestId(agent, 'my-dispute').count(), 0, 'disputed once');

  // The reviewer finds the dispute in the review list and upholds it.
  await reviewer.goto(`${server.url}/quality`);
  await reviewer.getByRole('tab', { name: '质检记录' }).click();
  const listed = reviewer.locator('.ant-table-row', { has: byTestId(reviewer, `review-open-${upheldId}`) });
  await listed.filter({ hasText: '申诉中' }).waitFor();
  await byTestId(reviewer, `review-open-${upheldId}`).click();
  await reviewer.locator('.ant-alert', { hasText: reason }).waitFor();
  await byTestId(reviewer, 'review-resolve').waitFor();
  // Upholding keeps the answers: they are shown, not open to change.
  assert.equal(await byTestId(reviewer, 'points-0').locator('input').first().isDisabled(), true);
  assert.equal(await byTestId(reviewer, 'resolve-submit').isDisabled(), true, 'a note is required');
  await byTestId(reviewer, 'resolve-note').fill('录音中礼貌用语不完整，维持原评分');
  await byTestId(reviewer, 'resolve-submit').click();
  await byTestId(reviewer, 'review-status').filter({ hasText: '申诉已处理' }).waitFor();

  // The second dispute is re-scored: the answers open to change, the score follows.
  await reviewer.goto(`${server.url}/quality/reviews/${started.id}`);
  await byTestId(reviewer, 'review-status').filter({ hasText: '申诉中' }).waitFor();
  await byTestId(reviewer, 'resolve-how').locator('label').filter({ hasText: '重新评分' }).click();
  await points(reviewer, 0, '3').click();
  // 60 × 3/5 + 40 = 76.
  await byTestId(reviewer, 'score-preview').filter({ hasText: '得分：76' }).waitFor();
  await byTestId(reviewer, 'resolve-note').fill('礼貌用语扣 2 分');
  await byTestId(reviewer, 'resolve-submit').click();
  await byTestId(reviewer, 'review-status').filter({ hasText: '申诉已处理' }).waitFor();
  const stored = await supervisor.get(`/quality/reviews/${started.id}`);
  assert.equal(stored.score, 76);
  assert.equal(stored.resolution, 'rescored');
  assert.equal(stored.comment, '很好', 'a re-score keeps the overall comment');

  // The agent sees both outcomes.
  await agent.reload();
  await byTestId(agent, `score-${started.id}`).filter({ hasText: '76' }).waitFor();
  await byTestId(agent, `review-open-${upheldId}`).click();
  await byTestId(agent, 'my-review-status').filter({ hasText: '申诉已处理' }).waitFor();
  await byTestId(agent, 'my-review').locator('.ant-alert', { hasText: '维持原评分' }).filter({ hasText: '录音中礼貌用语不完整' }).waitFor();
  await byTestId(agent, `review-open-${started.id}`).click();
  await byTestId(agent, 'my-review').locator('.ant-alert', { hasText: '重新评分' }).filter({ hasText: '礼貌用语扣 2 分' }).waitFor();
  assert.equal((await agentApi.get('/agent/quality/reviews')).find((r) => r.id === upheldId).score, 88);
  for (const p of [reviewer, agent]) assert.deepEqual(p.errors, []);
});
