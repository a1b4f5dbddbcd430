import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { normaliseSignature } from './quote-signature.js';

/** A hand-written signature: a few strokes of ink on a transparent canvas, as signature_pad draws one. */
const SIGNATURE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="300">
  <path d="M40 220 C 90 40, 150 40, 170 200 S 260 260, 300 120 C 320 60, 360 60, 380 180
           S 460 240, 520 110 C 560 40, 600 200, 660 150 S 760 90, 860 170"
        fill="none" stroke="#1e3a8a" stroke-width="6" stroke-linecap="round"/>
  <path d="M120 250 L 780 240" fill="none" stroke="#1e3a8a" stroke-width="3" stroke-linecap="round"/>
</svg>`;

async function drawnSignaturePng(): Promise<Buffer> {
  return sharp(Buffer.from(SIGNATURE_SVG))
    .png()
    .withMetadata({ exif: { IFD0: { Artist: 'Someone', ImageDescription: 'private note' } } })
    .toBuffer();
}

function dataUrl(mediaType: string, bytes: Buffer): string {
  return `data:${mediaType};base64,${bytes.toString('base64')}`;
}

/** The names of a PNG's chunks, in order (IHDR, …, IEND). */
function pngChunks(png: Buffer): string[] {
  const names: string[] = [];
  let offset = 8;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    names.push(png.toString('latin1', offset + 4, offset + 8));
    offset += 12 + length;
  }
  return names;
}

/** A PNG claiming `width` × `height` (8-bit greyscale) with only its first rows of zeros: the start of a bomb. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (name: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(name, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const firstRows = deflateSync(Buffer.alloc(4 * (width + 1)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', firstRows),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function refusal(input: string): Promise<AppError> {
  const error: unknown = await normaliseSignature(input).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code).toBe('SIGNATURE_INVALID');
  expect(appError.status).toBe(400);
  expect(appError.message).toMatch(/^This signature could not be used: \S/);
  return appError;
}

describe('normaliseSignature', () => {
  it('re-encodes a drawn PNG signature as a trimmed PNG at most 600 px wide, without metadata', async () => {
    const input = await drawnSignaturePng();
    expect((await sharp(input).metadata()).exif).toBeDefined();

    const output = await normaliseSignature(dataUrl('image/png', input));

    const meta = await sharp(output).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBeLessThanOrEqual(600);
    expect(meta.width).toBeGreaterThan(300);
    // Trimmed: the 900 × 300 canvas was mostly empty above and below the strokes.
    expect(meta.height).toBeLessThan(200);
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.hasAlpha).toBe(false);
    // Pixels only: no text, EXIF, ICC or XMP chunk (pHYs, the pixel density, says nothing about anyone).
    expect(pngChunks(output).filter((name) => !['IHDR', 'PLTE', 'IDAT', 'IEND', 'pHYs'].includes(name))).toEqual([]);
    // Flattened on white: the corners are white, and the ink is still there.
    const { data, info } = await sharp(output).raw().toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 3)]).toEqual([255, 255, 255]);
    let dark = 0;
    for (let i = 0; i < data.length; i += info.channels) if (data[i + 2]! > data[i]! + 40) dark += 1;
    expect(dark).toBeGreaterThan(500);
  });

  it('accepts the JPEG and WebP that signature_pad can also produce', async () => {
    const jpeg = await sharp(Buffer.from(SIGNATURE_SVG)).flatten({ background: '#ffffff' }).jpeg().toBuffer();
    const webp = await sharp(Buffer.from(SIGNATURE_SVG)).webp().toBuffer();
    for (const [type, bytes] of [
      ['image/jpeg', jpeg],
      ['image/webp', webp],
    ] as const) {
      const output = await normaliseSignature(dataUrl(type, bytes));
      expect((await sharp(output).metadata()).format).toBe('png');
    }
  });

  it('keeps a small signature small (never enlarges)', async () => {
    const small = await sharp(Buffer.from(SIGNATURE_SVG)).resize(240).png().toBuffer();
    const meta = await sharp(await normaliseSignature(dataUrl('image/png', small))).metadata();
    // Trimmed, then given an 8 px margin each side; not scaled up to 600.
    expect(meta.width).toBeLessThanOrEqual(240 + 16);
  });

  it('refuses SVG, HTML and other media types', async () => {
    const svg = await refusal(dataUrl('image/svg+xml', Buffer.from(SIGNATURE_SVG)));
    expect(svg.message).toContain('PNG, JPEG or WebP');
    await refusal(dataUrl('text/html', Buffer.from('<script>alert(1)</script>')));
    await refusal(dataUrl('image/gif', Buffer.from('GIF89a')));
    await refusal('https://example.com/signature.png');
    await refusal('');
  });

  it('refuses a data URL that is not base64', async () => {
    await refusal(`data:image/png,${encodeURIComponent('\x89PNG')}`);
    const bad = await refusal('data:image/png;base64,iVBOR w0K!!==');
    expect(bad.message).toContain('base64');
  });

  it('refuses more than 512 KB by its length, before decoding anything', async () => {
    // A real PNG padded to 50 MB.
    const png = await drawnSignaturePng();
    const huge = `data:image/png;base64,${png.toString('base64')}${'A'.repeat(50 * 1024 * 1024)}`;
    const error = await refusal(huge);
    expect(error.message).toContain('512 KB');

    // The length is checked first: 50 MB that is not even base64 is refused for its size, unread.
    const garbage = `data:image/png;base64,${'!'.repeat(50 * 1024 * 1024)}`;
    expect((await refusal(garbage)).message).toContain('512 KB');

    const justOver = `data:image/png;base64,${'A'.repeat(512 * 1024 + 4)}`;
    expect((await refusal(justOver)).message).toContain('512 KB');
  });

  it('refuses zero bytes', async () => {
    const error = await refusal('data:image/png;base64,');
    expect(error.message).toContain('empty');
  });

  it('refuses bytes that are not an image, or not the image type declared', async () => {
    await refusal(dataUrl('image/png', Buffer.from('this is plain text, not a picture')));
    const jpeg = await sharp(Buffer.from(SIGNATURE_SVG)).flatten({ background: '#ffffff' }).jpeg().toBuffer();
    const mismatch = await refusal(dataUrl('image/png', jpeg));
    expect(mismatch.message).toContain('not a PNG');
  });

  it('refuses a truncated image', async () => {
    const png = await drawnSignaturePng();
    await refusal(dataUrl('image/png', png.subarray(0, Math.floor(png.length / 2))));
    const jpeg = await sharp(Buffer.from(SIGNATURE_SVG)).flatten({ background: '#ffffff' }).jpeg().toBuffer();
    await refusal(dataUrl('image/jpeg', jpeg.subarray(0, Math.floor(jpeg.length * 0.6))));
  });

  it('refuses an image wider than 4000 or taller than 2000 pixels (even when tiny in bytes)', async () => {
    const wide = await sharp({ create: { width: 4001, height: 10, channels: 4, background: '#000000ff' } })
      .png()
      .toBuffer();
    expect((await refusal(dataUrl('image/png', wide))).message).toContain('4000 × 2000');
    const tall = await sharp({ create: { width: 10, height: 2001, channels: 4, background: '#000000ff' } })
      .png()
      .toBuffer();
    expect((await refusal(dataUrl('image/png', tall))).message).toContain('4000 × 2000');
    // A decompression bomb (20 000 × 20 000 pixels of zeros is a few KB of PNG) is refused from its header.
    const bomb = pngHeaderOnly(20000, 20000);
    expect((await refusal(dataUrl('image/png', bomb))).message).toContain('20000 × 20000');
  });

  it('refuses a blank canvas: fully transparent, plain white, or a speck', async () => {
    const transparent = await sharp({ create: { width: 600, height: 200, channels: 4, background: '#00000000' } })
      .png()
      .toBuffer();
    expect((await refusal(dataUrl('image/png', transparent))).message).toContain('empty');
    const white = await sharp({ create: { width: 600, height: 200, channels: 3, background: '#ffffff' } })
      .jpeg()
      .toBuffer();
    await refusal(dataUrl('image/jpeg', white));
    const speck = await sharp({ create: { width: 600, height: 200, channels: 4, background: '#00000000' } })
      .composite([{ input: { create: { width: 3, height: 3, channels: 4, background: '#000000ff' } }, top: 50, left: 50 }])
      .png()
      .toBuffer();
    await refusal(dataUrl('image/png', speck));
  });
});
