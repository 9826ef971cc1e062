import { describe, expect, it } from 'vitest';
import { translator } from '../i18n';
import {
  charCount, customerPagePreview, customerPageUrl, embedSnippet, isEntryName, isHttpUrl, isSecretOk, newSecret, normalizeEntryName, oneLine,
  secretLength, signedEmbedSnippet, textProblem, textRule,
} from './rules';

describe('bounded texts (as the server checks them)', () => {
  it('trims, counts characters rather than UTF-16 units, and refuses control characters', () => {
    expect(textProblem('  ', 10, { required: true })).toBe('required');
    expect(textProblem(undefined, 10)).toBeNull();
    expect(textProblem('  abc  ', 3, { required: true })).toBeNull();
    expect(textProblem('abcd', 3)).toBe('tooLong');
    expect(charCount('😀😀')).toBe(2);
    expect(textProblem('😀😀😀', 3)).toBeNull();
    expect(textProblem('a\tb', 10)).toBe('control');
    expect(textProblem('a\nb', 10)).toBe('control');
    expect(textProblem('a\nb', 10, { multiline: true })).toBeNull();
    expect(textProblem('a\u0085b', 10)).toBe('control');
  });

  it('makes an antd rule with translated messages', async () => {
    const rule = textRule(translator('en'), 5, { required: true });
    await expect(rule.validator({}, 'ok')).resolves.toBeUndefined();
    await expect(rule.validator({}, '')).rejects.toThrow('Required');
    await expect(rule.validator({}, 'toolong')).rejects.toThrow('5');
    await expect(rule.validator({}, 'a\nb')).rejects.toThrow('control');
    await expect(textRule(translator('en'), 5, { flatten: true }).validator({}, 'a\nb')).resolves.toBeUndefined();
  });

  it('flattens line breaks for one-paragraph texts', () => {
    expect(oneLine(' a\r\n\r\nb\tc ')).toBe('a b c');
  });
});

describe('documents', () => {
  it('accepts only http:// and https:// links, like the server', () => {
    expect(isHttpUrl('https://example.com/a.pdf')).toBe(true);
    expect(isHttpUrl(' http://intranet/doc ')).toBe(true);
    expect(isHttpUrl('ftp://example.com')).toBe(false);
    expect(isHttpUrl('example.com')).toBe(false);
    expect(isHttpUrl('javascript:alert(1)')).toBe(false);
    expect(isHttpUrl('HTTPS://EXAMPLE.COM')).toBe(false);
  });
});

describe('chat entry points', () => {
  it('checks the URL name after the server normalisation', () => {
    expect(normalizeEntryName(' Shop-1 ')).toBe('shop-1');
    expect(isEntryName('web')).toBe(true);
    expect(isEntryName('Shop-1')).toBe(true);
    expect(isEntryName('a'.repeat(32))).toBe(true);
    expect(isEntryName('a'.repeat(33))).toBe(false);
    expect(isEntryName('')).toBe(false);
    expect(isEntryName('my shop')).toBe(false);
    expect(isEntryName('shop_1')).toBe(false);
    expect(isEntryName('商城')).toBe(false);
  });

  it('measures the identity secret in bytes: empty or 16-128', () => {
    expect(isSecretOk('')).toBe(true);
    expect(isSecretOk(undefined)).toBe(true);
    expect(isSecretOk('x'.repeat(15))).toBe(false);
    expect(isSecretOk('x'.repeat(16))).toBe(true);
    expect(isSecretOk('x'.repeat(128))).toBe(true);
    expect(isSecretOk('x'.repeat(129))).toBe(false);
    expect(secretLength('密钥')).toBe(6);
    const s = newSecret();
    expect(s).toMatch(/^[0-9a-f]{32}$/);
    expect(isSecretOk(s)).toBe(true);
    expect(newSecret()).not.toBe(s);
  });

  it('builds the customer page URL and the widget tag', () => {
    expect(customerPageUrl('https://cc.example.com/', 'demo', 'web')).toBe('https://cc.example.com/chat/demo/web');
    // Before a name is typed, the help shows a readable placeholder, not /chat/demo/%E2%80%A6.
    expect(customerPagePreview('https://cc.example.com', 'demo', '')).toBe('https://cc.example.com/chat/demo/…');
    expect(customerPagePreview('https://cc.example.com', 'demo', 'web')).toBe('https://cc.example.com/chat/demo/web');
    expect(embedSnippet('https://cc.example.com', 'demo', 'shop-1')).toBe(
      '<script src="https://cc.example.com/widget.js" data-tenant="demo" data-entry="shop-1" async></script>',
    );
    expect(embedSnippet('https://x', 'a"b', 'c')).toContain('data-tenant="a&quot;b"');
    expect(signedEmbedSnippet('https://x', 'demo', 'web')).toBe(
      '<script src="https://x/widget.js" data-tenant="demo" data-entry="web" data-identity="{identity}" data-ts="{ts}" data-sig="{sig}" async></script>',
    );
  });
});
