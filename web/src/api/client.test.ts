import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, errorFromBody, onUnauthorized, request, setToken } from './client';
import { errorDetail, errorText } from './errors';
import { translator } from '../i18n';

// Minimal localStorage for the node test environment.
const store = new Map<string, string>();
beforeEach(() => {
  store.clear();
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  onUnauthorized(null);
});

function mockFetch(status: number, body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) {
  const fn = vi.fn(async () => new Response(status === 204 ? null : body, { status, headers }));
  vi.stubGlobal('fetch', fn);
  return fn;
}

describe('errorFromBody', () => {
  it('maps the contract error JSON', () => {
    const e = errorFromBody(401, JSON.stringify({ code: 'invalid_credentials', message: 'wrong password' }));
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(401);
    expect(e.code).toBe('invalid_credentials');
    expect(e.message).toBe('wrong password');
    expect(e.field).toBeUndefined();
  });

  it('keeps the field', () => {
    const e = errorFromBody(400, '{"code":"invalid","message":"too short","field":"password"}');
    expect(e.field).toBe('password');
  });

  it('keeps the per-row import errors', () => {
    const body = { code: 'import_rejected', message: 'rejected', errors: [{ row: 2, column: 'login', message: 'duplicate' }] };
    const e = errorFromBody(422, JSON.stringify(body));
    expect(e.code).toBe('import_rejected');
    expect(e.errors).toEqual([{ row: 2, column: 'login', message: 'duplicate' }]);
  });

  it('falls back for non-JSON bodies', () => {
    expect(errorFromBody(502, '<html>bad gateway</html>', 'Bad Gateway').code).toBe('internal');
    const e = errorFromBody(404, '', 'Not Found');
    expect(e.code).toBe('http_404');
    expect(e.message).toBe('Not Found');
  });
});

