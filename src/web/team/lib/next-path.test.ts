import { describe, expect, it } from 'vitest';
import { safeNextPath } from './next-path.js';

describe('safeNextPath', () => {
  it.each([
    ['/tickets/42', '/tickets/42'],
    ['/tickets?status=open#top', '/tickets?status=open#top'],
    ['/settings/portal', '/settings/portal'],
  ])('keeps the app path %s', (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });

  it.each([
    null,
    '',
    'tickets',
    '//evil.test',
    '/\\evil.test',
    '/%5Cevil.test',
    '/%5cevil.test',
    '/%2F%2Fevil.test',
    '/\t/evil.test',
    '/\n/evil.test',
    'https://evil.test/',
    'javascript:alert(1)',
    `/${'a'.repeat(2001)}`,
  ])('sends %j to the inbox instead', (next) => {
    expect(safeNextPath(next)).toBe('/');
  });
});
