import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { defaultWebDir } from '../../src/platform/http/web-assets.js';
import { launchChromium } from '../helpers/browser.js';
import { type E2eServer, startE2eServer } from './e2e-server.js';
import { saveShot, type StorageState } from './portal-page-checks.js';
import { signInThroughEmail } from './portal-session.js';
import { type PortalTicketsWorld, seedPortalTickets } from './portal-tickets-seed.js';

export const JOURNEY_TIMEOUT = 180_000;

/** The portal of a browser describe block: the real app over the seeded world, and Chromium. */
export interface PortalJourney {
  readonly server: E2eServer;
  readonly browser: Browser;
  readonly world: PortalTicketsWorld;
  readonly portalUrl: string;
  /** Jordan's signed-in browser state (with `signIn`; otherwise the block signs in itself). */
  readonly signedIn: StorageState;
  shot(page: Page, name: string, options?: { fullPage?: boolean }): Promise<void>;
  heading(page: Page, name: string | RegExp): Locator;
  /** The loaded rows of the ticket list. */
  rows(page: Page): Locator;
  /** The page's path below the portal, with its query (`/tickets/…?x=1`). */
  pathAndQuery(page: Page): string;
}

/** Registers the hooks that start the app and Chromium (screenshots to `test-results/<shots>`) and stop them. */
export function usePortalJourney(shots: string, options: { signIn: boolean }): PortalJourney {
  const dir = path.resolve('test-results', shots);
  let state: { server: E2eServer; browser: Browser; world: PortalTicketsWorld; portalUrl: string; signedIn?: StorageState } | undefined;
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  const s = () => {
    if (!state) throw new Error('the portal journey starts in beforeAll');
    return state;
  };

  beforeAll(async () => {
    expect(existsSync(path.join(defaultWebDir(), '.vite', 'manifest.json')), 'dist/web is missing: run `npm run build` first').toBe(true);
    mkdirSync(dir, { recursive: true });
    server = await startE2eServer();
    const world = await seedPortalTickets(server);
    const portalUrl = `${server.origin}/portal/${world.tenant.slug}`;
    browser = await launchChromium();
    const signedIn = options.signIn ? await signInThroughEmail(server, browser, portalUrl, world.jordan.email) : undefined;
    state = { server, browser, world, portalUrl, ...(signedIn ? { signedIn } : {}) };
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  return {
    get server() {
      return s().server;
    },
    get browser() {
      return s().browser;
    },
    get world() {
      return s().world;
    },
    get portalUrl() {
      return s().portalUrl;
    },
    get signedIn() {
      const signedIn = s().signedIn;
      if (!signedIn) throw new Error('this journey was started without signing in');
      return signedIn;
    },
    shot: (page, name, shotOptions) => saveShot(page, dir, name, shotOptions),
    heading: (page, name) => page.getByRole('heading', { level: 1, name }),
    rows: (page) => page.locator('.ticket-table__rows > li:not(.ticket-row--skeleton)'),
    pathAndQuery(page) {
      const url = new URL(page.url());
      return `${url.pathname.replace(`/portal/${s().world.tenant.slug}`, '') || '/'}${url.search}`;
    },
  };
}
