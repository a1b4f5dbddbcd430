import { fileTypeFromBuffer } from 'file-type';
import { Script } from 'node:vm';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  BOTTOM_COLOUR,
  GPS_FIXTURE,
  HEIC_SAMPLE,
  PIXEL_BOMB_SIZE,
  POLYGLOT_SCRIPT,
  TOP_COLOUR,
  animatedGif,
  animationBombGif,
  gifOf,
  hasGpsOrExif,
  heicClaimingSize,
  heicSample,
  htmlRenamedPng,
  jpegOf,
  jpegWithGps,
  jpegWithLargeAppSegments,
  pixelBombPng,
  pngOf,
  polyglotGifJs,
  svgWithScript,
  webpOf,
  windowsExecutable,
} from '../../../test/helpers/image-fixtures.js';
import { ImageRejectedError, probeImage, processImage, processProfilePhoto } from './image-processing.js';

type Colour = { r: number; g: number; b: number };

async function pixelAt(image: Buffer, x: number, y: number): Promise<Colour> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return { r: data[offset] ?? -1, g: data[offset + 1] ?? -1, b: data[offset + 2] ?? -1 };
}

function expectColour(actual: Colour, expected: Colour, tolerance = 16): void {
  for (const channel of ['r', 'g', 'b'] as const) {
    expect(Math.abs(actual[channel] - expected[channel]), `${channel} of ${JSON.stringify(actual)}`).toBeLessThanOrEqual(tolerance);
  }
}

async function rejectionOf(promise: Promise<unknown>): Promise<ImageRejectedError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ImageRejectedError);
  return error as ImageRejectedError;
}

/** Bytes that must not survive re-encoding of the GPS photo. */
const PRIVATE_STRINGS = [GPS_FIXTURE.make, GPS_FIXTURE.model, 'Jane Photographer', 'Rue Secr', 'Exif\0\0', 'http://ns.adobe.com/xap'];

describe('image fixtures', () => {
  it('builds a phone photo with orientation 6, EXIF GPS, XMP and IPTC', async () => {
    const photo = await jpegWithGps();
    const metadata = await sharp(photo).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 1200, height: 800, orientation: 6 });
    expect(metadata.exif?.includes(Buffer.from([0x88, 0x25]))).toBe(true); // GPS IFD pointer tag
    expect(metadata.xmp).toBeDefined();
    expect(metadata.iptc).toBeDefined();
    expect(await hasGpsOrExif(photo)).toBe(true);
    expect(await hasGpsOrExif(await jpegOf(10, 10))).toBe(false);
  });

  it('builds a pixel bomb of a few dozen KB', () => {
    expect(pixelBombPng().length).toBeLessThan(200_000);
  });

  it('builds hostile files that file-type sniffs as their disguise', async () => {
    for (const decodable of [true, false]) {
      const polyglot = polyglotGifJs({ decodable });
      expect((await fileTypeFromBuffer(polyglot))?.mime).toBe('image/gif');
      expect(() => new Script(polyglot.toString('latin1'))).not.toThrow();
    }
    expect((await fileTypeFromBuffer(windowsExecutable()))?.mime).toBe('application/x-msdownload');
    expect((await fileTypeFromBuffer(svgWithScript()))?.mime).not.toMatch(/^image\//);
    expect(await fileTypeFromBuffer(htmlRenamedPng())).toBeUndefined();
    expect((await fileTypeFromBuffer(await heicSample()))?.mime).toBe('image/heic');
  });
});

