import decodeHeic from 'heic-decode';
import sharp, { type FormatEnum, type Metadata, type Sharp, type SharpOptions } from 'sharp';

/**
 * Image handling for attachments and profile photos: a cheap header probe at upload time, and the
 * re-encoding the worker does before anything is served. Re-encoding is the security boundary:
 * only pixels survive it (no EXIF/GPS, XMP, IPTC, comments, ICC; no bytes of a polyglot).
 * Pure functions: no database, no storage, no global sharp settings.
 */

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif' | 'image/heic' | 'image/heif';
export type EncodedImageType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif';

/** SECURITY.md: ~40 MP, counted as width × height × pages for animations. */
export const MAX_INPUT_PIXELS = 40_000_000;
export const DISPLAY_MAX_EDGE = 1600;
export const THUMB_MAX_EDGE = 400;
export const PROFILE_PHOTO_SIZE = 512;
export const LOGO_MAX_EDGE = 512;

const JPEG_QUALITY = 88;
const DISPLAY_WEBP_QUALITY = 82;
const THUMB_WEBP_QUALITY = 75;
const WHITE = { r: 255, g: 255, b: 255 };

export interface ImageProbe {
  width: number;
  height: number;
  pages: number;
}

export type ProbeResult =
  { kind: 'ok'; probe: ImageProbe } | { kind: 'too_large'; probe: ImageProbe } | { kind: 'invalid' } | { kind: 'unknown' };

export interface EncodedImage {
  data: Buffer;
  type: EncodedImageType;
  width: number;
  height: number;
}

export interface ProcessedImage {
  original: EncodedImage;
  display: EncodedImage;
  thumb: EncodedImage;
}

export type ImageRejectionReason = 'too_large' | 'invalid';

export class ImageRejectedError extends Error {
  override readonly name = 'ImageRejectedError';

  constructor(
    readonly reason: ImageRejectionReason,
    options?: { cause?: unknown },
  ) {
    super(reason === 'too_large' ? `image exceeds ${MAX_INPUT_PIXELS} pixels` : 'image cannot be decoded', options);
  }
}

type SharpDecodedType = Exclude<ImageType, 'image/heic' | 'image/heif'>;
const SHARP_FORMAT: Record<SharpDecodedType, keyof FormatEnum> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

function isHeif(type: ImageType): type is 'image/heic' | 'image/heif' {
  return type === 'image/heic' || type === 'image/heif';
}

/**
 * Upload-time header check on the first bytes of an upload. Reads headers only, never pixels, so a
 * 20000×20000 PNG bomb costs what its header costs. For an incomplete GIF head the page count is
 * what the head holds; the worker counts again on the whole file.
 */
export async function probeImage(head: Buffer, type: ImageType, complete: boolean): Promise<ProbeResult> {
  if (isHeif(type)) {
    const container = readHeifContainer(head);
    if (!container) return complete ? { kind: 'invalid' } : { kind: 'unknown' };
    const probe = { width: container.width, height: container.height, pages: 1 };
    return container.largestPixels > MAX_INPUT_PIXELS ? { kind: 'too_large', probe } : { kind: 'ok', probe };
  }
  let metadata: Metadata;
  try {
    // No pixel limit here: it would make the bomb throw, and we want to say how large it is.
    metadata = await sharp(head, { limitInputPixels: false, failOn: 'none' }).metadata();
  } catch {
    // A head cut inside a long APP segment has no frame header yet: that is the worker's call.
    return complete ? { kind: 'invalid' } : { kind: 'unknown' };
  }
  if (metadata.format !== SHARP_FORMAT[type]) return { kind: 'invalid' };
  const probe = { width: metadata.autoOrient.width, height: metadata.autoOrient.height, pages: metadata.pages ?? 1 };
  return probe.width * probe.height * probe.pages > MAX_INPUT_PIXELS ? { kind: 'too_large', probe } : { kind: 'ok', probe };
}

