import type { AxeResults, RunOptions } from 'axe-core';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type LaunchOptions, type Page } from 'playwright-core';
import { describe, it } from 'vitest';

/**
 * Browser tests drive Debian's Chromium through playwright-core (nothing is downloaded at
 * install). Where Chromium is missing, `npm test` says so loudly and skips only the browser
 * tests; under CI (`CI=true`) a missing Chromium fails the run instead, so it is never skipped
 * unnoticed.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_INSTALL_COMMAND = 'sudo apt-get install -y chromium';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export const browserAvailable = isExecutable(CHROMIUM_PATH);

export const CHROMIUM_LAUNCH_OPTIONS: LaunchOptions = Object.freeze({
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
  ],
});

export function launchChromium(): Promise<Browser> {
  return chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
}

function missingChromiumBanner(name: string): string {
  const line = '!'.repeat(78);
  return [
    '',
    line,
    `!!  SKIPPING BROWSER TESTS: "${name}"`,
    `!!  Chromium was not found at ${CHROMIUM_PATH}.`,
    `!!  Install it with:   ${CHROMIUM_INSTALL_COMMAND}`,
    '!!  or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    '!!  (Under CI=true a missing Chromium fails the run instead.)',
    line,
    '',
  ].join('\n');
}

/**
 * `describe` for tests that need Chromium. Without it, one failing test saying that Chromium is
 * required and how to install it: a browser journey is never skipped silently.
 */
export function describeWithBrowser(name: string, fn: () => void): void {
  if (browserAvailable) {
    describe(name, fn);
    return;
  }
  console.warn(missingChromiumBanner(name));
  describe(name, () => {
    it('Chromium is required', () => {
      throw new Error(
        `Chromium is required: nothing executable at ${CHROMIUM_PATH}. ` +
          `Install it with \`${CHROMIUM_INSTALL_COMMAND}\` (.ci/run does) or set CHROMIUM_PATH.`,
      );
    });
  });
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly helpUrl: string;
  readonly targets: readonly string[];
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

/**
 * Runs axe-core on the page and returns the violations of impact serious or critical. The
 * portal's CSP refuses inline scripts without its nonce, so `addScriptTag` would be blocked;
 * `page.evaluate` runs the source through the DevTools protocol, which CSP does not govern.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const hasAxe = await page.evaluate(() => 'axe' in window);
  if (!hasAxe) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } };
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      helpUrl: v.helpUrl,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
