import sharp from 'sharp';

/**
 * Two "photos" for the demo's first ticket (a leak under a sink), drawn as SVG and rendered to
 * JPEG, so the seed needs no binary assets and a newcomer sees thumbnails and the lightbox at once.
 */
const SCENES = [
  {
    name: 'under-the-sink.jpg',
    svg: `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1200">
      <defs><linearGradient id="wall" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#d9d4c7"/><stop offset="1" stop-color="#a59f90"/></linearGradient>
      <radialGradient id="puddle" cx="0.5" cy="0.5" r="0.5"><stop offset="0" stop-color="#7fb3d5" stop-opacity="0.9"/><stop offset="1" stop-color="#7fb3d5" stop-opacity="0"/></radialGradient></defs>
      <rect width="1600" height="1200" fill="url(#wall)"/>
      <rect x="0" y="900" width="1600" height="300" fill="#6b5b4b"/>
      <rect x="620" y="180" width="120" height="560" rx="30" fill="#c0c4c8" stroke="#8a9096" stroke-width="10"/>
      <path d="M680 740 q0 90 120 90 h340" fill="none" stroke="#c0c4c8" stroke-width="110" stroke-linecap="round"/>
      <circle cx="800" cy="800" r="40" fill="#4a90c2"/>
      <ellipse cx="820" cy="1010" rx="520" ry="110" fill="url(#puddle)"/>
      <rect x="980" y="780" width="210" height="220" rx="16" fill="#3b6ea5"/>
    </svg>`,
  },
  {
    name: 'valve-close-up.jpg',
    svg: `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="1600">
      <rect width="1200" height="1600" fill="#cfc8b8"/>
      <rect x="520" y="0" width="160" height="1600" fill="#b08d57" stroke="#8a6a3a" stroke-width="12"/>
      <circle cx="600" cy="760" r="210" fill="#9e2a2b" stroke="#5c1718" stroke-width="24"/>
      <rect x="380" y="735" width="440" height="50" rx="25" fill="#5c1718"/>
      <circle cx="600" cy="1020" r="26" fill="#4a90c2"/><circle cx="612" cy="1110" r="18" fill="#4a90c2"/>
    </svg>`,
  },
] as const;

export async function demoPhotos(): Promise<{ name: string; bytes: Buffer }[]> {
  return Promise.all(SCENES.map(async (s) => ({ name: s.name, bytes: await sharp(Buffer.from(s.svg)).jpeg({ quality: 82 }).toBuffer() })));
}
