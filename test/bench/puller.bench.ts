// `npm run bench:puller [-- --rate 20 --accounts 2500,10000]`: the puller against the fixture
// server (`npm run stats:fixtures`, a process of its own) with 50–200 ms simulated latency and each
// platform limited to `rate` requests/s. Accounts are handed to pullOnce in batches of 1,000 (as
// the scheduler's cursor does, without keeping their outcomes), so memory should not grow with the
// number of accounts. Each size
// runs in a child process of its own, so one run's garbage never counts toward another's peak.
// Prints a table, then one JSON line.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { automaticPlatforms, type AutomaticPlatform } from '../../src/features/stats/outcomes.js';
import { PlatformClient } from '../../src/features/stats/platformClient.js';
import { automaticAdapters } from '../../src/features/stats/adapters/index.js';
import { pullOnce } from '../../src/features/stats/pullOnce.js';
import { MemoryStateStore } from '../../src/features/stats/stateStore.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '20' },
    accounts: { type: 'string', default: '2500,10000' },
    run: { type: 'string' },
  },
});
const rate = Number(values.rate);
const batchSize = 1_000;
// The puller's live heap stays near 17 MB whatever the number of accounts (measured after a full
// GC per batch). Without a cap V8 lets the old generation fill with garbage (requests in flight for
// 50–200 ms outlive the young generation and are promoted) up to ~100 MB before its first full
// GC, and the peak RSS then says more about that heuristic than about the puller. A portal can
// run under the same cap (NODE_OPTIONS=--max-old-space-size=…; docs/stats-puller.md).
const oldSpaceMb = 64;
const latency = { min: 50, max: 200 };

interface RunResult {
  accounts: number;
  totalS: number;
  peakRssMb: number;
  duplicates: number;
  missing: number;
  platforms: Record<string, { requests: number; perSecond: number; fraction: number; rateBound: boolean }>;
}

/** Account i: platforms in turn, YouTube ids as channel ids so they batch 50 a request. */
function accountAt(index: number): { index: number; platform: AutomaticPlatform; platformId: string } {
  const platform = automaticPlatforms[index % automaticPlatforms.length]!;
  const platformId = platform === 'youtube' ? `UC${String(index).padStart(22, '0')}` : `${100000 + index}`;
  return { index, platform, platformId };
}

/** The fixture server in a process of its own, so its work and memory are not the puller's. */
async function startFixtureProcess(): Promise<{ url: string; child: ChildProcess }> {
  const cli = fileURLToPath(new URL('../../src/features/stats/fixtureCli.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', cli, '--port', '0', '--latency', `${latency.min}-${latency.max}`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^Stats fixture server on (http:\/\/\S+)$/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`fixture server exited with ${code}`)));
  });
  return { url, child };
}

async function runOnce(total: number): Promise<RunResult> {
  const fixtures = await startFixtureProcess();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  // When each platform's first and last answer arrived: its achieved rate over its busy time.
  const spans = new Map<string, { first: number; last: number }>();
  const interval = 1000 / rate;
  const store = new MemoryStateStore();
  const clients = Object.fromEntries(
    await Promise.all(
      automaticPlatforms.map(async (platform) => [
        platform,
        await PlatformClient.create({
          adapter: automaticAdapters[platform],
          baseUrl: `${fixtures.url}/${platform}`,
          credentials: { youtubeApiKey: 'bench', xBearerToken: 'bench' },
          minIntervalMs: interval,
          jitterMs: 0,
          // Enough requests in flight to cover the slowest answer at this rate.
          maxInFlight: Math.ceil(latency.max / interval) + 2,
          timeoutMs: 5_000,
          retries: 0,
          backoffInitialMs: 100,
          backoffMaxMs: 1_000,
          breakerCooldownMs: 60_000,
          maxBodyBytes: 1_000_000,
          userAgent: 'lighthouse-bench',
          store,
        }),
      ]),
    ),
  );
  const outcomesPerAccount = new Uint8Array(total);
  const started = performance.now();
  for (let offset = 0; offset < total; offset += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, total - offset) }, (_, i) =>
      accountAt(offset + i),
    );
    await pullOnce(batch, {
      clients,
      concurrency: Math.ceil(latency.max / interval) + 2,
      collect: false,
      onOutcome: ({ account }) => {
        outcomesPerAccount[account.index]! += 1;
        const now = performance.now();
        const span = spans.get(account.platform) ?? { first: now, last: now };
        span.last = now;
        spans.set(account.platform, span);
      },
    });
  }
  const totalS = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const exited = once(fixtures.child, 'exit');
  fixtures.child.kill('SIGTERM');
  await exited;
  const platforms: RunResult['platforms'] = {};
  for (const [platform, span] of spans) {
    const requests = clients[platform]!.health().requests;
    // The first answer comes one latency after the first request: count the gaps, not the requests.
    const perSecond = requests > 1 ? ((requests - 1) * 1000) / (span.last - span.first) : 0;
    // YouTube asks 50 channels a request: it never has enough requests to reach its limit.
    platforms[platform] = {
      requests,
      perSecond,
      fraction: perSecond / rate,
      rateBound: platform !== 'youtube',
    };
  }
  return {
    accounts: total,
    totalS,
    peakRssMb: peakRss / 1024 / 1024,
    duplicates: outcomesPerAccount.filter((count) => count > 1).length,
    missing: outcomesPerAccount.filter((count) => count === 0).length,
    platforms,
  };
}

function runChild(total: number): RunResult {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${oldSpaceMb}`,
      '--import',
      'tsx',
      self,
      '--run',
      String(total),
      '--rate',
      String(rate),
    ],
    { encoding: 'utf8', maxBuffer: 10 * 1024 * 1024 },
  );
  if (child.status !== 0) throw new Error(`run of ${total} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as RunResult;
}

if (values.run) {
  console.log(JSON.stringify(await runOnce(Number(values.run))));
} else {
  const sizes = values.accounts.split(',').map(Number);
  const results = sizes.map(runChild);
  console.log(`puller bench: ${rate} requests/s per platform, ${latency.min}–${latency.max} ms latency\n`);
  console.log('accounts  platform   requests  req/s   of limit');
  for (const result of results) {
    for (const [platform, entry] of Object.entries(result.platforms)) {
      const note = entry.rateBound ? '' : '  (50 ids a request: not rate-bound)';
      console.log(
        `${String(result.accounts).padStart(8)}  ${platform.padEnd(9)}  ${String(entry.requests).padStart(8)}  ` +
          `${entry.perSecond.toFixed(1).padStart(5)}  ${entry.fraction.toFixed(2).padStart(8)}${note}`,
      );
    }
    console.log(
      `${String(result.accounts).padStart(8)}  total ${result.totalS.toFixed(1)} s, peak RSS ` +
        `${result.peakRssMb.toFixed(0)} MB, duplicates ${result.duplicates}, missing ${result.missing}\n`,
    );
  }
  const last = results.at(-1)!;
  const fractions = Object.values(last.platforms)
    .filter((entry) => entry.rateBound)
    .map((entry) => entry.fraction);
  console.log(
    JSON.stringify({
      bench: 'puller',
      accounts: last.accounts,
      min_rate_fraction: Number(Math.min(...fractions).toFixed(3)),
      total_s: Number(last.totalS.toFixed(1)),
      peak_rss_mb: Number(last.peakRssMb.toFixed(1)),
      duplicates: last.duplicates + last.missing,
    }),
  );
}
