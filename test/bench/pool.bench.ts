// `npm run bench:pool`: the resource pool over HTTP, signed in as a district officer, on a
// generated district: BENCH_CREATORS creators (10,000 by default) with 2.5 accounts each on
// average and 90 days of daily snapshots for a quarter of them, keyed and summarised by the
// portal's own start-up backfill. Measures (BENCH_RUNS requests each, 100 by default, after
// BENCH_WARMUP untimed ones, 5 by default) a text query, a pinyin-initials query, a three-facet
// query and the dashboard (p50, p95, p99 and the slowest; BENCH_TRACE=1 prints every request's
// time in the order they ran), then the CSV and .xlsx exports of a
// quarter of the creators (one street: 2,500 rows) and of all of them (rows/s, and the portal
// process's peak RSS while streaming, sampled every 10 ms; the response is read and thrown away,
// never held). The offline lane runs in a process of its own, as MongoDB would (bench/support.ts:
// BENCH_LANE=inprocess puts it back in this process), so the RSS is the portal's: compare its
// growth over the RSS before each export, 2,500 rows against 10,000. The row counts are the
// portal's own, from the export's audit entry. BENCH_EXPLAIN=1 also prints the offline lane's
// explain() of each measured search's creator filter (index, keys and documents examined) and
// of each count the dashboard sends (stage and documents examined).
// BENCH_LANE_LOG=<file> keeps the lane process's output, BENCH_LANE_NODE_ARGS its Node flags
// (--trace-gc shows its collections: see docs/pool.md on the first one after the set-up).
// BENCH_MEASURES=text,pinyin,facets,dashboard,export measures only those (the others print 0);
// BENCH_PROFILE=<dir> writes a CPU profile of each measure (startProfiler; of this process only:
// add BENCH_LANE=inprocess to profile the lane's work too). The portal runs with
// production settings (view cache on) behind a TLS proxy, as bench:public does.
// Prints a table, then as the last line one JSON object:
// {"bench":"pool","creators":…,"text_p95_ms":…,"pinyin_p95_ms":…,"facets_p95_ms":…,
//  "dashboard_p95_ms":…,"export_rows_per_s":…,"export_peak_rss_mb":…, then the quarter's and the
//  .xlsx figures: "export_quarter_rows", "export_quarter_peak_rss_mb", "export_rss_growth_mb",
//  "export_quarter_rss_growth_mb", "xlsx_rows_per_s", "xlsx_peak_rss_mb", "xlsx_rss_growth_mb",
//  "xlsx_quarter_rss_growth_mb", and "text_p99_ms", "pinyin_p99_ms", "facets_p99_ms",
//  "dashboard_p99_ms"}
// Timings on a shared, busy machine are indicative only.
import { get } from 'node:http';
import { Types } from 'mongoose';
import { AuditEntryModel } from '../../src/features/audit/model.js';
import { backfillCreatorSearch } from '../../src/features/pool/creatorSearch.js';
import { backfillMonthlyFigures } from '../../src/features/registry/monthlyFigures.js';
import { facets, freshnessBands } from '../../src/features/pool/facets.js';
import { poolPipeline, searchContext } from '../../src/features/pool/service.js';
import type { PoolQuery } from '../../src/features/pool/validation.js';
import { AccountModel } from '../../src/features/registry/account.model.js';
import { categories, streets } from '../../src/features/registry/catalogue.js';
import { CreatorModel } from '../../src/features/registry/creator.model.js';
import { platformKeys } from '../../src/features/registry/platforms/index.js';
import { StatSnapshotModel, snapshotBucket } from '../../src/features/registry/statSnapshot.model.js';
import { createTestUser, csrfFrom, testPassword } from '../support/app.js';
import { random } from '../support/random.js';
import { type SecureBrowser, secureBrowser } from '../support/secureBrowser.js';
import { runBench, startProductionPortal } from './support.js';

