import { readFile } from 'node:fs/promises';
import { constants as zlibConstants, crc32, deflateRawSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';

/**
 * Image fixtures for upload tests, generated at test time so the repository holds one binary
 * (sample.heic: nothing on npm can encode HEVC). Hostile files are built byte by byte, because
 * their whole point is to be what no well-behaved encoder would write.
 */

// ---------------------------------------------------------------------------------------------
// Ordinary images

/** Colours of the generated photos, so tests can check that orientation and decoding kept the picture. */
export const TOP_COLOUR = { r: 220, g: 30, b: 30 } as const;
export const BOTTOM_COLOUR = { r: 30, g: 60, b: 220 } as const;

/** A solid-colour image, top half red and bottom half blue (so a rotation is visible), as raw RGB. */
function twoBandRaw(width: number, height: number): Buffer {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    const colour = y < height / 2 ? TOP_COLOUR : BOTTOM_COLOUR;
    for (let x = 0; x < width; x += 1) {
      const offset = (y * width + x) * 3;
      raw[offset] = colour.r;
      raw[offset + 1] = colour.g;
      raw[offset + 2] = colour.b;
    }
  }
  return raw;
}

function twoBand(width: number, height: number): Sharp {
  return sharp(twoBandRaw(width, height), { raw: { width, height, channels: 3 } });
}

/** A PNG, red over blue; with `alpha` the bottom half is half transparent. */
export async function pngOf(width: number, height: number, options: { alpha?: boolean } = {}): Promise<Buffer> {
  if (!options.alpha) return twoBand(width, height).png().toBuffer();
  const rgb = twoBandRaw(width, height);
  const rgba = Buffer.alloc(width * height * 4);
  for (let pixel = 0; pixel < width * height; pixel += 1) {
    rgb.copy(rgba, pixel * 4, pixel * 3, pixel * 3 + 3);
    rgba[pixel * 4 + 3] = pixel < (width * height) / 2 ? 255 : 128;
  }
  return sharp(rgba, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
}

export async function jpegOf(width: number, height: number): Promise<Buffer> {
  return twoBand(width, height).jpeg({ quality: 90 }).toBuffer();
}

export async function webpOf(width: number, height: number): Promise<Buffer> {
  return twoBand(width, height).webp({ quality: 90 }).toBuffer();
}

export async function gifOf(width: number, height: number): Promise<Buffer> {
  return twoBand(width, height).gif().toBuffer();
}

/** An animated GIF of `frames` frames (each a different grey), looping forever. */
export async function animatedGif(width = 120, height = 80, frames = 3): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * frames * 3);
  for (let frame = 0; frame < frames; frame += 1) {
    raw.fill(40 + Math.round((frame * 180) / Math.max(1, frames - 1)), frame * width * height * 3, (frame + 1) * width * height * 3);
  }
  return sharp(raw, { raw: { width, height: height * frames, channels: 3, pageHeight: height } })
    .gif({ delay: Array.from({ length: frames }, () => 100), loop: 0 })
    .toBuffer();
}

// ---------------------------------------------------------------------------------------------
// A phone photo: EXIF with GPS, XMP, IPTC and a comment

/** Where the fixture photo claims to have been taken; tests look for these bytes in served files. */
export const GPS_FIXTURE = { latitude: [48, 51, 29] as const, longitude: [2, 17, 40] as const, make: 'Servelo Phone Co', model: 'Leaky 9' };

type TiffEntry = { tag: number; type: 1 | 2 | 3 | 4 | 5; count: number; value: Buffer };

/** One big-endian TIFF IFD at `offset` (from the TIFF header); values over 4 bytes follow the IFD. */
function tiffIfd(entries: TiffEntry[], offset: number): Buffer {
  const tableLength = 2 + entries.length * 12 + 4;
  const table = Buffer.alloc(tableLength);
  const data: Buffer[] = [];
  let dataOffset = offset + tableLength;
  table.writeUInt16BE(entries.length, 0);
  entries.forEach((entry, index) => {
    const at = 2 + index * 12;
    table.writeUInt16BE(entry.tag, at);
    table.writeUInt16BE(entry.type, at + 2);
    table.writeUInt32BE(entry.count, at + 4);
    if (entry.value.length <= 4) {
      entry.value.copy(table, at + 8);
    } else {
      table.writeUInt32BE(dataOffset, at + 8);
      const padded = entry.value.length % 2 === 0 ? entry.value : Buffer.concat([entry.value, Buffer.alloc(1)]);
      data.push(padded);
      dataOffset += padded.length;
    }
  });
  return Buffer.concat([table, ...data]);
}

const ascii = (text: string): Buffer => Buffer.from(`${text}\0`, 'latin1');
const short = (value: number): Buffer => Buffer.from([value >> 8, value & 0xff]);
const long = (value: number): Buffer => {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
};
const rationals = (values: readonly number[]): Buffer => Buffer.concat(values.flatMap((value) => [long(value), long(1)]));

