// `npm run bench`: the performance budgets of ARCHITECTURE.md §7 that are measured so far.
// Exits 1 when a budget is missed, so the run is a check. BENCH_ROUNDS overrides the upload rounds
// (default 11). `npm run bench -- inbox` (or `upload`) runs one benchmark only.
import { fileURLToPath } from 'node:url';
import { formatInboxResult, runInboxBench } from './inbox.js';
import { formatOutboxResult, runOutboxBench } from './outbox.js';
import { formatSoakResult, runSoakBench } from './soak.js';
import { formatUploadResult, runUploadBench, writeResult } from './upload.js';

const MIB = 1024 * 1024;
const rounds = Number(process.env.BENCH_ROUNDS ?? 11);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('BENCH_ROUNDS must be a whole number of at least 1');
const BENCHES = ['upload', 'inbox', 'outbox', 'soak'] as const;
/** Run only when named: the soak takes SOAK_MINUTES (default 10). */
const ON_REQUEST: readonly string[] = ['soak'];
const picked = process.argv.slice(2);
const unknown = picked.filter((name) => !(BENCHES as readonly string[]).includes(name));
if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}: choose from ${BENCHES.join(', ')}`);
const runs = (name: (typeof BENCHES)[number]) => (picked.length === 0 && !ON_REQUEST.includes(name)) || picked.includes(name);
const log = (line: string) => console.log(line);
const resultsFile = (name: string) => fileURLToPath(new URL(`results/${name}.json`, import.meta.url));

let pass = true;
if (runs('upload')) {
  const upload = await runUploadBench({ rounds, fileCount: 10, fileBytes: 10 * MIB, log });
  writeResult(resultsFile('upload'), upload);
  console.log(`\n${formatUploadResult(upload)}\n\nresults: ${resultsFile('upload')}\n`);
  pass &&= upload.pass;
}
if (runs('inbox')) {
  const inbox = await runInboxBench({ tickets: 100_000, repeats: 30, log });
  writeResult(resultsFile('inbox'), inbox);
  console.log(`\n${formatInboxResult(inbox)}\n\nresults: ${resultsFile('inbox')}\n`);
  pass &&= inbox.pass;
}
if (runs('outbox')) {
  const postgresUrl = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL : undefined;
  const outbox = await runOutboxBench({ jobs: 2_000, rounds: 5, ...(postgresUrl ? { postgresUrl } : {}), log });
  writeResult(resultsFile('outbox'), outbox);
  console.log(`\n${formatOutboxResult(outbox)}\n\nresults: ${resultsFile('outbox')}\n`);
  pass &&= outbox.pass;
}
if (runs('soak')) {
  const minutes = Number(process.env.SOAK_MINUTES ?? 10);
  if (!(minutes >= 3)) throw new Error('SOAK_MINUTES must be at least 3 (warm-up, baseline, end)');
  const soak = await runSoakBench({ minutes, log });
  writeResult(resultsFile('soak'), soak);
  console.log(`\n${formatSoakResult(soak)}\n\nresults: ${resultsFile('soak')}\n`);
  pass &&= soak.pass;
}
process.exitCode = pass ? 0 : 1;
