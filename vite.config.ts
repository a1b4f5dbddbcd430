import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * One Vite build for the web apps. The server renders each page's HTML itself (branded per
 * tenant), so the inputs are entry modules rather than `index.html`; the server finds each
 * entry's hashed files in `.vite/manifest.json` (src/platform/http/web-assets.ts).
 */
const repoRoot = path.dirname(fileURLToPath(import.meta.url));
const webRoot = path.join(repoRoot, 'src', 'web');

export default defineConfig({
  root: webRoot,
  // Files are emitted to `assets/` and served by Fastify at `/assets/…` on every host (platform
  // host and custom domains alike), so absolute URLs from the site root are right everywhere.
  base: '/',
  publicDir: false,
  // JSX with React 19's automatic runtime through Vite's built-in Oxc transform; no React plugin
  // (and so no Fast Refresh) because pages are served by Fastify, not by the Vite dev server.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: path.join(repoRoot, 'dist', 'web'),
    emptyOutDir: true,
    assetsDir: 'assets',
    manifest: true,
    target: 'es2022',
    sourcemap: false,
    rolldownOptions: {
      // Manifest keys are these paths relative to `root` (e.g. `portal/main.tsx`).
      input: {
        portal: path.join(webRoot, 'portal', 'main.tsx'),
        team: path.join(webRoot, 'team', 'main.tsx'),
        operator: path.join(webRoot, 'operator', 'main.tsx'),
      },
      // Pages are loaded on demand (src/web/portal/lazy-pages.ts). Libraries go to one `vendor`
      // chunk: every first load needs all of them, and it stays cached across releases of our own
      // code; the rest is split by Rolldown along the dynamic imports.
      output: { codeSplitting: { groups: [{ name: 'vendor', test: /[\\/]node_modules[\\/]/ }] } },
      // React Router and TanStack Query mark modules "use client" for React Server Components;
      // in a plain client bundle the directive means nothing, and dropping it is correct.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
