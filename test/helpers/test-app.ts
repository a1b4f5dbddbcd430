import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config/config.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { ManualClock } from '../../src/platform/clock.js';
import type { TestDatabase } from './test-database.js';

export const TEST_ORIGIN = 'http://localhost:3000';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly config: Config;
  readonly deps: Deps;
  readonly clock: ManualClock;
  close(): Promise<void>;
}

/**
 * Builds the real app over a real test database, with a manual clock and a temporary DATA_DIR.
 * The database belongs to the caller (shared across a describe block); closing the app leaves it open.
 */
export async function buildTestApp(
  database: TestDatabase,
  env: Record<string, string> = {},
  beforeReady?: (app: FastifyInstance) => void,
): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'servelo-data-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, DATABASE_URL: database.url, PUBLIC_URL: TEST_ORIGIN, ...env });
  const clock = new ManualClock('2026-11-24T09:00:00.000Z');
  const deps = createDeps(config, { db: database.db, clock });
  const app = await buildApp(config, deps);
  beforeReady?.(app);
  await app.ready();
  return {
    app,
    config,
    deps,
    clock,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The app of a describe block: built over the block's database in `beforeAll` (registered first, so
 * later hooks can use it) and closed in `afterAll`. The returned app reads through to the built one,
 * so it can be handed to helpers (`new SignInDriver(t)`) before it exists.
 */
export function useTestApp(getDb: () => TestDatabase, env: Record<string, string> = {}): TestApp {
  let built: TestApp | undefined;
  beforeAll(async () => {
    built = await buildTestApp(getDb(), env);
  });
  afterAll(async () => {
    await built?.close();
  });
  const current = (): TestApp => {
    if (!built) throw new Error('the test app is built in beforeAll');
    return built;
  };
  return {
    get app() {
      return current().app;
    },
    get config() {
      return current().config;
    },
    get deps() {
      return current().deps;
    },
    get clock() {
      return current().clock;
    },
    close: () => current().close(),
  };
}

/** Headers a same-origin browser sends with a JSON write. */
export const SAME_ORIGIN_JSON = { origin: TEST_ORIGIN, 'content-type': 'application/json' } as const;
