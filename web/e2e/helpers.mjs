// Shared helpers for the browser tests: start a Switchboard server, drive headless Chromium.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
export const SHOTS = process.env.E2E_SCREENSHOTS ?? '/tmp';
const CHROME_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

/**
 * Spawn `switchboard serve --http 127.0.0.1:0 --data <fresh dir> --demo` (and `extraArgs`) and
 * wait for its "listening on http://127.0.0.1:PORT" line. SWITCHBOARD_BIN overrides the binary.
 */
export async function startServer(extraArgs = []) {
  const bin = resolve(webDir, process.env.SWITCHBOARD_BIN ?? '../target/debug/switchboard');
  if (!existsSync(bin)) throw new Error(`server binary not found at ${bin}: build it (cargo build -p switchboard) or set SWITCHBOARD_BIN`);
  if (!existsSync(join(webDir, 'dist', 'index.html'))) throw new Error('web/dist is missing: run `npm run build` first');
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-data-'));
  const args = ['serve', '--http', '127.0.0.1:0', '--sip', '127.0.0.1:0', '--data', dataDir, '--demo', ...extraArgs];
  const child = spawn(bin, args, { cwd: webDir });
  const log = [];
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not report listening within 60 s:\n${log.join('\n')}`)), 60_000);
    const onLine = (line) => {
      log.push(line);
      if (process.env.E2E_SERVER_LOG) console.error(`[server] ${line}`);
      const m = line.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited early with ${code}:\n${log.join('\n')}`));
    });
  });
  return {
    url,
    log,
    /** The server's data directory (its SQLite database and recordings). */
    dataDir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Headless Chromium with a fresh profile. */
export async function startBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'switchboard-e2e-chrome-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROME_ARGS,
    viewport: { width: 1366, height: 800 },
    locale: 'zh-CN',
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);

/** Fill the login form and submit. */
export async function login(page, baseUrl, loginName, password, tenant = 'demo') {
  if (!page.url().includes('/login')) await page.goto(`${baseUrl}/login`);
  await byTestId(page, 'login-tenant').fill(tenant);
  await byTestId(page, 'login-name').fill(loginName);
  await byTestId(page, 'login-password').fill(password);
  await byTestId(page, 'login-submit').click();
}

/** Open an antd Select (by a locator on or inside it) and pick the option whose text matches. */
export async function pickOption(page, select, text) {
  const root = select.locator('xpath=ancestor-or-self::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  await root.locator('.ant-select-selector').click();
  // This select's own popup: another one may still be fading out (its options visible a
  // moment longer, and clicking one there would pick in the wrong select).
  const input = root.locator('input[aria-controls]').first();
  await input.waitFor({ state: 'attached' });
  const list = await input.getAttribute('aria-controls');
  const popup = page.locator(`.ant-select-dropdown:has([id="${list}"])`);
  const option = popup.locator('.ant-select-item-option').filter({ hasText: text }).first();
  await option.click();
}

/** Close any open antd Select popup. */
export async function closePopups(page) {
  await page.keyboard.press('Escape');
}

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, name);
  // Let antd spinners and transitions settle so the picture shows the final layout.
  await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning'));
  await page.waitForTimeout(400);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Wait until an antd Modal is open and its zoom-in has finished: a click during the animation can
 * land before the form is ready (seen once in CI as a radio click that changed nothing).
 */
export async function modalOpened(page) {
  await page.locator('.ant-modal-wrap:visible .ant-modal').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.ant-modal-wrap .ant-modal[class*="ant-zoom-"]'));
}

/** A test that failed with a dialog open leaves it to the next: start from a clean page instead. */
export async function dropLeftoverModal(page) {
  if (await page.locator('.ant-modal-wrap:visible').count()) await page.reload();
}

/** Close the open antd Modal with its × button and wait until no modal is visible. */
export async function closeModal(page) {
  await page.locator('.ant-modal-wrap:visible .ant-modal-close').first().click();
  await page.locator('.ant-modal-wrap:visible').first().waitFor({ state: 'detached' }).catch(async () => {
    await page.waitForFunction(() => ![...document.querySelectorAll('.ant-modal-wrap')].some((el) => el.offsetParent !== null || getComputedStyle(el).display !== 'none'));
  });
}

/**
 * One headless Chromium with isolated contexts (separate localStorage, so separate sessions):
 * for tests where an agent and a supervisor are signed in at the same time.
 */
export async function launchBrowser() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROME_ARGS });
  const contexts = [];
  return {
    browser,
    /** A page in a fresh context; `lang` preselects the UI language ('zh-CN' default, or 'en'). */
    async newPage({ lang } = {}) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: lang === 'en' ? 'en-US' : 'zh-CN' });
      context.setDefaultTimeout(15_000);
      if (lang) await context.addInitScript((l) => localStorage.setItem('sb.lang', l), lang);
      contexts.push(context);
      const page = await context.newPage();
      page.errors = [];
      page.on('pageerror', (e) => page.errors.push(String(e)));
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
    },
  };
}

/** A small JSON client for the API (test setup through the API, as an integration would). */
export function apiClient(baseUrl) {
  const call = async (token, method, path, body) => {
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${baseUrl}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const err = new Error(`${method} ${path} → ${res.status} ${text}`);
      err.status = res.status;
      err.body = json;
      throw err;
    }
    return json;
  };
  return {
    async login(loginName, password = 'switchboard', tenant = 'demo') {
      const res = await call(null, 'POST', '/auth/login', { tenant, login: loginName, password });
      const as = (method, path, body) => call(res.token, method, path, body);
      return {
        token: res.token,
        user: res.user,
        get: (path) => as('GET', path),
        post: (path, body) => as('POST', path, body),
        put: (path, body) => as('PUT', path, body),
        patch: (path, body) => as('PATCH', path, body),
      };
    },
  };
}

/**
 * What a suite acting as several users starts from: the server, a browser, an API client, the
 * admin's session and every user's id by login. `params` are set as tenant parameters first
 * (e.g. long offers, so a slow machine has room to act).
 */
export async function startSuite(params = {}) {
  const server = await startServer();
  const browser = await launchBrowser();
  const api = apiClient(server.url);
  const admin = await api.login('admin');
  const ids = {};
  for (const u of await admin.get('/users')) ids[u.login] = u.id;
  await admin.put('/tenant/params', { ...(await admin.get('/tenant/params')), ...params });
  return { server, browser, api, admin, ids };
}
