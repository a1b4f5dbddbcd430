import { describe, expect, it } from 'vitest';
import { contentDisposition, looksLikeMarkup, matchType, sanitizeFileName, typesForName, withExtension } from './file-policy.js';

describe('sanitizeFileName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\Desktop\\plan.pdf', 'plan.pdf'],
    ['invoice\u202Egpj.exe', 'invoicegpj.exe'],
    ['zero\u200Bwidth\uFEFF.txt', 'zerowidth.txt'],
    ['bell\u0007\u0000 and\ttab.csv', 'bell and tab.csv'],
    ['  ..hidden.txt.. ', 'hidden.txt'],
    ['', 'file'],
    ['\u202E', 'file'],
    ['Café menu.pdf', 'Café menu.pdf'],
  ])('%j → %j', (raw, clean) => {
    expect(sanitizeFileName(raw)).toBe(clean);
  });

  it('caps the length at 200 characters and keeps the extension', () => {
    const name = sanitizeFileName(`${'ä'.repeat(300)}.docx`);
    expect([...name]).toHaveLength(200);
    expect(name.endsWith('ä.docx')).toBe(true);
  });

  it('composes decomposed characters (NFC) so the same name looks and compares the same', () => {
    expect(sanitizeFileName('Cafe\u0301.pdf')).toBe('Café.pdf');
  });
});

describe('types', () => {
  it('matches sniffed bytes to the extension, never across families', () => {
    expect(matchType(typesForName('a.JPG'), 'image/jpeg')?.mime).toBe('image/jpeg');
    expect(matchType(typesForName('a.jpg'), 'image/png')).toBeUndefined();
    expect(matchType(typesForName('a.png'), undefined)).toBeUndefined();
    expect(matchType(typesForName('a.txt'), undefined)?.mime).toBe('text/plain');
    expect(matchType(typesForName('a.txt'), 'application/x-msdownload')).toBeUndefined();
    expect(matchType(typesForName('old.doc'), 'application/x-cfb')?.mime).toBe('application/msword');
    expect(matchType(typesForName('photo.heic'), 'image/heic')?.mime).toBe('image/heic');
    for (const refused of ['a.svg', 'a.html', 'a.xml', 'a.js', 'a.exe', 'a.zip', 'noextension']) expect(typesForName(refused)).toEqual([]);
  });

  it('spots markup however the text file is named', () => {
    expect(looksLikeMarkup(Buffer.from('\uFEFF  <!doctype html><p>'))).toBe(true);
    expect(looksLikeMarkup(Buffer.from('<svg onload=alert(1)>'))).toBe(true);
    expect(looksLikeMarkup(Buffer.from('<?xml version="1.0"?>'))).toBe(true);
    expect(looksLikeMarkup(Buffer.from('a,b\n<1,2>\n'))).toBe(false);
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name (RFC 6266 / RFC 8187)', () => {
    expect(contentDisposition('attachment', 'Rapport d’été "final" 100%.pdf')).toBe(
      `attachment; filename="Rapport d__t_ _final_ 100_.pdf"; filename*=UTF-8''Rapport%20d%E2%80%99%C3%A9t%C3%A9%20%22final%22%20100%25.pdf`,
    );
    expect(contentDisposition('inline', "it's (1).png")).toBe(`inline; filename="it's (1).png"; filename*=UTF-8''it%27s%20%281%29.png`);
  });

  it('renames the extension', () => {
    expect(withExtension('IMG_0001.HEIC', 'jpg')).toBe('IMG_0001.jpg');
    expect(withExtension('scan', 'jpg')).toBe('scan.jpg');
  });
});