/**
 * Re-encodes an uploaded image into original (same format; HEIC/HEIF become JPEG), display
 * (WebP, long edge ≤ 1600) and thumb (WebP, inside 400×400), EXIF orientation applied, all
 * metadata stripped, never enlarged. Animated GIF/WebP stay animated in original and display; the
 * thumb is the first frame (lists should not flicker, and it is the cheap one).
 * Throws ImageRejectedError 'too_large' | 'invalid'.
 */
export async function processImage(input: Buffer, type: ImageType): Promise<ProcessedImage> {
  if (isHeif(type)) {
    const raw = await decodeHeif(input);
    const source = (): Sharp => sharp(raw.data, { raw: raw.info, limitInputPixels: MAX_INPUT_PIXELS });
    return encodeAll(
      source().flatten({ background: WHITE }).jpeg({ quality: JPEG_QUALITY, mozjpeg: true }),
      'image/jpeg',
      source(),
      source(),
    );
  }
  const metadata = await readCheckedMetadata(input, type, true);
  const animated = (metadata.pages ?? 1) > 1;
  const source = (frames: 'all' | 'first'): Sharp =>
    sharp(input, { ...decodeOptions(type), animated: animated && frames === 'all' }).rotate();
  return encodeAll(encodeOriginal(source('all'), type), type, source('all'), source('first'));
}

/**
 * Profile photo: centred square crop of the largest square that fits (≤ 512, never enlarged),
 * JPEG on white, metadata stripped; an animated input gives its first frame.
 * Throws ImageRejectedError 'too_large' | 'invalid'.
 */
export async function processProfilePhoto(input: Buffer, type: ImageType): Promise<EncodedImage> {
  let pipeline: Sharp;
  let width: number;
  let height: number;
  if (isHeif(type)) {
    const raw = await decodeHeif(input);
    pipeline = sharp(raw.data, { raw: raw.info, limitInputPixels: MAX_INPUT_PIXELS });
    ({ width, height } = raw.info);
  } else {
    const metadata = await readCheckedMetadata(input, type, false);
    pipeline = sharp(input, decodeOptions(type)).rotate();
    ({ width, height } = metadata.autoOrient);
  }
  // `cover` with withoutEnlargement would leave a small photo uncropped; a side ≤ both edges crops and never enlarges.
  const side = Math.min(width, height, PROFILE_PHOTO_SIZE);
  return encode(
    pipeline
      .resize(side, side, { fit: 'cover', position: 'centre' })
      .flatten({ background: WHITE })
      .jpeg({ quality: JPEG_QUALITY, mozjpeg: true }),
    'image/jpeg',
  );
}

/**
 * Organisation logo: inside 512×512 (never enlarged, aspect kept), PNG with its transparency,
 * metadata stripped; an animated input gives its first frame.
 * Throws ImageRejectedError 'too_large' | 'invalid'.
 */
export async function processLogo(input: Buffer, type: ImageType): Promise<EncodedImage> {
  let pipeline: Sharp;
  if (isHeif(type)) {
    const raw = await decodeHeif(input);
    pipeline = sharp(raw.data, { raw: raw.info, limitInputPixels: MAX_INPUT_PIXELS });
  } else {
    await readCheckedMetadata(input, type, false);
    pipeline = sharp(input, decodeOptions(type)).rotate();
  }
  return encode(
    pipeline.resize(LOGO_MAX_EDGE, LOGO_MAX_EDGE, { fit: 'inside', withoutEnlargement: true }).png({ compressionLevel: 9 }),
    'image/png',
  );
}

// ---------------------------------------------------------------------------------------------

function decodeOptions(type: SharpDecodedType): SharpOptions {
  return {
    limitInputPixels: MAX_INPUT_PIXELS,
    // libvips ranks truncation below 'error', so 'error' would refuse the JPEGs phones write
    // without their last bytes (even a missing EOI). A JPEG decodes what it has, grey below;
    // the other formats fail on real decode errors but not on mere warnings.
    failOn: type === 'image/jpeg' ? 'none' : 'error',
    sequentialRead: true,
  };
}