describe('probeImage', () => {
  it('reads the dimensions of ordinary images, as displayed', async () => {
    expect(await probeImage(await pngOf(300, 200), 'image/png', true)).toEqual({
      kind: 'ok',
      probe: { width: 300, height: 200, pages: 1 },
    });
    expect(await probeImage(await webpOf(30, 20), 'image/webp', true)).toEqual({ kind: 'ok', probe: { width: 30, height: 20, pages: 1 } });
    expect(await probeImage(await jpegWithGps(), 'image/jpeg', true)).toEqual({
      kind: 'ok',
      probe: { width: 800, height: 1200, pages: 1 },
    });
    expect(await probeImage(await animatedGif(120, 80, 3), 'image/gif', true)).toEqual({
      kind: 'ok',
      probe: { width: 120, height: 80, pages: 3 },
    });
  });

  it('calls a pixel bomb too_large from its header, whole or cut', async () => {
    const bomb = pixelBombPng();
    const probe = { width: PIXEL_BOMB_SIZE, height: PIXEL_BOMB_SIZE, pages: 1 };
    expect(await probeImage(bomb, 'image/png', true)).toEqual({ kind: 'too_large', probe });
    expect(await probeImage(bomb.subarray(0, 1024), 'image/png', false)).toEqual({ kind: 'too_large', probe });
  });

  it('counts animation frames against the pixel limit', async () => {
    // Eleven 1×1 frames on a 2000×2000 screen: each decodes to 4 MP, 44 MP in all.
    const bomb = await animationBombGif(11);
    expect(bomb.length).toBeLessThan(1000);
    expect(await probeImage(bomb, 'image/gif', true)).toEqual({ kind: 'too_large', probe: { width: 2000, height: 2000, pages: 11 } });
    expect((await rejectionOf(processImage(bomb, 'image/gif'))).reason).toBe('too_large');
    // Nine frames (36 MP) are within the limit.
    expect(await probeImage(await animationBombGif(9), 'image/gif', true)).toMatchObject({ kind: 'ok' });
  });

  it('defers a cut head whose frame header lies behind a large APP segment, and reads the whole file', async () => {
    const jpeg = await jpegWithLargeAppSegments(1_500_000);
    expect(await probeImage(jpeg.subarray(0, 1024 * 1024), 'image/jpeg', false)).toEqual({ kind: 'unknown' });
    expect(await probeImage(jpeg, 'image/jpeg', true)).toEqual({ kind: 'ok', probe: { width: 2000, height: 1500, pages: 1 } });
  });

  it('calls complete files that are not the sniffed image invalid', async () => {
    expect(await probeImage(htmlRenamedPng(), 'image/png', true)).toEqual({ kind: 'invalid' });
    expect(await probeImage(polyglotGifJs({ decodable: false }), 'image/gif', true)).toEqual({ kind: 'invalid' });
    expect(await probeImage(await pngOf(10, 10), 'image/jpeg', true)).toEqual({ kind: 'invalid' });
  });

  it('reads HEIC dimensions from the container without decoding', async () => {
    const heic = await heicSample();
    const probe = { width: HEIC_SAMPLE.width, height: HEIC_SAMPLE.height, pages: 1 };
    expect(await probeImage(heic, 'image/heic', true)).toEqual({ kind: 'ok', probe });
    // The meta box ends before byte 400; the head may stop inside mdat.
    expect(await probeImage(heic.subarray(0, 400), 'image/heic', false)).toEqual({ kind: 'ok', probe });
    expect(await probeImage(heic.subarray(0, 100), 'image/heic', false)).toEqual({ kind: 'unknown' });
    expect(await probeImage(heic.subarray(0, 100), 'image/heic', true)).toEqual({ kind: 'invalid' });
    expect(await probeImage(await heicClaimingSize(10_000, 10_000), 'image/heif', false)).toEqual({
      kind: 'too_large',
      probe: { width: 10_000, height: 10_000, pages: 1 },
    });
  });
});

