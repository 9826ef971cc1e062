// Voice configuration in the admin console: an agent's extension (set with a confirmed SIP password,
// then shown with its registered devices), a trunk and a hotline number with each kind of route,
// outbound calling's set-up (a trunk's outbound proxy, an outbound number, a number group, a
// destination rule), all in Chinese; then the agent's workbench shows the phone's standing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiClient, byTestId, closeModal, login, modalOpened, pickOption, startBrowser, startServer } from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
  const { page } = browser;
  await page.goto(`${server.url}/login`);
  await login(page, server.url, 'admin', 'switchboard');
  await page.waitForURL(/\/admin\/users$/);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the demo prints its phones and hotlines at start', () => {
  const log = server.log.join('\n');
  assert.match(log, /SIP domain \(and digest realm\) 'demo'/);
  assert.match(log, /extension 1001 {2}agent1/);
  assert.match(log, /hotline 4000 {2}→ IVR menu/);
  assert.match(log, /hotline 4001 {2}→ queue 售后服务/);
});

test('an admin sets an extension, creates a trunk and a hotline number', async () => {
  const { page } = browser;
  const api = apiClient(server.url);
  const admin = await api.login('admin');
  await admin.post('/users', {
    login: 'phoneagent', real_name: '电话座席', display_name: '小电', chat_limit: 3, roles: ['agent'], password: 'initial-pass',
  });

  // Extensions: the demo agents have theirs; a new agent gets one.
  await byTestId(page, 'nav-voice-extensions').click();
  await page.waitForURL(/\/admin\/voice\/extensions$/);
  assert.equal(await byTestId(page, 'extension-number-agent1').innerText(), '1001');
  assert.equal(await byTestId(page, 'extension-number-phoneagent').innerText(), '未设置');
  await byTestId(page, 'extension-set-phoneagent').click();
  await byTestId(page, 'extension-form-number').fill('1');
  await byTestId(page, 'extension-form-password').fill('secret-pass-1');
  await byTestId(page, 'extension-form-confirm').fill('secret-pass-2');
  await byTestId(page, 'extension-form-submit').click();
  await page.locator('.ant-modal .ant-form-item-explain-error', { hasText: '须为 2–10 位数字' }).waitFor();
  await page.locator('.ant-modal .ant-form-item-explain-error', { hasText: '两次输入的密码不一致' }).waitFor();
  // A number another agent has: the server's 409, said in Chinese under the field.
  await byTestId(page, 'extension-form-number').fill('1002');
  await byTestId(page, 'extension-form-confirm').fill('secret-pass-1');
  await byTestId(page, 'extension-form-submit').click();
  await page.locator('.ant-modal .ant-form-item-explain-error', { hasText: '号码已被占用' }).waitFor();
  assert.doesNotMatch(await page.locator('.ant-modal').innerText(), /another agent/);
  await byTestId(page, 'extension-form-number').fill('1010');
  await byTestId(page, 'extension-form-submit').click();
  await page.locator('.ant-modal-wrap:visible').first().waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.querySelector('[data-testid="extension-number-phoneagent"]')?.textContent === '1010');
  assert.equal(await byTestId(page, 'extension-devices-phoneagent').getAttribute('data-devices'), '0');
  const rows = await admin.get('/voice/extensions');
  assert.equal(rows.find((r) => r.login === 'phoneagent').number, '1010');
  assert.doesNotMatch(JSON.stringify(rows), /secret-pass/);

  // Trunks.
  await byTestId(page, 'nav-voice-trunks').click();
  await byTestId(page, 'trunk-row-local').waitFor();
  await byTestId(page, 'trunks-add').click();
  await byTestId(page, 'trunk-form-name').fill('运营商 A');
  await byTestId(page, 'trunk-form-peers').fill('192.0.2.10, pbx.example.com');
  await byTestId(page, 'trunk-form-submit').click();
  await page.locator('.ant-modal .ant-form-item-explain-error', { hasText: '“pbx.example.com”不是 IP 地址' }).waitFor();
  // An address the local trunk has: the server refuses it, in Chinese.
  await byTestId(page, 'trunk-form-peers').fill('192.0.2.10\n127.0.0.1');
  await byTestId(page, 'trunk-form-submit').click();
  await page.locator('.ant-modal .ant-form-item-explain-error', { hasText: '有地址已属于另一条中继' }).waitFor();
  await byTestId(page, 'trunk-form-peers').fill('192.0.2.10\n192.0.2.11');
  await byTestId(page, 'trunk-form-submit').click();
  await byTestId(page, 'trunk-row-运营商 A').waitFor();
  assert.match(await byTestId(page, 'trunk-row-运营商 A').innerText(), /192\.0\.2\.10[\s\S]*192\.0\.2\.11/);

  // Hotline numbers: the demo's two, then one to a SIP address and one to the new extension.
  await byTestId(page, 'nav-voice-numbers').click();
  // Names of flows, queues and extensions show once their lists have loaded ('…' until then).
  await byTestId(page, 'number-row-4000').filter({ hasText: /语音导航/ }).waitFor();
  assert.match(await byTestId(page, 'number-row-4000').innerText(), /语音导航/);
  await byTestId(page, 'number-row-4001').filter({ hasText: /技能队列[\s\S]*售后服务/ }).waitFor();
  assert.match(await byTestId(page, 'number-row-4001').innerText(), /技能队列[\s\S]*售后服务/);
  await byTestId(page, 'numbers-add').click();
  await byTestId(page, 'number-form-number').fill('+861088880000');
  await byTestId(page, 'number-form-kind-direct').click();
  await byTestId(page, 'number-form-uri').fill('sip:8000@pbx.example.com');
  await byTestId(page, 'number-form-submit').click();
  await page.locator('.ant-modal .ant-form-item-explain-error', { hasText: '须形如 sip:用户@IP地址[:端口]' }).waitFor();
  await byTestId(page, 'number-form-uri').fill('sip:8000@192.0.2.20:5060');
  await byTestId(page, 'number-form-survey').click();
  await byTestId(page, 'number-form-submit').click();
  await byTestId(page, 'number-row-+861088880000').waitFor();
  assert.match(await byTestId(page, 'number-row-+861088880000').innerText(), /直接转接[\s\S]*sip:8000@192\.0\.2\.20:5060/);

  await byTestId(page, 'numbers-add').click();
  await byTestId(page, 'number-form-number').fill('4010');
  await byTestId(page, 'number-form-kind-extension').click();
  await pickOption(page, byTestId(page, 'number-form-extension'), '1010');
  await byTestId(page, 'number-form-submit').click();
  await byTestId(page, 'number-row-4010').filter({ hasText: /分机[\s\S]*1010 · 小电/ }).waitFor();
  assert.match(await byTestId(page, 'number-row-4010').innerText(), /分机[\s\S]*1010 · 小电/);
  const numbers = await admin.get('/voice/numbers');
  assert.deepEqual(numbers.find((n) => n.number === '4010').route, { kind: 'extension', number: '1010' });
  assert.equal(numbers.find((n) => n.number === '+861088880000').survey, true);

  // A number an extension has: refused, in Chinese.
  await byTestId(page, 'numbers-add').click();
  await byTestId(page, 'number-form-number').fill('1001');
  await pickOption(page, byTestId(page, 'number-form-queue'), '售后服务');
  await byTestId(page, 'number-form-submit').click();
  await page.locator('.ant-modal .ant-form-item-explain-error', { hasText: '号码已被占用' }).waitFor();
  await closeModal(page);
  assert.deepEqual(browser.errors ?? [], []);
});