/** Header read before decoding: the declared type must match, and the pixel count is ours to judge. */
async function readCheckedMetadata(input: Buffer, type: SharpDecodedType, countPages: boolean): Promise<Metadata> {
  let metadata: Metadata;
  try {
    metadata = await sharp(input, { limitInputPixels: false, failOn: 'none' }).metadata();
  } catch (error) {
    throw new ImageRejectedError('invalid', { cause: error });
  }
  if (metadata.format !== SHARP_FORMAT[type]) throw new ImageRejectedError('invalid');
  const pages = countPages ? (metadata.pages ?? 1) : 1;
  if (metadata.width * metadata.height * pages > MAX_INPUT_PIXELS) throw new ImageRejectedError('too_large');
  return metadata;
}

function encodeOriginal(pipeline: Sharp, type: SharpDecodedType): Sharp {
  switch (type) {
    case 'image/jpeg':
      return pipeline.jpeg({ quality: JPEG_QUALITY, mozjpeg: true });
    case 'image/png':
      return pipeline.png();
    case 'image/webp':
      return pipeline.webp({ quality: JPEG_QUALITY });
    case 'image/gif':
      return pipeline.gif();
  }
}

/** Run one after the other: three decodes of the input cost less peak memory than one held raw image. */
async function encodeAll(original: Sharp, originalType: EncodedImageType, display: Sharp, thumb: Sharp): Promise<ProcessedImage> {
  return {
    original: await encode(original, originalType),
    display: await encode(
      display
        .resize(DISPLAY_MAX_EDGE, DISPLAY_MAX_EDGE, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: DISPLAY_WEBP_QUALITY }),
      'image/webp',
    ),
    thumb: await encode(
      thumb.resize(THUMB_MAX_EDGE, THUMB_MAX_EDGE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: THUMB_WEBP_QUALITY }),
      'image/webp',
    ),
  };
}

