import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: keep parallelism modest so PostgreSQL and SQLite tests do not starve each other.
    maxWorkers: 2,
    env: { NODE_ENV: 'test' },
  },
});
