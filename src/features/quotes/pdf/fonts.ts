import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * DejaVu Sans, shipped by the `dejavu-fonts-ttf` npm package: it covers Latin with every accent,
 * Greek, Cyrillic and more, so "José Núñez" and "Zoë Łukasiewicz" print right (the 14 standard
 * PDF fonts only know WinAnsi). Read from node_modules, never fetched; the bytes are read once
 * per process and each PDF embeds a subset of the glyphs it uses.
 */
export interface FontBytes {
  readonly regular: Uint8Array;
  readonly bold: Uint8Array;
}

let cached: Promise<FontBytes> | undefined;

function fontDirectory(): string {
  const packageJson = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json');
  return path.join(path.dirname(packageJson), 'ttf');
}

/** The regular and bold DejaVu Sans font files, read on first use and kept. */
export function loadFontBytes(): Promise<FontBytes> {
  cached ??= (async () => {
    const dir = fontDirectory();
    const [regular, bold] = await Promise.all([
      readFile(path.join(dir, 'DejaVuSans.ttf')),
      readFile(path.join(dir, 'DejaVuSans-Bold.ttf')),
    ]);
    return { regular, bold };
  })().catch((error: unknown) => {
    // A failed read (a broken install) is retried next time rather than cached for the process.
    cached = undefined;
    throw error;
  });
  return cached;
}