/** sharp writes no metadata unless asked (keepMetadata/withMetadata), so the output is pixels only. */
async function encode(pipeline: Sharp, type: EncodedImageType): Promise<EncodedImage> {
  try {
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    // Animated output is one tall strip of pages; callers want the size of a frame.
    return { data, type, width: info.width, height: info.pageHeight ?? info.height };
  } catch (error) {
    const tooLarge = error instanceof Error && error.message.includes('exceeds pixel limit');
    throw new ImageRejectedError(tooLarge ? 'too_large' : 'invalid', { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------
// HEIC/HEIF: sharp's libheif has no HEVC decoder, so heic-decode (libheif compiled to wasm) decodes.

interface RawImage {
  data: Buffer;
  info: { width: number; height: number; channels: 4 };
}

/** Sizes are checked twice before any pixel is decoded: in our container read and in libheif's. */
async function decodeHeif(input: Buffer): Promise<RawImage> {
  const container = readHeifContainer(input);
  if (!container) throw new ImageRejectedError('invalid');
  if (container.largestPixels > MAX_INPUT_PIXELS) throw new ImageRejectedError('too_large');
  let images: Awaited<ReturnType<typeof decodeHeic.all>>;
  try {
    images = await decodeHeic.all({ buffer: input });
  } catch (error) {
    throw new ImageRejectedError('invalid', { cause: error });
  }
  try {
    // The first top-level image, as heic-decode's own decode() picks it.
    const image = images[0];
    if (!image) throw new ImageRejectedError('invalid');
    if (image.width * image.height > MAX_INPUT_PIXELS) throw new ImageRejectedError('too_large');
    const decoded = await image.decode().catch((error: unknown) => {
      throw new ImageRejectedError('invalid', { cause: error });
    });
    const data = Buffer.from(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength);
    return { data, info: { width: decoded.width, height: decoded.height, channels: 4 } };
  } finally {
    images.dispose();
  }
}

interface HeifContainer {
  /** Primary image size as displayed (irot applied). */
  width: number;
  height: number;
  /** The largest image item of the file: the one a bomb would hide in. */
  largestPixels: number;
}

interface Box {
  type: string;
  /** Payload start and end (after the header). */
  start: number;
  end: number;
}

/**
 * The ISO-BMFF boxes in [start, end). A nested box running past its parent makes the read fail
 * (undefined); at the top level (`topLevel`) the read just stops there, as a head may end inside mdat.
 */
function readBoxes(buffer: Buffer, start: number, end: number, topLevel = false): Box[] | undefined {
  const boxes: Box[] = [];
  for (let at = start; at + 8 <= end;) {
    let size = buffer.readUInt32BE(at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) return topLevel ? boxes : undefined;
      size = Number(buffer.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) {
      size = end - at; // "to the end of the enclosing box"
    }
    if (size < header) return undefined;
    if (at + size > end) return topLevel ? boxes : undefined;
    boxes.push({ type: buffer.toString('latin1', at + 4, at + 8), start: at + header, end: at + size });
    at += size;
  }
  return boxes;
}

/**
 * Reads ftyp → meta → pitm / iprp (ipco ispe/irot, ipma) without decoding anything. Returns
 * undefined when the bytes do not hold a whole meta box with an image size (a cut head, or no HEIF).
 */
function readHeifContainer(buffer: Buffer): HeifContainer | undefined {
  try {
    const meta = readBoxes(buffer, 0, buffer.length, true)?.find((box) => box.type === 'meta');
    if (!meta) return undefined;
    const children = readBoxes(buffer, meta.start + 4, meta.end) ?? [];
    const pitm = children.find((box) => box.type === 'pitm');
    const primaryId = pitm && (buffer[pitm.start] === 0 ? buffer.readUInt16BE(pitm.start + 4) : buffer.readUInt32BE(pitm.start + 4));
    const iprp = children.find((box) => box.type === 'iprp');
    const iprpChildren = iprp ? (readBoxes(buffer, iprp.start, iprp.end) ?? []) : [];
    const ipco = iprpChildren.find((box) => box.type === 'ipco');
    const properties = ipco ? (readBoxes(buffer, ipco.start, ipco.end) ?? []) : [];
    const sizes = properties
      .filter((box) => box.type === 'ispe')
      .map((box) => [buffer.readUInt32BE(box.start + 4), buffer.readUInt32BE(box.start + 8)] as const);
    if (sizes.length === 0) return undefined;
    const largestPixels = Math.max(...sizes.map(([width, height]) => width * height));

    // Property indices (1-based into ipco) associated with the primary item.
    const associated: number[] = [];
    const ipma = iprpChildren.find((box) => box.type === 'ipma');
    if (ipma && primaryId !== undefined) {
      const version = buffer[ipma.start] ?? 0;
      const wideIndex = ((buffer[ipma.start + 3] ?? 0) & 1) === 1;
      let at = ipma.start + 8;
      const entries = buffer.readUInt32BE(ipma.start + 4);
      for (let entry = 0; entry < entries && at < ipma.end; entry += 1) {
        const itemId = version < 1 ? buffer.readUInt16BE(at) : buffer.readUInt32BE(at);
        at += version < 1 ? 2 : 4;
        const count = buffer.readUInt8(at);
        at += 1;
        for (let index = 0; index < count; index += 1) {
          const value = wideIndex ? buffer.readUInt16BE(at) & 0x7fff : buffer.readUInt8(at) & 0x7f;
          at += wideIndex ? 2 : 1;
          if (itemId === primaryId) associated.push(value);
        }
      }
    }
    const primaryProperties = associated.map((index) => properties[index - 1]).filter((box) => box !== undefined);
    const ispe = primaryProperties.find((box) => box.type === 'ispe');
    const irot = primaryProperties.find((box) => box.type === 'irot');
    // Without a readable association, judge by the largest image: never smaller than the truth.
    const [width, height] = ispe
      ? [buffer.readUInt32BE(ispe.start + 4), buffer.readUInt32BE(ispe.start + 8)]
      : sizes.reduce((a, b) => (b[0] * b[1] > a[0] * a[1] ? b : a));
    const quarterTurns = irot ? (buffer[irot.start] ?? 0) & 3 : 0;
    return quarterTurns % 2 === 1 ? { width: height, height: width, largestPixels } : { width, height, largestPixels };
  } catch (error) {
    // Buffer reads past the end throw RangeError: a cut or malformed box.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}
