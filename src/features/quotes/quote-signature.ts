import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { AppError } from '../../platform/errors.js';

/**
 * A drawn signature arrives as the data: URL signature_pad's `toDataURL()` makes. It is
 * untrusted input that ends up inside a PDF we sign off on, so only small raster images are
 * accepted, and what is kept is our own re-encoding (a PNG flattened on white), never the bytes
 * the browser sent.
 */

/** 512 KB of base64: a drawn signature is a few tens of KB; the check runs on the string, before decoding. */
const MAX_ENCODED_CHARS = 512 * 1024;
const MAX_WIDTH = 4000;
const MAX_HEIGHT = 2000;
/** The width the PDF needs at most (a signature box is ~200 pt wide; 600 px keeps it sharp when printed). */
const OUTPUT_MAX_WIDTH = 600;
const OUTPUT_MAX_HEIGHT = 300;
/** White space kept around the trimmed strokes, in output pixels. */
const MARGIN = 8;
/** A pixel counts as ink when, flattened on white, it is visibly darker than paper (0–255 grey). */
const INK_BELOW_GREY = 224;
/**
 * Fewer inked pixels than this is an empty canvas or a stray tap, not a signature: the shortest
 * stroke signature_pad draws (0.5–2.5 px wide) over a few millimetres already has more.
 */
const MIN_INK_PIXELS = 50;

const PREFIX = /^data:image\/(png|jpeg|webp);base64,/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const SHARP_FORMAT: Record<string, string> = { png: 'png', jpeg: 'jpeg', webp: 'webp' };

function refuse(reason: string, cause?: unknown): AppError {
  return new AppError('SIGNATURE_INVALID', `This signature could not be used: ${reason}`, { cause });
}

/**
 * Validates a drawn signature (a data: URL of a PNG/JPEG/WebP, ≤ 512 KB encoded, ≤ 4000×2000 px,
 * decodable, not blank) and re-encodes it with sharp to a small PNG (≤ 600 px wide, trimmed,
 * flattened on white, metadata dropped).
 * @throws SIGNATURE_INVALID (400) with a human message naming the problem
 */
export async function normaliseSignature(dataUrl: string): Promise<Buffer> {
  if (typeof dataUrl !== 'string') throw refuse('it was not sent as an image.');
  // Before any regular expression or decoding: a 50 MB payload costs nothing more than this check.
  const prefix = PREFIX.exec(dataUrl.slice(0, 64));
  if (!prefix?.[1]) {
    throw refuse('it must be a drawn image (PNG, JPEG or WebP). Draw it again, or type your full name instead.');
  }
  const encoded = dataUrl.slice(prefix[0].length);
  if (encoded.length > MAX_ENCODED_CHARS) throw refuse('the image is larger than 512 KB. Clear it and draw it again.');
  if (encoded.length === 0) throw refuse('the image is empty. Draw your signature, then try again.');
  if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) throw refuse('the image is not valid base64 data.');

  const type = prefix[1].toLowerCase();
  const bytes = Buffer.from(encoded, 'base64');
  const decodeOptions = { failOn: 'truncated', limitInputPixels: MAX_WIDTH * MAX_HEIGHT, sequentialRead: true } as const;

  let metadata: Metadata;
  try {
    // Reads the header only, so a 20 000 × 20 000 "bomb" is refused before it is decompressed.
    metadata = await sharp(bytes, { ...decodeOptions, limitInputPixels: false }).metadata();
  } catch (error) {
    throw refuse('the image could not be read. It may be damaged.', error);
  }
  if (metadata.format !== SHARP_FORMAT[type]) throw refuse(`the image is not a ${type.toUpperCase()} as it claims to be.`);
  const { width = 0, height = 0 } = metadata;
  if (width > MAX_WIDTH || height > MAX_HEIGHT) {
    throw refuse(`the image is ${width} × ${height} pixels; at most ${MAX_WIDTH} × ${MAX_HEIGHT} is accepted.`);
  }
  if (width === 0 || height === 0) throw refuse('the image is empty. Draw your signature, then try again.');

  // One decode, flattened on white: the ink count and the output both start from these pixels.
  let flat: { data: Buffer; info: OutputInfo };
  try {
    flat = await sharp(bytes, decodeOptions).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw refuse('the image could not be read. It may be damaged or cut short.', error);
  }
  if (countInk(flat.data, flat.info.channels) < MIN_INK_PIXELS) {
    throw refuse('the signature is empty. Draw your signature, then try again.');
  }

  const raw = { raw: { width: flat.info.width, height: flat.info.height, channels: flat.info.channels } };
  try {
    // sharp trims before it flattens, whatever the call order, hence a pass on the flattened pixels.
    const trimmed = await sharp(flat.data, raw)
      .trim({ background: '#ffffff', threshold: 255 - INK_BELOW_GREY })
      .png()
      .toBuffer();
    // sharp resizes before it extends, whatever the call order: the margin is taken off the box.
    return await sharp(trimmed)
      .resize({
        width: OUTPUT_MAX_WIDTH - 2 * MARGIN,
        height: OUTPUT_MAX_HEIGHT - 2 * MARGIN,
        fit: 'inside',
        withoutEnlargement: true,
      })
      .extend({ top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN, background: '#ffffff' })
      .png({ compressionLevel: 9 })
      .toBuffer();
  } catch (error) {
    throw refuse('the image could not be read. It may be damaged or cut short.', error);
  }
}

/** Pixels visibly darker than paper, by their luma (Rec. 601, as sharp's greyscale). */
function countInk(rgb: Buffer, channels: number): number {
  let ink = 0;
  for (let i = 0; i + 2 < rgb.length; i += channels) {
    const luma = 0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!;
    if (luma < INK_BELOW_GREY) ink += 1;
  }
  return ink;
}