describe('errorText', () => {
  const zh = translator('zh-CN');
  const en = translator('en');
  it('translates known codes', () => {
    const e = new ApiError(401, 'invalid_credentials', 'bad');
    expect(errorText(e, en)).toBe('Wrong tenant, login name or password');
    expect(errorText(e, zh)).toBe('租户、登录名或密码错误');
    expect(errorText(new ApiError(429, 'rate_limited', 'slow down'), en)).toMatch(/Too many attempts/);
  });
  it('prefers a field-specific translation', () => {
    const e = new ApiError(409, 'conflict', 'this login name is already taken', 'login');
    expect(errorText(e, zh)).toBe('登录名已存在');
    expect(errorText(new ApiError(400, 'invalid_field', 'the current password is wrong', 'current_password'), en)).toBe(
      'The current password is wrong',
    );
  });
  it('adds the server detail to generic codes', () => {
    const e = new ApiError(409, 'conflict', 'users still hold this role; take it from them first');
    expect(errorText(e, en)).toBe('Conflict: users still hold this role; take it from them first');
    expect(errorText(new ApiError(401, 'unauthenticated', 'missing token'), zh)).toBe('登录已失效，请重新登录');
  });
  it('translates the engine 409 codes', () => {
    expect(errorText(new ApiError(409, 'summary_required', 'save the service summary first'), zh)).toBe('请先保存服务小计，再继续工作');
    expect(errorText(new ApiError(409, 'contacts_in_progress', 'x'), en)).toMatch(/cannot sign out/);
    expect(errorText(new ApiError(409, 'cannot_reject', 'x'), zh)).toBe('来话不能拒接');
  });
  it('translates the call control codes', () => {
    expect(errorText(new ApiError(409, 'already_held', 'the call is already on hold'), zh)).toBe('通话已在保持中');
    expect(errorText(new ApiError(409, 'not_held', 'the call is not on hold'), zh)).toBe('通话未在保持中');
    expect(errorText(new ApiError(409, 'no_call', 'no live call carries this contact'), zh)).toMatch(/挂断/);
    expect(errorText(new ApiError(409, 'not_a_call', 'this contact is not a call'), zh)).toMatch(/不是电话/);
    expect(errorText(new ApiError(409, 'not_held', 'x'), en)).toBe('The call is not on hold');
    expect(errorText(new ApiError(400, 'invalid_field', 'bad digits', 'digits'), zh)).toMatch(/星号和井号/);
    expect(errorText(new ApiError(400, 'invalid_field', 'bad digits', 'digits'), en)).toMatch(/at most 32/);
  });
  it('falls back to the server message for unknown codes', () => {
    expect(errorText(new ApiError(400, 'something_new', 'Server says no'), en)).toBe('Server says no');
  });
  it('never shows the English server text in the Chinese UI', () => {
    const login = new ApiError(400, 'invalid_field', 'may contain only letters, digits and . _ - @ +', 'login');
    expect(errorText(login, zh)).toBe('登录名：只能包含字母、数字和 . _ - @ +');
    expect(errorText(login, en)).toBe('Login name: May contain only letters, digits and . _ - @ +');
    const range = new ApiError(400, 'invalid_field', 'must be between 5 and 300', 'offer_timeout_s');
    expect(errorText(range, zh)).toBe('振铃超时（秒）：允许范围 5–300');
    expect(errorDetail(range, zh)).toBe('允许范围 5–300');
    expect(errorText(new ApiError(409, 'conflict', 'users still hold this role; take it from them first'), zh)).toBe('操作冲突');
    expect(errorText(new ApiError(400, 'something_new', 'Server says no'), zh)).toBe('操作失败（something_new）');
    expect(errorText(new ApiError(400, 'invalid_field', 'a brand new rule', 'x_code'), zh)).toBe('输入有误');
    // Ticket field errors shown under the field: only what was wrong.
    expect(errorDetail(new ApiError(400, 'invalid_field', 'must be a phone number: digits, optionally with +, spaces, - or ()', 'phone'), zh)).toMatch(/电话号码/);
    expect(errorDetail(new ApiError(400, 'invalid_field', 'a brand new rule', 'x_code'), en)).toBe('a brand new rule');
    const english = /[A-Za-z]{3,}/;
    for (const message of [
      'must not be empty', 'must be 1-64 characters', 'must be at most 64 characters', 'must not contain control characters',
      'must be 2-32 characters: a lowercase letter, then letters, digits or \'-\'', 'must be 8-128 characters', 'must be an email address',
      'must be a date like 2026-11-21', 'must be a date and time like 2026-11-21T09:30:00+08:00', 'must be a number', 'is required',
      "unknown value 'x'; expected one of: idle, busy", 'a transfer needs a note', 'no such skill queue', 'must be a whole number from 1 to 5',
      'must be an http:// or https:// URL', "'green' is not one of the options: red, blue",
    ]) {
      expect(errorText(new ApiError(400, 'invalid_field', message, 'some_field'), zh).replace(/https?:\/\//g, ''), message).not.toMatch(english);
    }
  });
});

describe('request', () => {
  it('sends the bearer token and JSON body', async () => {
    setToken('tok123');
    const fetchFn = mockFetch(200, '{"ok":true}');
    const res = await request<{ ok: boolean }>('POST', '/things', { a: 1 });
    expect(res).toEqual({ ok: true });
    const [url, init] = fetchFn.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/things');
    expect((init.headers as Record<string, string>)['Authorization']).toBe('Bearer tok123');
    expect(init.body).toBe('{"a":1}');
  });

  it('returns undefined on 204', async () => {
    mockFetch(204, '');
    await expect(request('DELETE', '/x')).resolves.toBeUndefined();
  });

  it('throws ApiError and reports 401 for an authenticated request', async () => {
    setToken('tok');
    mockFetch(401, '{"code":"unauthenticated","message":"token revoked"}');
    const seen: string[] = [];
    onUnauthorized((e) => seen.push(e.code));
    await expect(request('GET', '/me')).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(seen).toEqual(['unauthenticated']);
  });

  it('does not report 401 for anonymous requests (login)', async () => {
    mockFetch(401, '{"code":"invalid_credentials","message":"nope"}');
    const seen: string[] = [];
    onUnauthorized((e) => seen.push(e.code));
    await expect(request('POST', '/auth/login', {}, { anonymous: true })).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(seen).toEqual([]);
  });

  it('maps network failures', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(request('GET', '/me')).rejects.toMatchObject({ status: 0, code: 'network' });
  });
});