const CREATORS = Number(process.env.BENCH_CREATORS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const DAYS = 90;
const dayMs = 24 * 60 * 60 * 1000;

const rand = random(2026);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const places = ['坪山', '坑梓', '龙田', '碧岭', '马峦', '石井', '燈塔', '深圳'];
const topics = [
  '之眼',
  '美食',
  '生活',
  '印象',
  '故事',
  '日记',
  '影像',
  '同镇',
  '小记',
  '跑团',
  '光影',
  '田园',
];

async function generate(): Promise<void> {
  const now = Date.now();
  const four = streets.slice(0, 4); // a quarter of the creators per street: the 2,500-row export
  for (let start = 0; start < CREATORS; start += 1000) {
    const creators = [];
    const accounts = [];
    const snapshots = [];
    for (let i = start; i < Math.min(CREATORS, start + 1000); i++) {
      const _id = new Types.ObjectId();
      creators.push({
        _id,
        displayName: `${pick(places)}${pick(topics)}${i}`,
        slug: `creator-${i}`,
        kind: 'person',
        street: four[i % 4],
        categories: [pick(categories), pick(categories)].filter((c, k, all) => all.indexOf(c) === k),
        bio: `${pick(places)}的${pick(topics)}，每天更新。`,
        consent: { listed: true },
        notices: [],
        createdAt: new Date(now - rand() * 365 * dayMs),
        updatedAt: new Date(),
      });
      const count = i % 2 === 0 ? 2 : 3; // 2.5 on average
      for (let a = 0; a < count; a++) {
        const account = new Types.ObjectId();
        const platform = platformKeys[(i + a) % platformKeys.length]!;
        const followers = Math.floor(rand() ** 3 * 2_000_000);
        accounts.push({
          _id: account,
          creator: _id,
          platform,
          platformId: `bench${i}x${a}`,
          displayName: `${pick(places)}${pick(topics)}`,
          ownership: {
            state: pick(['unverified', 'pending', 'verified', 'rejected']),
            code: 'LH-BENCH',
            history: [],
          },
          figure: { followers, precision: 'exact', source: 'official_api', asOf: new Date(now - dayMs) },
          createdAt: new Date(),
          updatedAt: new Date(),
        });
        if (i % 4 !== 0) continue; // 90 days of snapshots for a quarter of the creators
        for (let day = DAYS; day >= 1; day--) {
          const at = new Date(now - day * dayMs);
          snapshots.push({
            account,
            creator: _id,
            street: four[i % 4],
            platform,
            at,
            bucket: snapshotBucket('official_api', at),
            followers: Math.round(followers * (1 - day * 0.001)),
            precision: 'exact',
            source: 'official_api',
          });
        }
      }
    }
    // Straight to the driver in large unordered batches: no mongoose casting or hooks (the
    // start-up backfill below keys and summarises the creators, as it would after an import).
    await CreatorModel.collection.insertMany(creators, { ordered: false });
    await AccountModel.collection.insertMany(accounts, { ordered: false });
    for (let s = 0; s < snapshots.length; s += 20_000)
      await StatSnapshotModel.collection.insertMany(snapshots.slice(s, s + 20_000), { ordered: false });
  }
}

/** BENCH_RUNS timed requests after BENCH_WARMUP untimed ones (`warm` runs between the two). */
async function timed(agent: SecureBrowser, path: string, warm?: () => Promise<void>): Promise<number[]> {
  for (let run = 0; run < WARMUP; run++) {
    const res = await agent.get(path);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  }
  await warm?.();
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const res = await agent.get(path);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    times.push(performance.now() - start);
  }
  if (process.env.BENCH_TRACE) console.log(path, times.map((t) => Math.round(t)).join(' '));
  return times.sort((a, b) => a - b);
}
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

/** One download, read as it arrives and thrown away; RSS sampled every 10 ms; rows from its audit entry. */
async function exportRun(baseUrl: string, cookie: string, path: string) {
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const start = performance.now();
  const bytes = await new Promise<number>((resolve, reject) => {
    get(`${baseUrl}${path}`, { headers: { cookie, 'x-forwarded-proto': 'https' } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`${path} answered ${res.statusCode}`));
      let length = 0;
      res.on('data', (chunk: Buffer) => (length += chunk.length));
      res.on('end', () => resolve(length));
      res.on('error', reject);
    }).on('error', reject);
  });
  const ms = performance.now() - start;
  clearInterval(sampler);
  const audit = await AuditEntryModel.findOne({ action: 'pool.export' }).sort({ at: -1 }).lean();
  const rows = Number((audit?.details as { rows?: number } | undefined)?.rows ?? 0);
  return {
    rows,
    bytes,
    ms,
    rowsPerS: Math.round((rows / ms) * 1000),
    peakMb: peak / 2 ** 20,
    growthMb: (peak - rssBefore) / 2 ** 20,
  };
}

