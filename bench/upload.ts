import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { EMPTY_BODY, post, type PostResult } from './lib/http-post.js';
import { multipartBody, type MultipartBody } from './lib/multipart-body.js';
import { cpuSecondsOf, rssOf, RssWatch } from './lib/proc-stats.js';
import { spreadOf, type Spread } from './lib/stats.js';
import type { BenchServerInfo } from './upload-server.js';

/**
 * ARCHITECTURE.md §7, issue 5: "10 × 10 MB upload: peak RSS growth of the server under 64 MB;
 * throughput at least half of a raw loopback stream into the same store". Each round sends the
 * same 100 MiB multipart body twice to one server process: to the portal upload route (the app)
 * and to a bare node:http route that pipes it into the same LocalFileStore (raw). Only ratios
 * within a round are compared; absolute speeds depend on the machine and its neighbours.
 */

const MIB = 1024 * 1024;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER = fileURLToPath(new URL('upload-server.ts', import.meta.url));
export const UPLOAD_TARGETS = { minRatio: 0.5, maxRssGrowthMiB: 64 } as const;

type Kind = 'app' | 'raw';

export interface Measurement {
  readonly mibPerSec: number;
  readonly ms: number;
  /** Peak RSS during the request minus RSS just before it. */
  readonly rssGrowthMiB: number;
  readonly rssBeforeMiB: number;
  /** Server CPU time (user + system) during the request. */
  readonly cpuSeconds: number;
}

export interface Round {
  readonly round: number;
  readonly order: readonly Kind[];
  readonly raw: Measurement;
  readonly app: Measurement;
  /** app MiB/s ÷ raw MiB/s: at least 0.5 is the target. */
  readonly ratio: number;
}

export interface UploadBenchResult {
  readonly benchmark: 'upload';
  readonly date: string;
  readonly machine: { readonly node: string; readonly cpus: number; readonly platform: string };
  readonly bodyBytes: number;
  readonly files: { readonly count: number; readonly bytes: number };
  readonly serverIdleRssMiB: number;
  readonly rssPeakExact: boolean;
  readonly rounds: readonly Round[];
  readonly summary: {
    readonly ratio: Spread;
    /** Best app MiB/s ÷ best raw MiB/s: noise only ever slows a transfer, so this shows the ratio on a quiet machine. */
    readonly bestRatio: number;
    readonly appMiBPerSec: Spread;
    readonly rawMiBPerSec: Spread;
    readonly appRssGrowthMiB: Spread;
    readonly rawRssGrowthMiB: Spread;
    readonly appCpuSeconds: Spread;
    readonly rawCpuSeconds: Spread;
  };
  readonly targets: typeof UPLOAD_TARGETS;
  readonly checks: { readonly ratio: boolean; readonly rssGrowth: boolean };
  readonly pass: boolean;
}

export interface UploadBenchOptions {
  readonly rounds: number;
  readonly fileCount: number;
  readonly fileBytes: number;
  /** Progress and the table go here. */
  readonly log: (line: string) => void;
}