describe('processImage', () => {
  it('strips EXIF, GPS, XMP, IPTC and comments from a phone photo and applies its orientation', async () => {
    const { original, display, thumb } = await processImage(await jpegWithGps(), 'image/jpeg');

    expect(original).toMatchObject({ type: 'image/jpeg', width: 800, height: 1200 });
    expect(display).toMatchObject({ type: 'image/webp', width: 800, height: 1200 });
    expect(thumb).toMatchObject({ type: 'image/webp', width: 267, height: 400 });
    for (const image of [original, display, thumb]) {
      expect(await hasGpsOrExif(image.data)).toBe(false);
      const metadata = await sharp(image.data).metadata();
      expect(metadata.orientation).toBeUndefined();
      expect({ width: metadata.width, height: metadata.height }).toEqual({ width: image.width, height: image.height });
      for (const text of PRIVATE_STRINGS) expect(image.data.includes(text), text).toBe(false);
    }
    expect((await sharp(original.data).metadata()).format).toBe('jpeg');
    // Stored red over blue; orientation 6 turns it a quarter clockwise: blue left, red right.
    expectColour(await pixelAt(original.data, 100, 600), BOTTOM_COLOUR);
    expectColour(await pixelAt(original.data, 700, 600), TOP_COLOUR);
  });

  it('limits display to 1600 px and thumb to 400×400, never enlarging', async () => {
    const large = await processImage(await jpegOf(3000, 2000), 'image/jpeg');
    expect([large.original.width, large.original.height]).toEqual([3000, 2000]);
    expect([large.display.width, large.display.height]).toEqual([1600, 1067]);
    expect([large.thumb.width, large.thumb.height]).toEqual([400, 267]);

    const small = await processImage(await pngOf(100, 60), 'image/png');
    for (const image of [small.original, small.display, small.thumb]) expect([image.width, image.height]).toEqual([100, 60]);
  });

  it('keeps PNG with alpha as PNG, WebP as WebP and GIF as GIF', async () => {
    const png = await processImage(await pngOf(200, 100, { alpha: true }), 'image/png');
    expect(png.original.type).toBe('image/png');
    expect(await sharp(png.original.data).metadata()).toMatchObject({ format: 'png', hasAlpha: true });
    expect(await sharp(png.display.data).metadata()).toMatchObject({ format: 'webp', hasAlpha: true });

    const webp = await processImage(await webpOf(200, 100), 'image/webp');
    expect(webp.original.type).toBe('image/webp');
    expect((await sharp(webp.original.data).metadata()).format).toBe('webp');

    const gif = await processImage(await gifOf(200, 100), 'image/gif');
    expect(gif.original.type).toBe('image/gif');
    expect((await sharp(gif.original.data).metadata()).format).toBe('gif');
  });

  it('keeps an animated GIF animated in original and display, and takes the first frame for the thumb', async () => {
    const { original, display, thumb } = await processImage(await animatedGif(120, 80, 3), 'image/gif');
    expect(original).toMatchObject({ type: 'image/gif', width: 120, height: 80 });
    expect(await sharp(original.data).metadata()).toMatchObject({ format: 'gif', pages: 3, loop: 0, delay: [100, 100, 100] });
    expect(await sharp(display.data).metadata()).toMatchObject({ format: 'webp', pages: 3 });
    expect(display).toMatchObject({ width: 120, height: 80 });
    expect((await sharp(thumb.data).metadata()).pages ?? 1).toBe(1);
  });

  it('refuses a pixel bomb before decoding it', async () => {
    expect((await rejectionOf(processImage(pixelBombPng(), 'image/png'))).reason).toBe('too_large');
    expect((await rejectionOf(processProfilePhoto(pixelBombPng(), 'image/png'))).reason).toBe('too_large');
  });

  it('re-encodes a decodable GIF/JavaScript polyglot into an image without the script', async () => {
    const { original, display, thumb } = await processImage(polyglotGifJs(), 'image/gif');
    for (const image of [original, display, thumb]) {
      expect(image.data.includes(POLYGLOT_SCRIPT)).toBe(false);
      expect(image.data.includes('alert')).toBe(false);
      expect(image.data.subarray(0, 8).toString('latin1')).not.toBe('GIF89a/*');
    }
  });

  it('rejects files that are not the declared image as invalid', async () => {
    expect((await rejectionOf(processImage(polyglotGifJs({ decodable: false }), 'image/gif'))).reason).toBe('invalid');
    expect((await rejectionOf(processImage(htmlRenamedPng(), 'image/png'))).reason).toBe('invalid');
    expect((await rejectionOf(processImage(svgWithScript(), 'image/png'))).reason).toBe('invalid');
    expect((await rejectionOf(processImage(await pngOf(10, 10), 'image/jpeg'))).reason).toBe('invalid');
    expect((await rejectionOf(processImage(Buffer.from('not a heic at all'), 'image/heic'))).reason).toBe('invalid');
  });

  it('still accepts a JPEG cut short, as phones sometimes write them', async () => {
    const jpeg = await jpegOf(1200, 800);
    const { original } = await processImage(jpeg.subarray(0, Math.floor(jpeg.length * 0.7)), 'image/jpeg');
    expect(original).toMatchObject({ type: 'image/jpeg', width: 1200, height: 800 });
  });

  it('decodes HEIC into a JPEG original with the right size and colours', async () => {
    const { original, display, thumb } = await processImage(await heicSample(), 'image/heic');
    expect(original).toMatchObject({ type: 'image/jpeg', width: HEIC_SAMPLE.width, height: HEIC_SAMPLE.height });
    expect((await sharp(original.data).metadata()).format).toBe('jpeg');
    expectColour(await pixelAt(original.data, 20, 240), HEIC_SAMPLE.left);
    expectColour(await pixelAt(original.data, 620, 240), HEIC_SAMPLE.right);
    expect(display).toMatchObject({ type: 'image/webp', width: 640, height: 480 });
    expect(thumb).toMatchObject({ type: 'image/webp', width: 400, height: 300 });
  });

  it('refuses a HEIC whose container claims too many pixels, without decoding it', async () => {
    expect((await rejectionOf(processImage(await heicClaimingSize(8000, 6000), 'image/heic'))).reason).toBe('too_large');
  });
});

