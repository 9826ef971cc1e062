// Small fetch wrapper for /api/v1. Errors follow the contract:
// `{"code": "snake_case", "message": "human text", "field": "optional"}`.
import type { ImportRowError } from './types';

export const API_BASE = '/api/v1';
const TOKEN_KEY = 'sb.token';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  readonly errors?: ImportRowError[];

  constructor(status: number, code: string, message: string, field?: string, errors?: ImportRowError[]) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.errors = errors;
  }
}

/** Build an ApiError from a non-2xx status and its (possibly non-JSON) body text. */
export function errorFromBody(status: number, bodyText: string, statusText = ''): ApiError {
  let parsed: unknown;
  try {
    parsed = bodyText ? JSON.parse(bodyText) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed && typeof parsed === 'object' && typeof (parsed as { code?: unknown }).code === 'string') {
    const p = parsed as { code: string; message?: unknown; field?: unknown; errors?: unknown };
    const message = typeof p.message === 'string' && p.message ? p.message : p.code;
    const field = typeof p.field === 'string' ? p.field : undefined;
    const errors = Array.isArray(p.errors) ? (p.errors as ImportRowError[]) : undefined;
    return new ApiError(status, p.code, message, field, errors);
  }
  const fallback = statusText || (bodyText && bodyText.length < 200 ? bodyText : '') || `HTTP ${status}`;
  return new ApiError(status, status >= 500 ? 'internal' : `http_${status}`, fallback);
}

export function getToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

type Listener = (err: ApiError) => void;
let unauthorizedListener: Listener | null = null;
let passwordChangeListener: Listener | null = null;

/** Called on any 401 from an authenticated request (the app logs out to /login). */
export function onUnauthorized(fn: Listener | null): void {
  unauthorizedListener = fn;
}

/** Called on 403 `password_change_required`. */
export function onPasswordChangeRequired(fn: Listener | null): void {
  passwordChangeListener = fn;
}

export interface RequestOptions {
  /** Send without the bearer token and do not treat 401 as a session loss (login). */
  anonymous?: boolean;
  signal?: AbortSignal;
}

async function send(method: string, path: string, body: BodyInit | undefined, headers: Record<string, string>, opts: RequestOptions): Promise<Response> {
  const token = opts.anonymous ? null : getToken();
  if (token) headers['Authorization'] = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path.startsWith('/api/') ? path : API_BASE + path, { method, headers, body, signal: opts.signal });
  } catch (e) {
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    const err = errorFromBody(res.status, text, res.statusText);
    if (res.status === 401 && token && unauthorizedListener) unauthorizedListener(err);
    if (res.status === 403 && err.code === 'password_change_required' && passwordChangeListener) passwordChangeListener(err);
    throw err;
  }
  return res;
}

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await send(method, path, payload, headers, opts);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** GET a file with the bearer token and return it as a Blob (for template downloads). */
export async function fetchBlob(path: string): Promise<Blob> {
  const res = await send('GET', path, undefined, {}, {});
  return res.blob();
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body, opts),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body),
  del: <T = void>(path: string) => request<T>('DELETE', path),
};