/** Runs the upload benchmark against a fresh server process; the caller reports and decides the exit code. */
export async function runUploadBench(options: UploadBenchOptions): Promise<UploadBenchResult> {
  const body = multipartBody(
    Array.from({ length: options.fileCount }, (_, i) => ({
      field: 'files',
      filename: `bench-${i + 1}.csv`,
      size: options.fileBytes,
      fill: 'col1,col2,col3\n',
    })),
  );
  const small = multipartBody([{ field: 'files', filename: 'warm-up.csv', size: 256 * 1024, fill: 'col1,col2,col3\n' }]);
  const { child, info } = await startServer();
  try {
    const send = (kind: Kind, what: MultipartBody): Promise<PostResult> =>
      kind === 'app'
        ? post(info.url, what, { cookie: info.cookie, 'sec-fetch-site': 'same-origin', 'content-type': what.contentType })
        : post(info.rawUrl, what, { 'content-type': 'application/octet-stream' });

    const measure = async (kind: Kind): Promise<Measurement> => {
      await post(info.resetUrl, EMPTY_BODY);
      const cpuBefore = cpuSecondsOf(info.pid);
      const watch = new RssWatch(info.pid);
      watch.start();
      const result = await send(kind, body);
      const rss = watch.stop();
      const cpuSeconds = cpuSecondsOf(info.pid) - cpuBefore;
      assertStored(kind, result, options.fileCount, options.fileBytes, body.length);
      return {
        mibPerSec: body.length / MIB / (result.ms / 1000),
        ms: result.ms,
        rssGrowthMiB: (rss.peak - rss.before) / MIB,
        rssBeforeMiB: rss.before / MIB,
        cpuSeconds,
      };
    };

    // Warm-up: the first request of each kind compiles and allocates what every later one reuses.
    assertStored('app', await send('app', small), 1, 256 * 1024, small.length);
    assertStored('raw', await send('raw', small), 1, 256 * 1024, small.length);
    const serverIdleRssMiB = rssOf(info.pid) / MIB;
    const rssPeakExact = canResetHwm(info.pid);
    options.log(
      `Upload: ${options.fileCount} × ${options.fileBytes / MIB} MiB in one multipart body (${body.length.toLocaleString('en')} bytes), ` +
        `against a raw stream of the same bytes into the same store; ${options.rounds} rounds, server pid ${info.pid}, idle RSS ${serverIdleRssMiB.toFixed(1)} MiB.`,
    );

    const rounds: Round[] = [];
    for (let round = 1; round <= options.rounds; round += 1) {
      // Alternate the order, so drift (page cache, CPU neighbours, heap growth) does not favour one kind.
      const order: Kind[] = round % 2 === 1 ? ['app', 'raw'] : ['raw', 'app'];
      const measured = {} as Record<Kind, Measurement>;
      for (const kind of order) measured[kind] = await measure(kind);
      rounds.push({ round, order, raw: measured.raw, app: measured.app, ratio: measured.app.mibPerSec / measured.raw.mibPerSec });
      options.log(`  round ${round}/${options.rounds}: ratio ${rounds.at(-1)!.ratio.toFixed(2)}`);
    }

    const appMiBPerSec = spreadOf(rounds.map((r) => r.app.mibPerSec));
    const rawMiBPerSec = spreadOf(rounds.map((r) => r.raw.mibPerSec));
    const summary = {
      ratio: spreadOf(rounds.map((r) => r.ratio)),
      bestRatio: appMiBPerSec.max / rawMiBPerSec.max,
      appMiBPerSec,
      rawMiBPerSec,
      appRssGrowthMiB: spreadOf(rounds.map((r) => r.app.rssGrowthMiB)),
      rawRssGrowthMiB: spreadOf(rounds.map((r) => r.raw.rssGrowthMiB)),
      appCpuSeconds: spreadOf(rounds.map((r) => r.app.cpuSeconds)),
      rawCpuSeconds: spreadOf(rounds.map((r) => r.raw.cpuSeconds)),
    };
    // Throughput is noisy on shared cores: the median ratio decides. RSS is a peak: every round must stay under it.
    const checks = {
      ratio: summary.ratio.median >= UPLOAD_TARGETS.minRatio,
      rssGrowth: summary.appRssGrowthMiB.max < UPLOAD_TARGETS.maxRssGrowthMiB,
    };
    return {
      benchmark: 'upload',
      date: new Date().toISOString(),
      machine: { node: process.version, cpus: os.availableParallelism(), platform: `${os.platform()} ${os.release()}` },
      bodyBytes: body.length,
      files: { count: options.fileCount, bytes: options.fileBytes },
      serverIdleRssMiB,
      rssPeakExact,
      rounds,
      summary,
      targets: UPLOAD_TARGETS,
      checks,
      pass: checks.ratio && checks.rssGrowth,
    };
  } finally {
    await stopServer(child);
  }
}

