import { describe, expect, it } from 'vitest';
import { blankRule, isProxyHost, moveRule, policyBody, ruleProblem } from './outbound';

describe('outbound configuration', () => {
  it('takes an address or a domain name as the proxy', () => {
    expect(isProxyHost('sip.carrier.example')).toBe(true);
    expect(isProxyHost('192.0.2.10')).toBe(true);
    expect(isProxyHost('2001:db8::1')).toBe(true);
    expect(isProxyHost('carrier example')).toBe(false);
    expect(isProxyHost('-bad.example')).toBe(false);
    expect(isProxyHost('a..b')).toBe(false);
    expect(isProxyHost('a'.repeat(254))).toBe(false);
  });

  it('checks rules as the server does', () => {
    expect(ruleProblem(blankRule())).toBeNull();
    expect(ruleProblem({ ...blankRule(), prefix: '95', min_digits: 5, max_digits: 5 })).toBeNull();
    expect(ruleProblem({ ...blankRule(), prefix: '+' })).toBe('prefix');
    expect(ruleProblem({ ...blankRule(), prefix: '+12345678901234567' })).toBe('prefix');
    expect(ruleProblem({ ...blankRule(), min_digits: 0 })).toBe('digits');
    expect(ruleProblem({ ...blankRule(), min_digits: 12, max_digits: 11 })).toBe('digits');
    expect(ruleProblem({ ...blankRule(), max_digits: 21 })).toBe('digits');
    expect(ruleProblem({ ...blankRule(), label: '长'.repeat(65) })).toBe('label');
  });

  it('moves rules within bounds', () => {
    expect(moveRule(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveRule(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveRule(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
  });

  it('sends the limit only when it is on', () => {
    const rules = [{ ...blankRule(), prefix: ' +86 ', label: ' 国内 ' }];
    expect(policyBody(rules, true, 50)).toEqual({ rules: [{ ...blankRule(), label: '国内' }], daily_limit: 50 });
    expect(policyBody(rules, false, 50).daily_limit).toBeNull();
    // The table's row key is not a field of the API's.
    expect(policyBody([{ ...blankRule(), key: 7 } as ReturnType<typeof blankRule>], true, 1).rules[0]).not.toHaveProperty('key');
  });
});
