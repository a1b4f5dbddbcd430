import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../config/config.js';

/**
 * Serves the Vite build of the web apps and tells the server-rendered HTML which files an entry
 * needs. The HTML itself is rendered by the features (branded per tenant), so Vite's
 * `index.html` is not used: the build manifest maps each entry to its hashed JS and CSS files.
 *
 * A missing build is not fatal: the server-rendered shell is readable without JS, and tests run
 * before anyone built the web apps.
 */
export type WebEntry = 'portal' | 'team' | 'operator';

export interface WebTags {
  readonly scripts: readonly string[];
  /** Static imports of the entry, announced early with `modulepreload` so they load in parallel. */
  readonly preloads: readonly string[];
  readonly styles: readonly string[];
}

export interface WebAssets {
  readonly available: boolean;
  tagsFor(entry: WebEntry): WebTags;
}

/** One chunk of `.vite/manifest.json` (only the fields we read). */
interface ManifestChunk {
  readonly file: string;
  readonly name?: string;
  readonly src?: string;
  readonly isEntry?: boolean;
  readonly imports?: readonly string[];
  readonly css?: readonly string[];
}
type Manifest = Readonly<Record<string, ManifestChunk>>;

/** Where Vite's rollup input for each entry lives, relative to the Vite root (`src/web`). */
const ENTRY_SOURCES: Record<WebEntry, string> = { portal: 'portal/main.tsx', team: 'team/main.tsx', operator: 'operator/main.tsx' };

const NO_TAGS: WebTags = Object.freeze({ scripts: Object.freeze([]), preloads: Object.freeze([]), styles: Object.freeze([]) });

/**
 * The repository's `dist/web`. This module runs from `src/platform/http/` (tsx, vitest) or from
 * `dist/src/platform/http/` (after tsc); three levels up is the repository root or `dist/`.
 */
export function defaultWebDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const up3 = path.resolve(here, '../../..');
  const root = path.basename(up3) === 'dist' ? path.dirname(up3) : up3;
  return path.join(root, 'dist', 'web');
}

/**
 * Registers `/assets/*` (hashed, so cached for a year) when the web build exists, and returns the
 * tags each entry's HTML needs. `webDir` is for tests that bring their own build.
 */
export async function registerWebAssets(app: FastifyInstance, config: Config, webDir: string = defaultWebDir()): Promise<WebAssets> {
  const manifestPath = path.join(webDir, '.vite', 'manifest.json');
  const assetsDir = path.join(webDir, 'assets');
  let warned = false;
  const warnOnce = (message: string, extra: Record<string, unknown> = {}) => {
    if (warned) return;
    warned = true;
    app.log.warn({ webDir, ...extra }, message);
  };

  if (!isDirectory(assetsDir) || !isFile(manifestPath)) {
    warnOnce('web build not found; pages are served without scripts or styles (run `npm run build`)');
    return { available: false, tagsFor: () => NO_TAGS };
  }

  await app.register(fastifyStatic, {
    root: assetsDir,
    prefix: '/assets/',
    decorateReply: false,
    wildcard: true,
    list: false,
    index: false,
    dotfiles: 'deny',
    // File names carry a content hash: a changed file is a new URL, so caching forever is safe.
    cacheControl: true,
    maxAge: '365d',
    immutable: true,
  });

  // In development a `vite build --watch` may rewrite the manifest under a running server, so it
  // is re-read when it changes; in production the build is fixed for the life of the process.
  const watchManifest = config.env === 'development';
  let loaded: { mtimeMs: number; tags: Map<WebEntry, WebTags> } | undefined;

  const tagsFor = (entry: WebEntry): WebTags => {
    try {
      const mtimeMs = loaded && !watchManifest ? loaded.mtimeMs : statSync(manifestPath).mtimeMs;
      if (!loaded || loaded.mtimeMs !== mtimeMs) {
        const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
        loaded = { mtimeMs, tags: new Map((Object.keys(ENTRY_SOURCES) as WebEntry[]).map((e) => [e, tagsFromManifest(manifest, e)])) };
      }
      const tags = loaded.tags.get(entry) ?? NO_TAGS;
      if (tags.scripts.length === 0) warnOnce('web build has no chunk for an entry; serving it without scripts', { entry });
      return tags;
    } catch (error) {
      warnOnce('web build manifest could not be read; pages are served without scripts or styles', { err: error });
      return NO_TAGS;
    }
  };

  // Read once now, so a broken manifest is reported at start rather than on the first visit.
  tagsFor('portal');
  return { available: true, tagsFor };
}

/** The entry's script and every stylesheet it needs, its own and those of the chunks it imports. */
export function tagsFromManifest(manifest: Manifest, entry: WebEntry): WebTags {
  const chunk = manifest[ENTRY_SOURCES[entry]] ?? Object.values(manifest).find((c) => c.isEntry && c.name === entry);
  if (!chunk) return NO_TAGS;
  const styles: string[] = [];
  const seen = new Set<string>();
  const collectCss = (current: ManifestChunk) => {
    for (const imported of current.imports ?? []) {
      if (seen.has(imported)) continue;
      seen.add(imported);
      const child = manifest[imported];
      if (child) collectCss(child);
    }
    for (const css of current.css ?? []) if (!styles.includes(toUrl(css))) styles.push(toUrl(css));
  };
  collectCss(chunk);
  const preloads = [...seen]
    .map((key) => manifest[key]?.file)
    .filter((file): file is string => file !== undefined)
    .map(toUrl);
  return Object.freeze({ scripts: Object.freeze([toUrl(chunk.file)]), preloads: Object.freeze(preloads), styles: Object.freeze(styles) });
}

/** Vite's `base` is `/`, so a manifest file `assets/x.js` is served at `/assets/x.js`. */
function toUrl(file: string): string {
  return `/${file.replace(/^\/+/, '')}`;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
