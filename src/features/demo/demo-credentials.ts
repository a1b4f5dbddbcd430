import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DemoCredential } from './demo-seed.service.js';

/** Where the demo team's generated passwords are kept for the developer (development only). */
export function demoCredentialsPath(dataDir: string): string {
  return path.join(dataDir, 'demo-credentials.json');
}

/** Writes `{"team":[{"email","password","role"}]}` readable by the owner only; returns the path. */
export function writeDemoCredentials(dataDir: string, team: readonly DemoCredential[]): string {
  const file = demoCredentialsPath(dataDir);
  mkdirSync(dataDir, { recursive: true });
  const body = { team: team.map(({ email, password, role }) => ({ email, password, role })) };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/** The lines printed once at start-up, right after the seed. */
export function describeDemoCredentials(team: readonly DemoCredential[], file: string, appUrl: string): string[] {
  return [
    `Team app sign-in (demo, development only): ${appUrl}`,
    ...team.map((c) => `  ${c.role.padEnd(6)} ${c.email}  password: ${c.password}`),
    `These passwords are shown once; they are also in ${file}.`,
  ];
}
