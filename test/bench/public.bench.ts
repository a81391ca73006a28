// `npm run bench:public`: the public site under load. Seeds BENCH_MEMBERS (5,000) public members
// (seeds/builders/bulkMembers.ts: two accounts each with monthly snapshots) on the offline lane (or
// MONGODB_URI), starts the portal with production settings (NODE_ENV=production: view cache on),
// and measures with autocannon, BENCH_CONNECTIONS (32) connections for BENCH_SECONDS (10) each,
// one after the other: the directory page, a member page with its growth chart, /api/v1/members,
// and a static page through the same layout (/login: no database read; its only extra work is
// one CSRF token). Prints a table, what was cached and for how long, and as the LAST line:
// {"bench":"public","members":5000,"directory_rps":…,"member_rps":…,"api_rps":…,"static_rps":…,
//  "directory_p99_ms":…,"member_p99_ms":…,"api_p99_ms":…}
// A target that answers 404 (a route not built yet) is reported and not measured (null).
// Targets (issue 10): directory and member page ≥ 50% of the static page's requests/s, p99 < 100 ms.
// Timings on a shared machine say little: compare runs on the same machine only.
import { seedBulkMembers } from '../../seeds/builders/bulkMembers.js';
import { cannon, round, runBench, startProductionPortal, table } from './support.js';

const members = Number(process.env.BENCH_MEMBERS ?? 5000);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);

interface Target {
  key: 'directory' | 'member' | 'api' | 'static';
  path: string;
}

interface Measured {
  target: Target;
  status: number;
  cacheControl: string;
  rps: number | null;
  p50: number | null;
  p99: number | null;
  non2xx: number;
  errors: number;
}

const log = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const portal = await startProductionPortal();
  try {
    const seeding = Date.now();
    log(`seeding ${members} public members…`);
    await seedBulkMembers(members, { prefix: 'bench', snapshots: 12 });
    log(`seeded in ${round((Date.now() - seeding) / 1000)} s`);

    const targets: Target[] = [
      { key: 'directory', path: '/members' },
      { key: 'member', path: `/members/bench-${Math.max(1, Math.ceil(members / 2))}` },
      { key: 'api', path: '/api/v1/members' },
      { key: 'static', path: '/login' },
    ];
    const results: Measured[] = [];
    for (const target of targets) {
      // One request first: its status and headers, and the view compiled before measuring.
      const probe = await fetch(portal.url + target.path, { headers: { 'accept-encoding': 'gzip' } });
      await probe.arrayBuffer();
      const measured: Measured = {
        target,
        status: probe.status,
        cacheControl: probe.headers.get('cache-control') ?? '(none)',
        rps: null,
        p50: null,
        p99: null,
        non2xx: 0,
        errors: 0,
      };
      if (probe.status === 404) {
        log(`${target.path}: 404, not measured (is the route built on this branch?)`);
      } else {
        const result = await cannon({
          url: portal.url + target.path,
          connections,
          duration: seconds,
          headers: { 'accept-encoding': 'gzip' },
        });
        measured.rps = round(result.requests.average);
        measured.p50 = round(result.latency.p50);
        measured.p99 = round(result.latency.p99);
        measured.non2xx = result.non2xx;
        measured.errors = result.errors + result.timeouts;
      }
      results.push(measured);
    }

    const staticRps = results.find((r) => r.target.key === 'static')?.rps ?? null;
    log('');
    log(
      table([
        [
          'target',
          'path',
          'status',
          'req/s',
          'p50 ms',
          'p99 ms',
          'vs static',
          'non-2xx',
          'errors',
          'Cache-Control',
        ],
        ...results.map((r) => [
          r.target.key,
          r.target.path,
          r.status,
          r.rps ?? '-',
          r.p50 ?? '-',
          r.p99 ?? '-',
          r.rps !== null && staticRps ? `${Math.round((r.rps / staticRps) * 100)}%` : '-',
          r.non2xx,
          r.errors,
          r.cacheControl,
        ]),
      ]),
    );
    log('');
    log(`${connections} connections, ${seconds} s per target, ${members} members, NODE_ENV=production.`);
    log('Cached: compiled templates (view cache, for the life of the process); static files by the');
    log('browser (fingerprinted: a year, immutable). The Cache-Control column is what a browser or proxy');
    log('may keep; autocannon ignores it, so every request above was rendered by the server.');
    log('Not cached: every directory, member and API answer reads the stored public listing');
    log('(src/features/directory/listing.ts: kept current by every write, not a cache). The district');
    log('totals (home, /api/v1/stats; not measured here) are kept until the listing changes.');
    log('Targets: directory and member page >= 50% of the static page, p99 < 100 ms.');

    const value = (key: Target['key'], field: 'rps' | 'p99') =>
      results.find((r) => r.target.key === key)?.[field] ?? null;
    log(
      JSON.stringify({
        bench: 'public',
        members,
        directory_rps: value('directory', 'rps'),
        member_rps: value('member', 'rps'),
        api_rps: value('api', 'rps'),
        static_rps: value('static', 'rps'),
        directory_p99_ms: value('directory', 'p99'),
        member_p99_ms: value('member', 'p99'),
        api_p99_ms: value('api', 'p99'),
      }),
    );
  } finally {
    await portal.stop();
  }
}

await runBench(main);