/** The offline lane's plan for a search's creator filter (its first $match), in one line. */
async function explainSearch(name: string, query: Partial<PoolQuery>): Promise<void> {
  const full: PoolQuery = { q: '', selected: {}, sort: 'followers', page: 1, perPage: 20, ids: [], ...query };
  const actor = { role: 'officer', streetScope: 'district' } as const;
  const [first] = poolPipeline(actor, full, await searchContext(full));
  const filter = (first as { $match: Record<string, unknown> }).$match;
  const explained = (await CreatorModel.collection.find(filter).explain('executionStats')) as {
    queryPlanner?: { winningPlan?: unknown };
    executionStats?: { totalKeysExamined?: number; totalDocsExamined?: number; nReturned?: number };
  };
  const plan = JSON.stringify(explained.queryPlanner?.winningPlan ?? {});
  const stats = explained.executionStats ?? {};
  console.log(
    `explain ${name}: returned ${stats.nReturned}, keys ${stats.totalKeysExamined}, docs ${stats.totalDocsExamined}; plan ${plan.slice(0, 400)}`,
  );
}

/**
 * The offline lane's explain of each count the dashboard sends for the whole district (one per
 * facet value shown): how many read documents (COUNT_SCAN examines none), in one line each.
 */
async function explainDashboard(): Promise<void> {
  const context = { now: new Date(), selected: {} };
  const shown: Record<string, readonly string[]> = {
    street: streets,
    category: categories,
    platform: platformKeys,
    freshness: freshnessBands.map((band) => band.value),
  };
  for (const [key, values] of Object.entries(shown)) {
    const facet = facets.find((f) => f.key === key)!;
    const read: string[] = [];
    for (const value of values) {
      const query = { $and: [{}, facet.filter([value], context)] };
      const explained = (await CreatorModel.db.db!.command({
        explain: { count: CreatorModel.collection.collectionName, query },
        verbosity: 'executionStats',
      })) as {
        queryPlanner?: { winningPlan?: { inputStage?: { stage?: string } } };
        executionStats?: { totalDocsExamined?: number };
      };
      read.push(
        `${value} ${explained.queryPlanner?.winningPlan?.inputStage?.stage ?? '?'}/${explained.executionStats?.totalDocsExamined ?? '?'}`,
      );
    }
    console.log(`explain dashboard ${key} (stage/docs examined): ${read.join(', ')}`);
  }
}

/**
 * BENCH_PROFILE=<dir>: a CPU profile of each measure's timed runs (not its warm-up requests), as
 * <dir>/<measure>.cpuprofile (open in Chrome DevTools). Undefined when not asked for.
 */
async function startProfiler() {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return undefined;
  const { Session } = await import('node:inspector/promises');
  const { mkdir, writeFile } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  return {
    start: () => session.post('Profiler.start'),
    stop: async (name: string) => {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(`${dir}/${name}.cpuprofile`, JSON.stringify(profile));
    },
  };
}

