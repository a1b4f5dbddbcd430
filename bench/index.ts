// `npm run bench`: the performance budgets of ARCHITECTURE.md §7 that are measured so far.
// Exits 1 when a budget is missed, so the run is a check. BENCH_ROUNDS overrides the rounds (default 11).
import { fileURLToPath } from 'node:url';
import { formatUploadResult, runUploadBench, writeResult } from './upload.js';

const MIB = 1024 * 1024;
const rounds = Number(process.env.BENCH_ROUNDS ?? 11);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('BENCH_ROUNDS must be a whole number of at least 1');

const upload = await runUploadBench({ rounds, fileCount: 10, fileBytes: 10 * MIB, log: (line) => console.log(line) });
const resultsFile = fileURLToPath(new URL('results/upload.json', import.meta.url));
writeResult(resultsFile, upload);
console.log(`\n${formatUploadResult(upload)}\n\nresults: ${resultsFile}`);
process.exitCode = upload.pass ? 0 : 1;
