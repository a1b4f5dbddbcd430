import { describe, expect, it } from 'vitest';
import { isSingleAddress, MAX_DISPLAY_NAME_LENGTH, MAX_SUBJECT_LENGTH, sanitizeHeaderText } from './mail-sanitize.js';
import { InvalidMailError, prepareMail } from './prepare-mail.js';

describe('sanitizeHeaderText', () => {
  it.each([
    ['Acme\r\nBcc: x@evil.com', 'Acme Bcc: x@evil.com'],
    ['Acme\nBcc: x@evil.com', 'Acme Bcc: x@evil.com'],
    ['Acme\rBcc: x@evil.com', 'Acme Bcc: x@evil.com'],
    ['Acme\u2028Bcc: x@evil.com\u2029X-Other: 1', 'Acme Bcc: x@evil.com X-Other: 1'],
    ['Acme\u0085Next line', 'Acme Next line'],
    ['Ac\u0000me\u0007 \u001b[31mred', 'Ac me [31mred'],
    ['Tab\tand\u000bvertical\u000cfeed', 'Tab and vertical feed'],
    ['  many    spaces\u00a0\u3000here  ', 'many spaces here'],
    ['Invoice \u202Egpj.exe', 'Invoice gpj.exe'],
    ['\u2066isolate\u2069 and \u200Fmark\u061C', 'isolate and mark'],
    ['zero\u200Bwidth\uFEFF', 'zerowidth'],
    ['lone \uD800 surrogate', 'lone surrogate'],
    ['Cafe\u0301', 'Café'],
  ])('cleans %j', (input, expected) => {
    expect(sanitizeHeaderText(input)).toBe(expected);
  });

  it('leaves no character that could end a header line', () => {
    const hostile = 'a\r\n\u0000\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029b';
    expect(sanitizeHeaderText(hostile)).toBe('a b');
  });

  it('caps the length in characters without splitting an emoji, and trims after cutting', () => {
    expect(sanitizeHeaderText('x'.repeat(500), MAX_DISPLAY_NAME_LENGTH)).toHaveLength(200);
    expect(sanitizeHeaderText('y'.repeat(500), MAX_SUBJECT_LENGTH)).toHaveLength(250);
    expect(sanitizeHeaderText('😀'.repeat(10), 3)).toBe('😀😀😀');
    expect(sanitizeHeaderText('abc def', 4)).toBe('abc');
  });

  it('turns an empty or blank value into an empty string', () => {
    expect(sanitizeHeaderText('')).toBe('');
    expect(sanitizeHeaderText(' \r\n\t\u200B ')).toBe('');
  });
});

describe('isSingleAddress', () => {
  it.each(['ann@example.com', 'Ann.Lee+tickets@Example.COM', "o'brien@example.co.uk", 'x@sub.example.org'])('accepts %j', (value) => {
    expect(isSingleAddress(value)).toBe(true);
  });

  it.each([
    '',
    'ann',
    'ann@',
    '@example.com',
    'ann@example',
    'a@b@example.com',
    'ann@example.com, eve@evil.com',
    'ann@example.com;eve@evil.com',
    'Ann <ann@example.com>',
    '<ann@example.com>',
    '"ann"@example.com',
    'ann lee@example.com',
    ' ann@example.com',
    'ann@example.com\r\nBcc: eve@evil.com',
    'ann@example.com\n',
    'ann@example.com\u2028',
    'ann(comment)@example.com',
    'ann@[127.0.0.1]',
    'ann\u0000@example.com',
    'ann\u202E@example.com',
    'ann\u200B@example.com',
    'ann＠example.com',
    'ann﹫example.com',
    `${'a'.repeat(250)}@example.com`,
  ])('rejects %j', (value) => {
    expect(isSingleAddress(value)).toBe(false);
  });
});

describe('prepareMail', () => {
  const base = {
    from: { name: 'Acme\r\nBcc: x@evil.com', address: 'no-reply@example.com' },
    to: 'ann@example.com',
    subject: 'Hello\r\nBcc: y@evil.com',
    text: 'Hi\r\nthere',
    html: '<p>Hi</p>',
  };

  it('sanitises the display name and subject, keeps the bodies, and adds Auto-Submitted', () => {
    const prepared = prepareMail({ ...base, headers: { 'X-Ticket': 'T-1\r\nBcc: z@evil.com' } });
    expect(prepared).toEqual({
      from: { name: 'Acme Bcc: x@evil.com', address: 'no-reply@example.com' },
      to: 'ann@example.com',
      replyTo: null,
      // Bounces go to the From address unless the mail names another envelope sender.
      returnPath: 'no-reply@example.com',
      subject: 'Hello Bcc: y@evil.com',
      text: 'Hi\r\nthere',
      html: '<p>Hi</p>',
      headers: { 'X-Ticket': 'T-1 Bcc: z@evil.com', 'Auto-Submitted': 'auto-generated' },
      attachments: [],
    });
  });

  it("keeps a caller's own Auto-Submitted, whatever its case", () => {
    expect(prepareMail({ ...base, headers: { 'auto-submitted': 'auto-replied' } }).headers).toEqual({ 'auto-submitted': 'auto-replied' });
  });

  it.each([
    [{ to: 'ann@example.com, eve@evil.com' }, /to must be exactly one/],
    [{ to: 'Ann <ann@example.com>' }, /to must be exactly one/],
    [{ replyTo: 'a@example.com\r\nBcc: e@evil.com' }, /replyTo/],
    [{ returnPath: 'a@example.com\r\nBcc: e@evil.com' }, /returnPath/],
    [{ from: { address: 'x@example.com>' } }, /from/],
    [{ subject: '\r\n' }, /subject is empty/],
    [{ headers: { 'Bad Name': 'x' } }, /not a plain token/],
    [{ headers: { 'X-A\r\nBcc': 'x' } }, /not a plain token/],
    [{ headers: { Bcc: 'eve@evil.com' } }, /own field/],
    [{ headers: { 'CONTENT-TYPE': 'text/html' } }, /own field/],
    [{ headers: { 'X-A': '1', 'x-a': '2' } }, /twice/],
  ])('refuses %j', (override, message) => {
    expect(() => prepareMail({ ...base, ...override })).toThrow(InvalidMailError);
    expect(() => prepareMail({ ...base, ...override })).toThrow(message);
  });
});