describe('processProfilePhoto', () => {
  it('crops a centred square of at most 512 px, as JPEG without metadata', async () => {
    const photo = await processProfilePhoto(await jpegWithGps(), 'image/jpeg');
    expect(photo).toMatchObject({ type: 'image/jpeg', width: 512, height: 512 });
    expect(await sharp(photo.data).metadata()).toMatchObject({ format: 'jpeg', width: 512, height: 512 });
    expect(await hasGpsOrExif(photo.data)).toBe(false);
    for (const text of PRIVATE_STRINGS) expect(photo.data.includes(text), text).toBe(false);
    // Oriented first (blue left, red right), then cropped from the middle.
    expectColour(await pixelAt(photo.data, 50, 256), BOTTOM_COLOUR);
    expectColour(await pixelAt(photo.data, 460, 256), TOP_COLOUR);
  });

  it('never enlarges: a 100×60 picture gives 60×60', async () => {
    expect(await processProfilePhoto(await pngOf(100, 60), 'image/png')).toMatchObject({ type: 'image/jpeg', width: 60, height: 60 });
  });

  it('flattens transparency on white', async () => {
    const photo = await processProfilePhoto(await pngOf(100, 100, { alpha: true }), 'image/png');
    expect((await sharp(photo.data).metadata()).hasAlpha).toBe(false);
    // Bottom half is blue at 50% opacity: over white it is light, over black it would be dark.
    expect((await pixelAt(photo.data, 50, 90)).r).toBeGreaterThan(110);
  });

  it('accepts HEIC and animated GIF (first frame)', async () => {
    expect(await processProfilePhoto(await heicSample(), 'image/heic')).toMatchObject({ type: 'image/jpeg', width: 480, height: 480 });
    expect(await processProfilePhoto(await animatedGif(120, 80, 3), 'image/gif')).toMatchObject({
      type: 'image/jpeg',
      width: 80,
      height: 80,
    });
  });
});