/** The table of one run: a row per round, then the medians and spreads, then the verdict. */
export function formatUploadResult(result: UploadBenchResult): string {
  const columns = ['round', 'order', 'raw MiB/s', 'app MiB/s', 'app/raw', 'app RSS +MiB', 'raw RSS +MiB', 'app CPU s', 'raw CPU s'];
  const row = (cells: readonly string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(8) : cell.padStart(columns[i]!.length))).join('  ');
  const f = (value: number, digits = 1) => value.toFixed(digits);
  const spread = (s: Spread, digits = 1) => `${f(s.min, digits)}–${f(s.max, digits)}`;
  const { summary: s, checks, targets } = result;
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const lines = [
    row(columns),
    ...result.rounds.map((r) =>
      row([
        String(r.round),
        r.order.join('→'),
        f(r.raw.mibPerSec),
        f(r.app.mibPerSec),
        f(r.ratio, 2),
        f(r.app.rssGrowthMiB),
        f(r.raw.rssGrowthMiB),
        f(r.app.cpuSeconds, 2),
        f(r.raw.cpuSeconds, 2),
      ]),
    ),
    row([
      'median',
      '',
      f(s.rawMiBPerSec.median),
      f(s.appMiBPerSec.median),
      f(s.ratio.median, 2),
      f(s.appRssGrowthMiB.median),
      f(s.rawRssGrowthMiB.median),
      f(s.appCpuSeconds.median, 2),
      f(s.rawCpuSeconds.median, 2),
    ]),
    row([
      'min–max',
      '',
      spread(s.rawMiBPerSec),
      spread(s.appMiBPerSec),
      spread(s.ratio, 2),
      spread(s.appRssGrowthMiB),
      spread(s.rawRssGrowthMiB),
      spread(s.appCpuSeconds, 2),
      spread(s.rawCpuSeconds, 2),
    ]),
    '',
    `throughput: median app/raw ${f(s.ratio.median, 2)} (target ≥ ${f(targets.minRatio, 2)})  ${verdict(checks.ratio)}` +
      `  [best app ÷ best raw ${f(s.bestRatio, 2)}]`,
    `memory:     peak RSS growth of the app, worst round ${f(s.appRssGrowthMiB.max)} MiB (target < ${targets.maxRssGrowthMiB} MiB)  ${verdict(checks.rssGrowth)}` +
      (result.rssPeakExact ? '' : '  [sampled every 5 ms; VmHWM could not be reset]'),
  ];
  return lines.join('\n');
}

export function writeResult(file: string, result: object): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}

function assertStored(kind: Kind, result: PostResult, count: number, bytes: number, bodyBytes: number): void {
  if (result.status !== 201) throw new Error(`${kind} upload answered ${result.status}: ${result.body.slice(0, 500)}`);
  if (kind === 'raw') {
    const { size } = JSON.parse(result.body) as { size: number };
    if (size !== bodyBytes) throw new Error(`raw upload stored ${size} bytes of ${bodyBytes}`);
    return;
  }
  const { files } = JSON.parse(result.body) as { files: { size: number; status: string }[] };
  if (files.length !== count || files.some((file) => file.size !== bytes || file.status !== 'ready')) {
    throw new Error(`app upload stored something else than ${count} ready files of ${bytes} bytes: ${result.body.slice(0, 500)}`);
  }
}

function canResetHwm(pid: number): boolean {
  const watch = new RssWatch(pid, 1000);
  watch.start();
  return watch.stop().exact;
}

async function startServer(): Promise<{ child: ChildProcess; info: BenchServerInfo }> {
  // `node --import tsx` rather than the tsx CLI: the CLI would run the server in a grandchild, and we want its pid.
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the bench server exited (${String(code)}) before it was ready`);
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error('the bench server did not start within 60 s')), 60_000).unref(),
  );
  const [first] = (await Promise.race([once(lines, 'line'), exited, timeout])) as [string];
  lines.close();
  child.stdout!.resume();
  const info = JSON.parse(first) as BenchServerInfo;
  if (info.pid !== child.pid) throw new Error(`the bench server reports pid ${info.pid}, not ${child.pid}`);
  return { child, info };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.stdin!.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
