// API errors in the user's language. The server's `message` is English: the English UI may show
// it, the Chinese UI never does. Instead the `code` and the `field` pick a translation, and the
// few shapes the server's messages take (empty, too long, out of range…) are recognised and said
// again in the user's language with their numbers.
import { ApiError } from './client';
import { hasKey, type MessageKey, type TFunc } from '../i18n';

/** Codes whose translation is generic: the detail (what exactly) follows it. */
const WITH_DETAIL = new Set(['conflict', 'invalid_field', 'forbidden', 'invalid_upload']);

/** The shapes of the server's validation messages, and their translation (captures in order). */
const DETAILS: readonly (readonly [RegExp, MessageKey, readonly string[]])[] = [
  [/^must not be empty$|^is required$|needs this field filled in$/, 'error.detail.required', []],
  [/^must be (\d+)-(\d+) characters$/, 'error.detail.length', ['min', 'max']],
  [/^(?:must be )?at most (\d+) characters$/, 'error.detail.maxChars', ['n']],
  [/^may contain only letters, digits and (.+)$/, 'error.detail.loginChars', ['chars']],
  [/^must be 2-32 characters: a lowercase letter/, 'error.detail.tenantName', []],
  [/control characters$/, 'error.detail.control', []],
  [/^must be (?:between|from) (-?\d+) (?:and|to) (-?\d+)/, 'error.detail.range', ['min', 'max']],
  [/^must be a whole number from (-?\d+) to (-?\d+)$/, 'error.detail.range', ['min', 'max']],
  [/^must be a phone number/, 'error.detail.phone', []],
  [/^must be an email address$/, 'error.detail.email', []],
  [/^(?:must be a|not a) number$/, 'error.detail.number', []],
  [/^must be a date like/, 'error.detail.date', []],
  [/^must be a (?:date and )?time/, 'error.detail.datetime', []],
  [/^must be an http:\/\/ or https:\/\/ URL$/, 'error.detail.url', []],
  [/^unknown value '.*'; expected one of|is not one of the options/, 'error.detail.choice', []],
  [/needs a note$|^a note is required$/, 'error.detail.note', []],
  [/^expects a single value/, 'error.detail.single', []],
  [/^unknown role '(.+)'$/, 'error.detail.unknownRole', ['name']],
  [/^login '(.+)' is already taken$/, 'error.detail.loginTaken', ['login']],
  [/^no skill group named '(.+)'$/, 'error.detail.noGroup', ['name']],
  [/^no active user with login '(.+)'$/, 'error.detail.noUser', ['login']],
  [/^must be true or false$/, 'error.detail.boolean', []],
  [/^unknown column '([^']+)'/, 'error.detail.unknownColumn', ['name']],
  [/^missing column '([^']+)'/, 'error.detail.missingColumn', ['name']],
  [/^column '(.+)' appears twice$/, 'error.detail.twiceColumn', ['name']],
  [/^not a field code of this ticket type$/, 'error.detail.notAField', []],
  [/^no such /, 'error.detail.notFound', []],
  [/^must be 1-32 lower-case letters, digits or '_' from a letter, once$/, 'error.detail.fieldCode', []],
  [/^an option field lists 1-100 distinct options/, 'error.detail.fieldOptions', []],
  [/^a saved field keeps its type/, 'error.detail.fieldType', []],
  [/^at most (\d+)$/, 'error.detail.atMost', ['n']],
];

/** The server's English message said in the UI's language, or null when its shape is unknown. */
export function localizedDetail(message: string, t: TFunc): string | null {
  // A domain rule's text may come prefixed with its field ("login: must be 1-64 characters").
  const text = message.trim();
  const bare = text.replace(/^[a-z_]+: /, '');
  for (const [re, key, names] of DETAILS) {
    const m = re.exec(text) ?? re.exec(bare);
    if (!m) continue;
    const vars: Record<string, string> = {};
    names.forEach((n, i) => (vars[n] = m[i + 1]));
    return t(key, vars);
  }
  return null;
}