test('an admin sets up outbound calling: proxy, number, group and rules, each kept after a reload', async () => {
  const { page } = browser;
  const api = apiClient(server.url);
  const admin = await api.login('admin');

  // A trunk with an outbound proxy.
  await byTestId(page, 'nav-voice-trunks').click();
  await page.waitForURL(/\/admin\/voice\/trunks$/);
  await byTestId(page, 'trunk-row-local').waitFor();
  await byTestId(page, 'trunks-add').click();
  await modalOpened(page);
  await byTestId(page, 'trunk-form-name').fill('外呼中继');
  await byTestId(page, 'trunk-form-peers').fill('192.0.2.30');
  await byTestId(page, 'trunk-form-proxied').click();
  await byTestId(page, 'trunk-form-proxy-host').fill('carrier example');
  await byTestId(page, 'trunk-form-submit').click();
  await page.locator('.ant-modal .ant-form-item-explain-error', { hasText: '应为地址或域名' }).waitFor();
  await byTestId(page, 'trunk-form-proxy-host').fill('sip.carrier.example');
  await byTestId(page, 'trunk-form-proxy-port').fill('5080');
  await byTestId(page, 'trunk-form-submit').click();
  await page.locator('.ant-modal-wrap:visible').first().waitFor({ state: 'detached' });
  await page.reload();
  await byTestId(page, 'trunk-proxy-外呼中继').waitFor();
  assert.equal(await byTestId(page, 'trunk-proxy-外呼中继').innerText(), 'sip.carrier.example:5080');

  // A number agents may present, calling out through that trunk.
  await byTestId(page, 'nav-voice-numbers').click();
  await byTestId(page, 'number-row-4000').waitFor();
  await byTestId(page, 'numbers-add').click();
  await modalOpened(page);
  await byTestId(page, 'number-form-number').fill('+862166660000');
  await pickOption(page, byTestId(page, 'number-form-queue'), '售前咨询');
  await byTestId(page, 'number-form-outbound').click();
  await byTestId(page, 'number-form-submit').click();
  await page.locator('.ant-modal .ant-form-item-explain-error', { hasText: '必填' }).waitFor();
  await pickOption(page, byTestId(page, 'number-form-outbound-trunk'), '外呼中继');
  await byTestId(page, 'number-form-submit').click();
  await page.locator('.ant-modal-wrap:visible').first().waitFor({ state: 'detached' });
  await page.reload();
  // The trunk's name shows once the trunks have loaded beside the numbers ('…' until then).
  await byTestId(page, 'number-outbound-+862166660000').filter({ hasText: '外呼中继' }).waitFor();
  assert.equal(await byTestId(page, 'number-outbound-+862166660000').innerText(), '外呼中继');
  assert.match(await byTestId(page, 'number-row-4000').innerText(), /否/);

  // A number group giving it to the pre-sales queue's agents, as their default.
  await byTestId(page, 'nav-voice-number-groups').click();
  await page.waitForURL(/\/admin\/voice\/number-groups$/);
  await byTestId(page, 'groups-table').waitFor();
  await byTestId(page, 'groups-add').click();
  await modalOpened(page);
  await byTestId(page, 'group-form-name').fill('上海外呼');
  await pickOption(page, byTestId(page, 'group-form-numbers'), '+862166660000');
  await page.locator('.ant-modal-title').click();
  await pickOption(page, byTestId(page, 'group-form-queues'), '售前咨询');
  await page.locator('.ant-modal-title').click();
  await pickOption(page, byTestId(page, 'group-form-default'), '+862166660000');
  await byTestId(page, 'group-form-submit').click();
  await page.locator('.ant-modal-wrap:visible').first().waitFor({ state: 'detached' });
  await page.reload();
  // Numbers and queues are named once their lists have loaded ('…' until then).
  await byTestId(page, 'group-row-上海外呼').filter({ hasText: '售前咨询' }).waitFor();
  const row = await byTestId(page, 'group-row-上海外呼').innerText();
  assert.match(row, /\+862166660000[\s\S]*售前咨询[\s\S]*\+862166660000/);
  // agent1 works pre-sales: the number is theirs to present, first.
  const agent1 = await api.login('agent1');
  const mine = await agent1.get('/agent/caller-numbers');
  assert.deepEqual(mine.map((c) => [c.number, c.group, c.default]), [['+862166660000', '上海外呼', true]]);

  // The outbound rules: the defaults until saved; a rule added, moved up, and a daily limit.
  await byTestId(page, 'nav-voice-outbound-rules').click();
  await page.waitForURL(/\/admin\/voice\/outbound-rules$/);
  await byTestId(page, 'rules-defaults').waitFor();
  assert.equal(await byTestId(page, 'rule-prefix-0').inputValue(), '+86');
  await byTestId(page, 'rules-add').click();
  await byTestId(page, 'rule-prefix-3').fill('9a');
  await byTestId(page, 'rule-problem-3').waitFor();
  assert.ok(await byTestId(page, 'rules-save').isDisabled());
  await byTestId(page, 'rule-prefix-3').fill('95');
  await byTestId(page, 'rule-min-3').fill('5');
  await byTestId(page, 'rule-max-3').fill('5');
  await byTestId(page, 'rule-label-3').fill('服务热线');
  await byTestId(page, 'rule-up-3').click();
  await byTestId(page, 'rules-limit').fill('50');
  await byTestId(page, 'rules-save').click();
  await page.locator('.ant-message', { hasText: '已保存' }).waitFor();
  await page.reload();
  await byTestId(page, 'rule-prefix-2').waitFor();
  assert.equal(await byTestId(page, 'rules-defaults').count(), 0);
  assert.equal(await byTestId(page, 'rule-prefix-2').inputValue(), '95');
  assert.equal(await byTestId(page, 'rule-label-2').inputValue(), '服务热线');
  assert.equal(await byTestId(page, 'rule-prefix-3').inputValue(), '+861259');
  assert.equal(await byTestId(page, 'rules-limit').inputValue(), '50');
  const policy = await admin.get('/voice/outbound-policy');
  assert.deepEqual([policy.saved, policy.rules.length, policy.daily_limit], [true, 4, 50]);
  assert.doesNotMatch(await byTestId(page, 'shell-content').innerText(), /Outbound|Number group|proxy/i);
  assert.deepEqual(browser.errors ?? [], []);
});

