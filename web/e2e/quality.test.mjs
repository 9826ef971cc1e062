// Quality inspection in the browser (issue #16, P4): an admin defines a scorecard whose weights
// are summed live, a supervisor picks a served task and scores it beside the contact, and the
// agent sees the score and the reviewer's comments and acknowledges it (zh-CN), then reads it
// in English.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, login, pickOption, screenshot, startSuite } from './helpers.mjs';

let server;
let browser;
let api;
let admin;
let contactId;

before(async () => {
  ({ server, browser, api, admin } = await startSuite({ offer_timeout_s: 120, summary_required: false }));
  // A task served from offer to close by agent1, the only agent signed in.
  const agent = await api.login('agent1');
  await agent.post('/agent/sign-in', {});
  const queue = (await admin.get('/queues')).find((q) => q.channel === 'task');
  const task = await admin.post('/contacts', { queue_id: queue.id, title: '回访客户', customer: '13800138000' });
  contactId = task.id;
  await agent.post(`/contacts/${contactId}/answer`, {});
  await agent.post(`/contacts/${contactId}/release`, {});
  await agent.post('/agent/continue', { contact_id: contactId });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The <input> of a field whose test id sits on it or on its wrapper (antd InputNumber). */
const input = (page, id) => byTestId(page, id).locator('xpath=self::input | .//input').first();

async function signedIn(loginName, lang) {
  const page = await browser.newPage(lang ? { lang } : undefined);
  await login(page, server.url, loginName, 'switchboard');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

test('an admin defines a scorecard, a reviewer scores a task, the agent sees it and acknowledges', async () => {
  const adminPage = await signedIn('admin');
  await adminPage.goto(`${server.url}/admin/quality/scorecards`);
  await byTestId(adminPage, 'scorecard-new').click();
  await byTestId(adminPage, 'scorecard-name').fill('通话质检');
  await byTestId(adminPage, 'section-name-0').fill('服务态度');
  await byTestId(adminPage, 'item-label-0-0').fill('礼貌用语');
  await pickOption(adminPage, byTestId(adminPage, 'item-scale-0-0'), '分值');
  await input(adminPage, 'item-weight-0-0').fill('60');
  // 60 of 100 so far: the total says so before the second section exists.
  await assert.doesNotReject(byTestId(adminPage, 'weight-total').filter({ hasText: '60 / 100' }).waitFor());
  await byTestId(adminPage, 'section-add').click();
  await byTestId(adminPage, 'section-name-1').fill('合规');
  await byTestId(adminPage, 'item-label-1-0').fill('身份核实');
  await input(adminPage, 'item-weight-1-0').fill('40');
  await byTestId(adminPage, 'item-critical-1-0').click();
  await byTestId(adminPage, 'weight-total').filter({ hasText: '100 / 100' }).waitFor();
  await byTestId(adminPage, 'scorecard-save').click();
  await adminPage.locator('.ant-table-row').filter({ hasText: '通话质检' }).waitFor();
  await screenshot(adminPage, 'quality-scorecards.png');
  const cards = await admin.get('/quality/scorecards');
  assert.equal(cards.length, 1);
  assert.deepEqual(cards[0].sections.map((s) => s.items.map((i) => [i.label, i.weight, i.critical])), [[['礼貌用语', 60, false]], [['身份核实', 40, true]]]);

  const reviewer = await signedIn('supervisor');
  await reviewer.goto(`${server.url}/quality`);
  await byTestId(reviewer, 'pick-search').click();
  await byTestId(reviewer, `review-start-${contactId}`).click();
  await reviewer.waitForURL(/\/quality\/reviews\//);
  await byTestId(reviewer, 'points-0').locator('label').filter({ hasText: '4' }).click();
  await byTestId(reviewer, 'points-1').locator('label').filter({ hasText: '是' }).click();
  await byTestId(reviewer, 'comment-0').fill('语气友好，结束语可以更完整');
  await byTestId(reviewer, 'overall-comment').fill('整体良好');
  // 60 × 4/5 + 40 = 88.
  await byTestId(reviewer, 'score-preview').filter({ hasText: '得分：88' }).waitFor();
  await byTestId(reviewer, 'review-submit').click();
  await byTestId(reviewer, 'review-status').filter({ hasText: '待确认' }).waitFor();
  await screenshot(reviewer, 'quality-review.png');

  // The report: the agent's average over the weeks, as a chart and a table.
  await reviewer.goto(`${server.url}/quality/report`);
  await byTestId(reviewer, 'report-run').click();
  await byTestId(reviewer, 'report-table').locator('.ant-table-row').filter({ hasText: 'Xiaohong' }).filter({ hasText: '88' }).waitFor();
  await reviewer.locator('canvas').first().waitFor();

  const agent = await signedIn('agent1');
  await agent.goto(`${server.url}/my-quality`);
  const row = agent.locator('.ant-table-row').filter({ hasText: '通话质检' });
  await row.filter({ hasText: '88' }).waitFor();
  await row.locator('button').click();
  await byTestId(agent, 'answer-comment-0').filter({ hasText: '语气友好，结束语可以更完整' }).waitFor();
  await byTestId(agent, 'my-review').locator('[data-testid="overall-comment"]').filter({ hasText: '整体良好' }).waitFor();
  await byTestId(agent, 'my-acknowledge').click();
  await byTestId(agent, 'my-review-status').filter({ hasText: '已确认' }).waitFor();
  await screenshot(agent, 'quality-mine.png');
  const [stored] = await (await api.login('agent1')).get('/agent/quality/reviews');
  assert.equal(stored.status, 'acknowledged');
  assert.equal(stored.score, 88);

  // The same review in the English UI.
  const english = await signedIn('agent1', 'en');
  await english.goto(`${server.url}/my-quality`);
  await english.getByText('My quality reviews').waitFor();
  await english.locator('.ant-table-row').filter({ hasText: 'Acknowledged' }).waitFor();
  for (const p of [adminPage, reviewer, agent, english]) assert.deepEqual(p.errors, []);
});