/** The TIFF body of an EXIF block: IFD0 (Make, Model, Orientation, GPS pointer) and a GPS IFD. */
function exifTiff(orientation: number): Buffer {
  const ifd0 = (gpsOffset: number): Buffer =>
    tiffIfd(
      [
        { tag: 0x010f, type: 2, count: GPS_FIXTURE.make.length + 1, value: ascii(GPS_FIXTURE.make) },
        { tag: 0x0110, type: 2, count: GPS_FIXTURE.model.length + 1, value: ascii(GPS_FIXTURE.model) },
        { tag: 0x0112, type: 3, count: 1, value: short(orientation) },
        { tag: 0x8825, type: 4, count: 1, value: long(gpsOffset) },
      ],
      8,
    );
  // The GPS pointer is inline, so IFD0's length does not depend on its value.
  const gpsOffset = 8 + ifd0(0).length;
  const gps = tiffIfd(
    [
      { tag: 0x0000, type: 1, count: 4, value: Buffer.from([2, 3, 0, 0]) },
      { tag: 0x0001, type: 2, count: 2, value: ascii('N') },
      { tag: 0x0002, type: 5, count: 3, value: rationals(GPS_FIXTURE.latitude) },
      { tag: 0x0003, type: 2, count: 2, value: ascii('E') },
      { tag: 0x0004, type: 5, count: 3, value: rationals(GPS_FIXTURE.longitude) },
    ],
    gpsOffset,
  );
  const header = Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08]);
  return Buffer.concat([header, ifd0(gpsOffset), gps]);
}

/** A JPEG marker segment; the length field counts itself but not the marker. */
function jpegSegment(marker: number, payload: Buffer): Buffer {
  if (payload.length + 2 > 0xffff) throw new Error('JPEG segment payload too long');
  return Buffer.concat([Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
}

function xmpSegment(): Buffer {
  const packet =
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" exif:GPSLatitude="48,51.48N" exif:GPSLongitude="2,17.67E">' +
    '<dc:creator><rdf:Seq><rdf:li>Jane Photographer</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>';
  return jpegSegment(0xe1, Buffer.concat([ascii('http://ns.adobe.com/xap/1.0/'), Buffer.from(packet, 'utf8')]));
}

function iptcSegment(): Buffer {
  const byline = Buffer.from('Jane Photographer', 'latin1');
  const record = Buffer.concat([Buffer.from([0x1c, 0x02, 0x50]), short(byline.length), byline]);
  const resource = Buffer.concat([Buffer.from('8BIM', 'latin1'), short(0x0404), Buffer.from([0, 0]), long(record.length), record]);
  const padded = record.length % 2 === 0 ? resource : Buffer.concat([resource, Buffer.alloc(1)]);
  return jpegSegment(0xed, Buffer.concat([ascii('Photoshop 3.0'), padded]));
}

/** Splices marker segments in right after SOI. */
function withSegments(jpeg: Buffer, segments: Buffer[]): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

/**
 * A 1200×800 phone photo (red top half, blue bottom half as stored) with EXIF Orientation 6, so it
 * displays as 800×1200 with blue on the left; it carries EXIF with camera and GPS position, XMP
 * (creator, GPS), IPTC (by-line) and a JPEG comment. sharp's withExif writes IFD0 only, hence by hand.
 */
export async function jpegWithGps(): Promise<Buffer> {
  const jpeg = await jpegOf(1200, 800);
  const exif = jpegSegment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exifTiff(6)]));
  const comment = jpegSegment(0xfe, Buffer.from('shot at 12 Rue Secrète, flat 4', 'latin1'));
  return withSegments(jpeg, [exif, xmpSegment(), iptcSegment(), comment]);
}

/**
 * A 2000×1500 JPEG whose frame header sits behind `appBytes` of APP2 segments (as ICC profiles
 * and maker notes do), so the first megabyte of it holds no dimensions.
 */
export async function jpegWithLargeAppSegments(appBytes = 1_500_000): Promise<Buffer> {
  const jpeg = await jpegOf(2000, 1500);
  const segments: Buffer[] = [];
  for (let left = appBytes; left > 0; left -= 60_000) segments.push(jpegSegment(0xe2, Buffer.alloc(Math.min(60_000, left), 0x41)));
  return withSegments(jpeg, segments);
}

/** True when sharp finds any EXIF, XMP, IPTC or PNG text metadata in the image. */
export async function hasGpsOrExif(buffer: Buffer): Promise<boolean> {
  const metadata = await sharp(buffer).metadata();
  return Boolean(metadata.exif ?? metadata.xmp ?? metadata.iptc ?? metadata.tifftagPhotoshop) || (metadata.comments?.length ?? 0) > 0;
}

// ---------------------------------------------------------------------------------------------
// Hostile files

function pngChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  return Buffer.concat([long(data.length), typeAndData, long(crc32(typeAndData))]);
}

export const PIXEL_BOMB_SIZE = 20_000;

/**
 * A 20000×20000 one-bit greyscale PNG of about 50 KB that inflates to 50 MB of rows (400 MP once
 * decoded to pixels). The zlib stream is one full-flushed deflate block of 400 rows repeated
 * 50 times (a full flush leaves no back references across the seam), so it is built in ~1 MB.
 */