/** A free UDP port on loopback (for sipp's own socket). */
async function freeUdpPort() {
  const sock = createSocket('udp4');
  await new Promise((r) => sock.bind(0, '127.0.0.1', r));
  const { port } = sock.address();
  await new Promise((r) => sock.close(r));
  return port;
}

/** REGISTER extension 1001 of the demo with sipp (challenged, then with digest credentials). */
async function registerWithSipp(sipAddr) {
  const request = (cseq, auth) => `<send retrans="500"><![CDATA[
REGISTER sip:demo SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:[service]@demo>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@demo>
Call-ID: [call_id]
CSeq: ${cseq} REGISTER
Contact: <sip:[service]@[local_ip]:[local_port]>
${auth}Max-Forwards: 70
Expires: 3600
Content-Length: 0

]]></send>`;
  const scenario = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="register">
${request(1, '')}
<recv response="401" auth="true"/>
${request(2, '[authentication]\n')}
<recv response="200"/>
</scenario>`;
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-sipp-'));
  const file = join(dir, 'register.xml');
  writeFileSync(file, scenario);
  const port = String(await freeUdpPort());
  try {
    await new Promise((resolve, reject) =>
      execFile(
        'sipp',
        [sipAddr, '-sf', file, '-i', '127.0.0.1', '-p', port, '-m', '1', '-l', '1', '-nostdin', '-timeout', '20s', '-timeout_error',
          '-s', '1001', '-au', '1001', '-ap', 'switchboard'],
        { cwd: dir, timeout: 30_000 },
        (err, _out, stderr) => (err ? reject(new Error(`sipp: ${err.message} ${stderr}`)) : resolve()),
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SIPP = ['/usr/bin/sipp', '/usr/local/bin/sipp'].some((p) => existsSync(p));

test('the workbench shows the agent\'s phone', async () => {
  const { context } = browser;
  const page = await context.newPage();
  // A second tab of the same profile would share the admin's session: sign in as the agent.
  await page.goto(`${server.url}/login`);
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${server.url}/login`);
  await login(page, server.url, 'agent1', 'switchboard');
  await page.waitForURL(/\/workbench$/);
  const phone = byTestId(page, 'connection-bar-phone');
  await page.waitForFunction(() => document.querySelector('[data-testid="connection-bar-phone"]')?.getAttribute('data-phone') === 'unregistered');
  assert.equal(await phone.innerText(), '未注册');

  // A phone registers extension 1001: the bar says so at once (the agent.phone event), and the
  // admin's list counts the device.
  const sip = server.log.map((l) => l.match(/sip on udp and tcp (127\.0\.0\.1:\d+)/)?.[1]).find(Boolean);
  if (SIPP) {
    assert.ok(sip, 'the server prints its SIP address');
    await registerWithSipp(sip);
    await page.waitForFunction(() => document.querySelector('[data-testid="connection-bar-phone"]')?.getAttribute('data-phone') === 'registered');
    assert.equal(await phone.innerText(), '已注册（1 台设备）');
    const api = apiClient(server.url);
    const admin = await api.login('admin');
    assert.equal((await admin.get('/voice/extensions')).find((r) => r.login === 'agent1').registered_devices, 1);
  } else {
    console.error('sipp is not installed (make test installs it): registration not checked');
  }
  await page.close();

  // An agent without an extension.
  const api = apiClient(server.url);
  const admin = await api.login('admin');
  const agent3 = (await admin.get('/voice/extensions')).find((r) => r.login === 'agent3');
  await fetch(`${server.url}/api/v1/voice/extensions/${agent3.agent_id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${admin.token}` } });
  const other = await context.newPage();
  await other.goto(`${server.url}/login`);
  await other.evaluate(() => localStorage.clear());
  await other.goto(`${server.url}/login`);
  await login(other, server.url, 'agent3', 'switchboard');
  await other.waitForURL(/\/workbench$/);
  await other.waitForFunction(() => document.querySelector('[data-testid="connection-bar-phone"]')?.getAttribute('data-phone') === 'none');
  assert.equal(await byTestId(other, 'connection-bar-phone').innerText(), '未配置');
  await other.close();
});
