// Client-side checks that mirror the server's (crates/server/src/api/library.rs, entries.rs),
// and the chat entry point's customer URL and widget snippet. Pure, unit-tested.
import type { TFunc } from '../i18n';

/** Rust's `char::is_control` (Unicode category Cc), which the server refuses in short texts. */
const CONTROL = /\p{Cc}/u;

/** Characters as the server counts them (Unicode scalar values, not UTF-16 units). */
export const charCount = (s: string): number => [...s].length;

export type TextProblem = 'required' | 'tooLong' | 'control';

/**
 * The server's bounded text: trimmed, at most `max` characters, no control characters
 * unless `multiline` (canned reply texts keep their line breaks).
 */
export function textProblem(value: unknown, max: number, opts: { required?: boolean; multiline?: boolean } = {}): TextProblem | null {
  const v = typeof value === 'string' ? value.trim() : '';
  if (!v) return opts.required ? 'required' : null;
  if (charCount(v) > max) return 'tooLong';
  if (!opts.multiline && CONTROL.test(v)) return 'control';
  return null;
}

export interface TextRuleOptions {
  required?: boolean;
  multiline?: boolean;
  /** Check the text as `oneLine` makes it (line breaks flattened on submit). */
  flatten?: boolean;
}

/** An antd form rule for `textProblem`. */
export function textRule(t: TFunc, max: number, opts: TextRuleOptions = {}): { validator: (rule: unknown, value: unknown) => Promise<void> } {
  return {
    validator: (_, value) => {
      const v = opts.flatten && typeof value === 'string' ? oneLine(value) : value;
      const p = textProblem(v, max, opts);
      if (!p) return Promise.resolve();
      const text = p === 'required' ? t('common.required') : p === 'tooLong' ? t('rules.maxChars', { n: max }) : t('rules.noControl');
      return Promise.reject(new Error(text));
    },
  };
}

/** Line breaks and other control characters in a one-paragraph text become single spaces. */
export const oneLine = (s: string): string => s.replace(/\p{Cc}+/gu, ' ').trim();

/** The server accepts document links that start with http:// or https:// (case-sensitive). */
export const isHttpUrl = (s: string): boolean => {
  const v = s.trim();
  return v.startsWith('http://') || v.startsWith('https://');
};

/** An entry point's URL name after the server's normalisation (trimmed, lowercase). */
export const normalizeEntryName = (s: string): string => s.trim().toLowerCase();
export const ENTRY_NAME = /^[a-z0-9-]{1,32}$/;
export const isEntryName = (s: string): boolean => ENTRY_NAME.test(normalizeEntryName(s));

/** The identity secret's length as the server measures it (UTF-8 bytes): 16-128, or empty for none. */
export const secretLength = (s: string): number => new TextEncoder().encode(s).length;
export const isSecretOk = (s: string | undefined): boolean => !s || (secretLength(s) >= 16 && secretLength(s) <= 128);

/** A random identity secret: 32 hex characters (128 bits). */
export function newSecret(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The customer chat page of an entry point: `{origin}/chat/{tenant}/{name}`. */
export function customerPageUrl(origin: string, tenant: string, name: string): string {
  return `${origin.replace(/\/+$/, '')}/chat/${encodeURIComponent(tenant)}/${encodeURIComponent(name)}`;
}

/** The customer page's address for help text: a name not typed yet shows as `…`, not percent-encoded. */
export function customerPagePreview(origin: string, tenant: string, name: string): string {
  return name ? customerPageUrl(origin, tenant, name) : `${customerPageUrl(origin, tenant, '')}…`;
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The tag a company pastes into its site to get the chat button (see public/widget.js). */
export function embedSnippet(origin: string, tenant: string, name: string): string {
  return `<script src="${attr(origin.replace(/\/+$/, ''))}/widget.js" data-tenant="${attr(tenant)}" data-entry="${attr(name)}" async></script>`;
}

/** The same tag with the signed-visitor attributes the host site fills in per page view. */
export function signedEmbedSnippet(origin: string, tenant: string, name: string): string {
  return embedSnippet(origin, tenant, name).replace(' async>', ' data-identity="{identity}" data-ts="{ts}" data-sig="{sig}" async>');
}
