import { describe, expect, it } from 'vitest';
import { type BrandedEmailInput, renderBrandedEmail } from './email-layout.js';

const HOSTILE = `<script>alert(1)</script>"'><img src=x onerror=alert(2)>&amp;`;
const LINK = 'https://portal.example.com/portal/acme/auth/confirm#token=abc_DEF-123';

function input(overrides: Partial<BrandedEmailInput> = {}): BrandedEmailInput {
  return {
    brand: {
      name: 'Acme Plumbing',
      logoUrl: 'https://portal.example.com/portal/acme/logo',
      accentColor: '#0F766E',
      accentTextColor: '#fff',
    },
    preheader: 'Your sign-in link and code',
    heading: 'Sign in to Acme Plumbing',
    paragraphs: ['Hello Ann,', 'Use the button below to sign in.\nIt works for 7 days.'],
    button: { label: 'Sign in', url: LINK },
    code: { label: 'Or enter this code', value: 'K7P2-Q9XM' },
    footer: ['You received this because someone asked to sign in with this address.', 'Acme Plumbing, 1 Main Street'],
    ...overrides,
  };
}

describe('renderBrandedEmail', () => {
  it('renders a table layout of at most 560 px with the brand band, button, code and footer', () => {
    const { html } = renderBrandedEmail(input());
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('max-width:560px');
    expect(html).toContain('role="presentation"');
    expect(html).toContain('bgcolor="#0F766E"');
    expect(html).toContain('color:#fff');
    expect(html).toContain('<img src="https://portal.example.com/portal/acme/logo" alt="Acme Plumbing"');
    expect(html).toContain(`<a href="${LINK}"`);
    expect(html).toContain('>Sign in</a>');
    expect(html).toContain('K7P2-Q9XM');
    expect(html).toContain('Use the button below to sign in.<br>It works for 7 days.');
    expect(html).toContain('Acme Plumbing, 1 Main Street');
    expect(html).toContain('Your sign-in link and code');
  });

  it('leaves the logo out when there is none, and the button and code when not given', () => {
    const { html, text } = renderBrandedEmail(input({ brand: { ...input().brand, logoUrl: null }, button: undefined, code: undefined }));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<a ');
    expect(html).not.toContain('K7P2');
    expect(text).not.toContain('Sign in:');
  });

  it('escapes every piece of text, including a hostile organisation name', () => {
    const { html } = renderBrandedEmail(
      input({
        brand: { ...input().brand, name: HOSTILE },
        preheader: HOSTILE,
        heading: HOSTILE,
        paragraphs: [HOSTILE],
        button: { label: HOSTILE, url: LINK },
        code: { label: HOSTILE, value: HOSTILE },
        footer: [HOSTILE],
      }),
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toMatch(/"'>/);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;&#34;&#39;&#62;&#60;img src=x onerror=alert(2)&#62;&#38;amp;');
    // Escaped in the logo's alt attribute too: the attribute cannot be closed early.
    expect(html).toContain('alt="&#60;script&#62;');
  });

  it('escapes URLs in attributes and refuses anything but http(s)', () => {
    const { html } = renderBrandedEmail(input({ button: { label: 'Go', url: 'https://example.com/a?b=1&c="2"' } }));
    expect(html).toContain('href="https://example.com/a?b=1&#38;c=%222%22"');
    for (const url of [
      'javascript:alert(1)',
      'data:text/html,<script>',
      'vbscript:x',
      'file:///etc/passwd',
      'not a url',
      '//example.com/x',
    ]) {
      expect(() => renderBrandedEmail(input({ button: { label: 'Go', url } }))).toThrow(RangeError);
      expect(() => renderBrandedEmail(input({ brand: { ...input().brand, logoUrl: url } }))).toThrow(RangeError);
    }
  });

  it('refuses a colour that could smuggle CSS into a style attribute', () => {
    for (const color of ['red;background:url(https://evil.example/x)', 'red', '#12345', '#0F766E"', 'expression(alert(1))']) {
      expect(() => renderBrandedEmail(input({ brand: { ...input().brand, accentColor: color } }))).toThrow(RangeError);
      expect(() => renderBrandedEmail(input({ brand: { ...input().brand, accentTextColor: color } }))).toThrow(RangeError);
    }
  });

  it('has a plain-text part with the same content: the URL after the label, the code on its own line', () => {
    const { text } = renderBrandedEmail(input());
    expect(text).toContain('Acme Plumbing');
    expect(text).toContain('Sign in to Acme Plumbing');
    expect(text).toContain('Hello Ann,');
    expect(text).toContain('Use the button below to sign in.\nIt works for 7 days.');
    expect(text).toContain(`Sign in: ${LINK}`);
    expect(text).toMatch(/^K7P2-Q9XM$/m);
    expect(text).toContain('Or enter this code');
    expect(text).toContain('Acme Plumbing, 1 Main Street');
    expect(text).not.toMatch(/<[a-z]/i);
  });

  it('never names the product', () => {
    const { html, text } = renderBrandedEmail(input());
    expect(html.toLowerCase()).not.toContain('servelo');
    expect(text.toLowerCase()).not.toContain('servelo');
  });
});
