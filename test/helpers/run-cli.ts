import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the real `servelo` command line in its own process (through tsx, from source). Its standard
 * input is a pipe, never a terminal (as in CI): `input` is written to it, then it is closed.
 */
export function runCli(args: readonly string[], env: Record<string, string>, options: { input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      TSX,
      [path.join(ROOT, 'src', 'main.ts'), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}