export function pixelBombPng(): Buffer {
  const rowBytes = 1 + PIXEL_BOMB_SIZE / 8;
  const rowsPerBlock = 400;
  const block = deflateRawSync(Buffer.alloc(rowBytes * rowsPerBlock), { level: 9, finishFlush: zlibConstants.Z_FULL_FLUSH });
  const finalEmptyBlock = Buffer.from([0x03, 0x00]);
  // Adler-32 of n zero bytes: a stays 1, b is n·1.
  const adler = ((rowBytes * PIXEL_BOMB_SIZE) % 65521) * 65536 + 1;
  const zlibStream = Buffer.concat([
    Buffer.from([0x78, 0xda]),
    ...Array.from({ length: PIXEL_BOMB_SIZE / rowsPerBlock }, () => block),
    finalEmptyBlock,
    long(adler),
  ]);
  const ihdr = Buffer.concat([long(PIXEL_BOMB_SIZE), long(PIXEL_BOMB_SIZE), Buffer.from([1, 0, 0, 0, 0])]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlibStream),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export const POLYGLOT_SCRIPT = 'alert(document.domain)';

/**
 * A GIF that is also JavaScript: `GIF89a/*…*\/=alert(document.domain)//;`. The logical screen
 * width is the bytes `/*` (10799 px, which libnsgif discards as implausible: it reads 1×1). By default it is a decodable GIF (one 1×1 frame, the script in
 * a comment extension, the trailer `;` hidden behind `//`); with `decodable: false` it is the bare
 * polyglot, whose bytes after the screen descriptor are no GIF block at all.
 */
export function polyglotGifJs(options: { decodable?: boolean } = {}): Buffer {
  const header = Buffer.concat([Buffer.from('GIF89a/*', 'latin1'), Buffer.from([0x0a, 0x00])]);
  const script = Buffer.from(`*/=${POLYGLOT_SCRIPT}//`, 'latin1');
  if (options.decodable === false) {
    return Buffer.concat([header, Buffer.from([0x00, 0x00, 0x00]), script, Buffer.from(';', 'latin1')]);
  }
  return Buffer.concat([
    header,
    Buffer.from([0x80, 0x00, 0x00]), // global colour table of 2 entries, background 0
    Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff, 0xff]),
    Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0]), // image descriptor: 1×1 at 0,0
    Buffer.from([0x02, 0x02, 0x44, 0x01, 0x00]), // LZW: clear, index 0, end
    Buffer.from([0x21, 0xfe, script.length]), // comment extension carrying the script
    script,
    Buffer.from([0x00]),
    Buffer.from(';', 'latin1'), // GIF trailer, and the end of the `//` comment line in JavaScript
  ]);
}

export function svgWithScript(): Buffer {
  return Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">' +
      '<script type="text/javascript">alert(document.domain)</script><rect width="100" height="100" fill="red"/></svg>\n',
    'utf8',
  );
}

/** HTML, as a file named `photo.png` with Content-Type image/png would carry it. */
export function htmlRenamedPng(): Buffer {
  return Buffer.from('<!doctype html><html><body><script>alert(document.domain)</script></body></html>\n', 'utf8');
}

/** The smallest DOS stub + PE header that file-type calls application/x-msdownload. */
export function windowsExecutable(): Buffer {
  const file = Buffer.alloc(0x40 + 4 + 20);
  file.write('MZ', 0, 'latin1');
  file.writeUInt32LE(0x40, 0x3c); // e_lfanew: where the PE header starts
  file.write('PE\0\0', 0x40, 'latin1');
  file.writeUInt16LE(0x014c, 0x44); // machine: i386
  return file;
}

// ---------------------------------------------------------------------------------------------
// HEIC

/** What sample.heic holds: made with `heif-enc -q 50` from a 640×480 JPEG, left half red, right half blue. */
export const HEIC_SAMPLE = { width: 640, height: 480, left: { r: 220, g: 30, b: 30 }, right: { r: 30, g: 60, b: 220 } } as const;

export async function heicSample(): Promise<Buffer> {
  return readFile(new URL('../fixtures/images/sample.heic', import.meta.url));
}

/** sample.heic with its size box (ispe) claiming width × height: a bomb that must be refused before decoding. */
export async function heicClaimingSize(width: number, height: number): Promise<Buffer> {
  const heic = Buffer.from(await heicSample());
  const at = heic.indexOf('ispe', 0, 'latin1');
  if (at < 0) throw new Error('sample.heic has no ispe box');
  // ispe: type, version/flags (4), width (4), height (4).
  heic.writeUInt32BE(width, at + 8);
  heic.writeUInt32BE(height, at + 12);
  return heic;
}

/**
 * An animation bomb: `frames` frames of 1×1 pixel on a 2000×2000 logical screen. Decoders paint
 * every frame onto the full screen, so it costs frames × 4 MP while the file stays tiny.
 */
export async function animationBombGif(frames = 11): Promise<Buffer> {
  const gif = Buffer.from(await animatedGif(1, 1, frames));
  gif.writeUInt16LE(2000, 6); // logical screen width
  gif.writeUInt16LE(2000, 8); // logical screen height
  return gif;
}