/** Whether the UI speaks the server's language (English), so that its text may be shown as is. */
const speaksServerLanguage = (t: TFunc) => t.lang === 'en';

/** The names of the API's fields, where an error may name one outside its form. */
const FIELD_LABELS: Readonly<Record<string, MessageKey>> = {
  login: 'users.login',
  real_name: 'users.realName',
  display_name: 'users.displayName',
  chat_limit: 'users.chatLimit',
  tenant: 'login.tenant',
  password: 'login.password',
  current_password: 'pwd.current',
  new_password: 'pwd.new',
  priority: 'queues.priority',
  skill_level: 'queues.skillLevel',
  wrap_up_limit_s: 'params.wrapUpLimit',
  offer_timeout_s: 'params.offerTimeout',
  no_answer_limit: 'params.noAnswerLimit',
  task_limit: 'params.taskLimit',
  familiar_wait_s: 'params.familiarWait',
  recall_limit_s: 'params.recallLimit',
  time_zone: 'params.timeZone',
  summary: 'wb.summary.label',
  reason: 'sv.reason',
  note: 'tk.action.note',
  url: 'docs.url',
};

/** A field's name in the user's language, when known. */
export function fieldLabel(field: string | undefined, t: TFunc): string | null {
  const key = field ? FIELD_LABELS[field] : undefined;
  return key ? t(key) : null;
}

/**
 * What went wrong with one field, to show under it (the form names the field already): the
 * recognised detail, else the server's text in the English UI, else "invalid input".
 */
export function errorDetail(err: unknown, t: TFunc): string {
  if (!(err instanceof ApiError)) return errorText(err, t);
  const specific = err.field ? `error.${err.code}.${err.field}` : '';
  if (specific && hasKey(specific)) return t(specific);
  const recognised = localizedDetail(err.message, t);
  if (recognised) return recognised;
  if (speaksServerLanguage(t) && err.message) return err.message;
  const key = `error.${err.code}`;
  return t(hasKey(key) ? key : 'error.invalid_field');
}

/**
 * Translate an error for display:
 * 1. `error.<code>.<field>` when the dictionary has it (e.g. a taken login name);
 * 2. a field error: the field's name and what was wrong with it, in the user's language;
 * 3. `error.<code>`, with the detail for generic codes (recognised, or the server's in English);
 * 4. otherwise the server's message in English, or "failed (code)" in Chinese.
 */
export function errorText(err: unknown, t: TFunc): string {
  if (err instanceof ApiError) {
    const specific = err.field ? `error.${err.code}.${err.field}` : '';
    if (specific && hasKey(specific)) return t(specific);
    const detail = err.message && err.message !== err.code ? localizedDetail(err.message, t) : null;
    const label = fieldLabel(err.field, t);
    if (err.code === 'invalid_field' && label) return t('error.fieldProblem', { field: label, detail: detail ?? errorDetail(err, t) });
    const key = `error.${err.code}`;
    if (hasKey(key)) {
      const text = t(key);
      if (!WITH_DETAIL.has(err.code) || !err.message || err.message === err.code) return text;
      if (detail) return t('error.withDetail', { text, detail });
      return speaksServerLanguage(t) ? t('error.withDetail', { text, detail: err.message }) : text;
    }
    if (detail) return detail;
    return speaksServerLanguage(t) ? err.message || err.code : t('error.unknown', { code: err.code });
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

/** A refusal heard on a socket (`{code, message}`), as {@link errorText} says it. */
export function refusalText(e: { code: string; message?: string; field?: string }, t: TFunc): string {
  return errorText(new ApiError(0, e.code, e.message ?? e.code, e.field), t);
}

/** A per-row import problem (the server's English text) in the user's language. */
export function rowErrorText(message: string, t: TFunc): string {
  return localizedDetail(message, t) ?? (speaksServerLanguage(t) ? message : t('error.invalid_field'));
}