async function main(): Promise<void> {
  // As production runs it (view cache on) behind a TLS proxy: the session cookie is Secure.
  const portal = await startProductionPortal({ DEFAULT_LANGUAGE: 'zh-CN', TRUST_PROXY_HOPS: '1' });
  try {
    let t = performance.now();
    await generate();
    const generated = performance.now() - t;
    console.error(`generated ${CREATORS} creators in ${Math.round(generated / 1000)} s; backfilling…`);
    t = performance.now();
    await backfillCreatorSearch(); // the start-up hook: search keys and account summaries
    const keyed = performance.now() - t;
    await backfillMonthlyFigures(); // the start-up hook: the dashboard's monthly figures
    const backfilled = performance.now() - t;
    await createTestUser({ email: 'bench.officer@example.org', role: 'officer', streetScope: 'district' });
    const agent = secureBrowser(portal.url);
    const form = await agent.get('/login');
    const signedIn = await agent.post('/login', {
      _csrf: csrfFrom(form.text),
      email: 'bench.officer@example.org',
      password: testPassword,
    });
    if (signedIn.status !== 303) throw new Error(`sign-in answered ${signedIn.status}`);

    const only = process.env.BENCH_MEASURES?.split(',');
    const measuring = (name: string) => !only || only.includes(name);
    const profiler = await startProfiler();
    const measure = async (name: string, path: string): Promise<number[]> => {
      if (!measuring(name)) return [];
      if (!profiler) return timed(agent, path);
      const times = await timed(agent, path, () => profiler.start());
      await profiler.stop(name);
      return times;
    };
    const text = await measure('text', `/office/pool?q=${encodeURIComponent('坪山美食')}`);
    const pinyin = await measure('pinyin', '/office/pool?q=psms');
    const facets = await measure(
      'facets',
      '/office/pool?street=pingshan&category=food&followers=10k&followers=100k',
    );
    const dashboard = await measure('dashboard', '/office');
    const cookie = agent.cookieHeader();
    const none = { rows: 0, bytes: 0, ms: 0, rowsPerS: 0, peakMb: 0, growthMb: 0 };
    const exporting = measuring('export');
    const quarter = exporting
      ? await exportRun(portal.url, cookie, '/office/pool.csv?street=pingshan')
      : none;
    const all = exporting ? await exportRun(portal.url, cookie, '/office/pool.csv') : none;
    const xlsxQuarter = exporting
      ? await exportRun(portal.url, cookie, '/office/pool.xlsx?street=pingshan')
      : none;
    const xlsxAll = exporting ? await exportRun(portal.url, cookie, '/office/pool.xlsx') : none;
    if (process.env.BENCH_EXPLAIN) {
      await explainSearch('text', { q: '坪山美食', sort: 'relevance' });
      await explainSearch('pinyin', { q: 'psms', sort: 'relevance' });
      await explainSearch('facets', {
        selected: { street: ['pingshan'], category: ['food'], followers: ['10k', '100k'] },
      });
      await explainDashboard();
    }

    const ms = (value: number) => value.toFixed(1);
    console.log(
      `creators ${CREATORS}, generated in ${ms(generated / 1000)} s, backfilled in ${ms(backfilled / 1000)} s (search keys and summaries ${ms(keyed / 1000)} s, monthly figures ${ms((backfilled - keyed) / 1000)} s)`,
    );
    console.log('measure                     p50 ms    p95 ms    p99 ms    max ms');
    for (const [name, sorted] of [
      ['text query', text],
      ['pinyin initials', pinyin],
      ['three facets', facets],
      ['dashboard', dashboard],
    ] as const)
      console.log(
        `${name.padEnd(26)}${ms(percentile(sorted, 50)).padStart(8)}${[95, 99, 100].map((p) => ms(percentile(sorted, p)).padStart(10)).join('')}`,
      );
    console.log('export                      rows    rows/s   peak RSS MB   RSS growth MB        KB');
    for (const [name, run] of [
      ['csv, one street', quarter],
      ['csv, all', all],
      ['xlsx, one street', xlsxQuarter],
      ['xlsx, all', xlsxAll],
    ] as const)
      console.log(
        `${name.padEnd(26)}${String(run.rows).padStart(6)}${String(run.rowsPerS).padStart(10)}${ms(run.peakMb).padStart(14)}${ms(run.growthMb).padStart(16)}${String(Math.round(run.bytes / 1024)).padStart(10)}`,
      );
    console.log(
      JSON.stringify({
        bench: 'pool',
        creators: CREATORS,
        text_p95_ms: Number(ms(percentile(text, 95))),
        pinyin_p95_ms: Number(ms(percentile(pinyin, 95))),
        facets_p95_ms: Number(ms(percentile(facets, 95))),
        dashboard_p95_ms: Number(ms(percentile(dashboard, 95))),
        export_rows_per_s: all.rowsPerS,
        export_peak_rss_mb: Number(ms(all.peakMb)),
        export_rows: all.rows,
        export_quarter_rows: quarter.rows,
        export_quarter_peak_rss_mb: Number(ms(quarter.peakMb)),
        export_rss_growth_mb: Number(ms(all.growthMb)),
        export_quarter_rss_growth_mb: Number(ms(quarter.growthMb)),
        xlsx_rows_per_s: xlsxAll.rowsPerS,
        xlsx_peak_rss_mb: Number(ms(xlsxAll.peakMb)),
        xlsx_rss_growth_mb: Number(ms(xlsxAll.growthMb)),
        xlsx_quarter_rss_growth_mb: Number(ms(xlsxQuarter.growthMb)),
        text_p99_ms: Number(ms(percentile(text, 99))),
        pinyin_p99_ms: Number(ms(percentile(pinyin, 99))),
        facets_p99_ms: Number(ms(percentile(facets, 99))),
        dashboard_p99_ms: Number(ms(percentile(dashboard, 99))),
      }),
    );
  } finally {
    await portal.stop();
  }
}

await runBench(main);
