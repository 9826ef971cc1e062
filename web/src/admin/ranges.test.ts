import { describe, expect, it } from 'vitest';
import { translator } from '../i18n';
import { rangeRule, rangeText } from './ranges';

describe('number ranges', () => {
  const zh = translator('zh-CN');
  it('says the allowed range, as the rule that refuses a value outside it', () => {
    expect(rangeText(zh, 'offer_timeout_s')).toBe('允许范围 5–300');
    expect(rangeText(translator('en'), 'skill_level')).toBe('Allowed range: 1–10');
    expect(rangeRule(zh, 'offer_timeout_s')).toEqual({ required: true, type: 'integer', min: 5, max: 300, message: '允许范围 5–300' });
  });
});
