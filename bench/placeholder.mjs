// The benchmark suite arrives with its own issue. This placeholder names what `npm run bench` will
// measure (ARCHITECTURE.md §7); it measures nothing yet.
const planned = [
  'authenticated portal ticket list (25 rows; client with 10,000 tickets; 1,000,000 tickets in 10,000 tenants): requests/s as a ratio of a bare Fastify route in the same run, p99 at 32 connections, SQLite and PostgreSQL',
  'queries per request, independent of data size',
  'upload of 10 × 10 MB: peak RSS growth, throughput against a raw loopback stream into the same store',
  'cold start of `npm start` on an existing database',
  'portal first load: gzipped JavaScript size',
];
console.log('Benchmarks are not built yet. `npm run bench` will measure:');
for (const line of planned) console.log(`  - ${line}`);
