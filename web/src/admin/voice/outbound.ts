// Outbound calling's configuration, checked as the server checks it (api/outbound_config.rs), so
// a form says what is wrong before sending: the outbound proxy's host, the destination rules and
// the daily limit; and the rule table's editing (add, remove, move).
import type { DestinationRule, OutboundPolicyInput } from '../../api/types';
import { isIpAddress } from './rules';

/** An outbound proxy: an IP address or a DNS name (labels of letters, digits and inner hyphens). */
export function isProxyHost(s: string): boolean {
  const v = s.trim();
  if (isIpAddress(v)) return true;
  if (v.length < 1 || v.length > 253) return false;
  return v.split('.').every((l) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
}

/** A rule's prefix: digits, optionally after a leading +, 1–16 characters in all. */
export const isRulePrefix = (s: string): boolean => {
  const v = s.trim();
  return v.length <= 16 && /^\+?\d+$/.test(v);
};

/** A rule's digit range: 1 ≤ min ≤ max ≤ 20. */
export const isDigitRange = (min: number | null, max: number | null): boolean =>
  min !== null && max !== null && Number.isInteger(min) && Number.isInteger(max) && min >= 1 && min <= max && max <= 20;

export const MAX_RULES = 100;

/** What is wrong with a rule, or null. */
export function ruleProblem(r: DestinationRule): 'prefix' | 'digits' | 'label' | null {
  if (!isRulePrefix(r.prefix)) return 'prefix';
  if (!isDigitRange(r.min_digits, r.max_digits)) return 'digits';
  if ([...(r.label ?? '').trim()].length > 64) return 'label';
  return null;
}

/** A new rule to fill in: allow domestic mobile numbers. */
export const blankRule = (): DestinationRule => ({ prefix: '+86', min_digits: 11, max_digits: 13, allow: true, label: '' });

/** The rules with the one at `i` moved by `by` places (kept in bounds). */
export function moveRule<T>(rules: readonly T[], i: number, by: -1 | 1): T[] {
  const j = i + by;
  if (j < 0 || j >= rules.length) return [...rules];
  const out = [...rules];
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}

/** The policy body the API takes: the rules' fields only (the table's row keys stay behind: the
 * server refuses unknown fields), trimmed, and the limit only when it is on. */
export function policyBody(rules: readonly DestinationRule[], limitOn: boolean, limit: number | null): OutboundPolicyInput {
  return {
    rules: rules.map((r) => ({
      prefix: r.prefix.trim(),
      min_digits: r.min_digits,
      max_digits: r.max_digits,
      allow: r.allow,
      label: (r.label ?? '').trim(),
    })),
    daily_limit: limitOn ? limit : null,
  };
}
