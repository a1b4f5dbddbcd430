import { writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

/**
 * Files a customer would attach, written to `dir`: photos drawn with sharp (a sky, a subject and a
 * caption, so screenshots show which is which) carrying camera EXIF the server must strip, and the
 * files the portal must refuse.
 */
export interface PortalFiles {
  readonly photos: readonly string[];
  readonly pdf: string;
  readonly svg: string;
  readonly tooLarge: string;
  readonly fakeJpeg: string;
  readonly portrait: string;
}

function scene(width: number, height: number, sky: [string, string], subject: string, caption: string): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
      <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${sky[0]}"/><stop offset="1" stop-color="${sky[1]}"/></linearGradient></defs>
      <rect width="100%" height="100%" fill="url(#g)"/>
      <circle cx="${width * 0.5}" cy="${height * 0.45}" r="${Math.min(width, height) * 0.22}" fill="${subject}"/>
      <rect y="${height * 0.78}" width="100%" height="${height * 0.22}" fill="rgba(0,0,0,0.35)"/>
      <text x="50%" y="${height * 0.91}" font-family="sans-serif" font-size="${Math.round(height * 0.08)}" fill="#fff" text-anchor="middle">${caption}</text>
    </svg>`,
  );
}

const CAMERA = { IFD0: { Make: 'Acme Phones', Model: 'Snapper 3', Copyright: 'Jordan' } };

export async function writePortalFiles(dir: string): Promise<PortalFiles> {
  const file = (name: string, bytes: Buffer | string) => {
    const target = path.join(dir, name);
    writeFileSync(target, bytes);
    return target;
  };
  const tap = await sharp(scene(1600, 1200, ['#9ecbff', '#e8f3ff'], '#6b7280', 'Kitchen tap'))
    .jpeg({ quality: 85 })
    .withExif(CAMERA)
    .toBuffer();
  const cupboard = await sharp(scene(900, 1200, ['#fde68a', '#fff7ed'], '#92400e', 'Damp cupboard'))
    .png()
    .toBuffer();
  const valve = await sharp(scene(1200, 800, ['#bbf7d0', '#f0fdf4'], '#b91c1c', 'Valve'))
    .jpeg({ quality: 85 })
    .withExif(CAMERA)
    .toBuffer();
  const portrait = await sharp(scene(800, 1000, ['#c7d2fe', '#eef2ff'], '#f59e0b', 'JR'))
    .jpeg({ quality: 85 })
    .withExif(CAMERA)
    .toBuffer();
  const pdf =
    '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';
  return {
    photos: [file('kitchen-tap.jpg', tap), file('damp-cupboard.png', cupboard), file('valve-under-sink.jpg', valve)],
    pdf: file('plumber-invoice.pdf', pdf),
    svg: file('notes.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    tooLarge: file('scan-of-the-house.pdf', Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(11 * 1024 * 1024, 0x20)])),
    // Passes the browser's checks (the name says JPEG) but not the server's, which reads the bytes.
    fakeJpeg: file('holiday.jpg', '<html><body>not a photo</body></html>'),
    portrait: file('jordan.jpg', portrait),
  };
}
