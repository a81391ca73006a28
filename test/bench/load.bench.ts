// `npm run bench:load` (issue 14): mixed traffic for BENCH_SECONDS (60) at BENCH_CONNECTIONS (64)
// connections against the portal with production settings behind a TLS proxy (TRUST_PROXY_HOPS=1,
// X-Forwarded-Proto: https), on BENCH_MEMBERS (1,000) public members: public pages (home,
// directory, a member page, the pledge), the open-data API, signed-in pages of a creator (/me,
// /me/profile) and of an officer (/office/pool), a form post with its CSRF token (the creator saves
// their profile), and the officer's pool export (/office/pool.csv). Each connection goes through
// that list in turn. An error is a connection error, a timeout, or an answer other than the one
// expected (200 for pages, 303 for the form post; a route not built on this branch answers 404
// and counts). RSS is read after a warm-up (BENCH_WARMUP_SECONDS, 5; then a wait until the portal
// is idle) and after the run, each time after a full garbage collection. The offline lane runs in
// a process of its own (bench/support.ts), so the growth is the portal's; BENCH_LANE=inprocess puts
// the lane back in this process, and what the traffic writes (audit entries, sessions) then counts.
// The LAST line: {"bench":"load","requests":…,"errors":…,"p99_ms":…,"rss_growth":…}
// Targets: 0 errors, RSS growth ≤ 20%. Timings on a shared machine say little.
import { performance as nodePerformance } from 'node:perf_hooks';
import { seedBulkMembers } from '../../seeds/builders/bulkMembers.js';
import { ensureCreatorOfUser, updateProfile } from '../../src/features/registry/creatorService.js';
import { createTestUser, csrfFrom, testPassword } from '../support/app.js';
import { secureBrowser } from '../support/secureBrowser.js';
import { type CannonOptions, cannon, round, runBench, startProductionPortal, table } from './support.js';

const members = Number(process.env.BENCH_MEMBERS ?? 1000);
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);

const log = (line: string): void => void process.stdout.write(`${line}\n`);
const collect = (): void => (globalThis as { gc?: () => void }).gc?.();
const rssMb = (): number => round(process.memoryUsage().rss / 1024 / 1024);

type Request = NonNullable<CannonOptions['requests']>[number] & { expect: number; label: string };

/**
 * Waits (up to 60 s) until the portal is idle: its event loop mostly idle over 250 ms and
 * `/readyz` (a database round trip) answered within 50 ms. The time waited, in ms.
 */
async function settle(url: string): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < 60_000) {
    const before = nodePerformance.eventLoopUtilization();
    await new Promise((resolve) => setTimeout(resolve, 250));
    const busy = nodePerformance.eventLoopUtilization(before).utilization;
    const asked = performance.now();
    await fetch(`${url}/readyz`).then((res) => res.arrayBuffer());
    if (busy < 0.2 && performance.now() - asked < 50) break;
  }
  return Math.round(performance.now() - start);
}

async function main(): Promise<void> {
  const portal = await startProductionPortal({ TRUST_PROXY_HOPS: '1' });
  try {
    log(`seeding ${members} public members…`);
    await seedBulkMembers(members, { prefix: 'load', snapshots: 6 });

    // A signed-in creator with a profile, and a district officer.
    const creatorUser = await createTestUser({
      email: 'load-creator@example.org',
      displayName: 'Load Creator',
    });
    const profile = {
      displayName: 'Load Creator',
      kind: 'person',
      street: 'pingshan',
      categories: 'news',
      bio: 'A creator who saves the profile again and again.',
      phone: '139 0000 0000',
      wechat: 'load_creator',
      slug: 'load-creator',
      listed: 'yes',
    };
    const creator = await ensureCreatorOfUser({ id: creatorUser.id, displayName: creatorUser.displayName });
    await updateProfile(creator, {
      ...profile,
      kind: 'person',
      street: 'pingshan',
      categories: ['news'],
      listed: true,
    });
    await createTestUser({ email: 'load-officer@example.org', role: 'officer', streetScope: 'district' });

    const creatorBrowser = secureBrowser(portal.url);
    const officerBrowser = secureBrowser(portal.url);
    for (const [browser, email] of [
      [creatorBrowser, 'load-creator@example.org'],
      [officerBrowser, 'load-officer@example.org'],
    ] as const) {
      const form = await browser.get('/login');
      const signedIn = await browser.post('/login', {
        _csrf: csrfFrom(form.text),
        email,
        password: testPassword,
      });
      if (signedIn.status !== 303) throw new Error(`sign-in of ${email} answered ${signedIn.status}`);
    }
    const profilePage = await creatorBrowser.get('/me/profile');
    const csrf = csrfFrom(profilePage.text);
    const saved = await creatorBrowser.post('/me/profile', { _csrf: csrf, ...profile });
    if (saved.status !== 303) throw new Error(`the profile form answered ${saved.status}`);
    const creatorCookie = creatorBrowser.cookieHeader();
    const officerCookie = officerBrowser.cookieHeader();

    const https = { 'x-forwarded-proto': 'https', 'accept-encoding': 'gzip' };
    const asCreator = { ...https, cookie: creatorCookie };
    const asOfficer = { ...https, cookie: officerCookie };
    const requests: Request[] = [
      { label: 'home', method: 'GET', path: '/', headers: https, expect: 200 },
      { label: 'directory', method: 'GET', path: '/members?sort=followers', headers: https, expect: 200 },
      {
        label: 'member page',
        method: 'GET',
        path: `/members/load-${Math.ceil(members / 2)}`,
        headers: https,
        expect: 200,
      },
      { label: 'pledge', method: 'GET', path: '/pledge', headers: https, expect: 200 },
      { label: 'api members', method: 'GET', path: '/api/v1/members?page=2', headers: https, expect: 200 },
      { label: 'api stats', method: 'GET', path: '/api/v1/stats', headers: https, expect: 200 },
      { label: 'creator /me', method: 'GET', path: '/me', headers: asCreator, expect: 200 },
      { label: 'creator profile', method: 'GET', path: '/me/profile', headers: asCreator, expect: 200 },
      {
        label: 'profile post',
        method: 'POST',
        path: '/me/profile',
        headers: { ...asCreator, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, ...profile }).toString(),
        expect: 303,
      },
      {
        label: 'officer pool',
        method: 'GET',
        path: '/office/pool?sort=followers',
        headers: asOfficer,
        expect: 200,
      },
      { label: 'pool export', method: 'GET', path: '/office/pool.csv', headers: asOfficer, expect: 200 },
    ];
    const counts = new Map<string, { requests: number; unexpected: number; statuses: Set<number> }>(
      requests.map((r) => [r.label, { requests: 0, unexpected: 0, statuses: new Set<number>() }]),
    );
    const withChecks = requests.map(({ label, expect, ...request }) => ({
      ...request,
      onResponse: (status: number) => {
        const count = counts.get(label);
        if (!count) return;
        count.requests += 1;
        count.statuses.add(status);
        if (status !== expect) count.unexpected += 1;
      },
    }));

    log(`warming up for ${warmupSeconds} s…`);
    await cannon({ url: portal.url, connections, duration: warmupSeconds, requests: withChecks });
    for (const count of counts.values())
      Object.assign(count, { requests: 0, unexpected: 0, statuses: new Set() });
    // The warm-up's last requests may still be running after its connections closed: wait until
    // the portal is idle, so the measured run does not start behind a backlog.
    const settled = await settle(portal.url);
    log(`settled after the warm-up in ${settled} ms`);
    collect();
    const rssBefore = rssMb();
    log(`RSS after warm-up: ${rssBefore} MB; ${connections} connections for ${seconds} s…`);
    const result = await cannon({
      url: portal.url,
      connections,
      duration: seconds,
      requests: withChecks,
      timeout: 30,
    });
    collect();
    const rssAfter = rssMb();

    const unexpected = [...counts.values()].reduce((sum, count) => sum + count.unexpected, 0);
    const errors = unexpected + result.errors + result.timeouts;
    const rssGrowth = round(rssAfter / rssBefore - 1, 3);
    log('');
    log(
      table([
        ['request', 'answers', 'unexpected', 'statuses'],
        ...requests.map((r) => {
          const count = counts.get(r.label);
          return [
            `${r.method ?? 'GET'} ${(r.path ?? '').slice(0, 40)}`,
            count?.requests ?? 0,
            count?.unexpected ?? 0,
            [...(count?.statuses ?? [])].join(' '),
          ];
        }),
      ]),
    );
    log('');
    log(
      `${result.requests.total} requests in ${seconds} s (${round(result.requests.average)} req/s), ` +
        `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms; ` +
        `connection errors ${result.errors}, timeouts ${result.timeouts}, unexpected answers ${unexpected}`,
    );
    log(
      `RSS ${rssBefore} MB → ${rssAfter} MB (${round(rssGrowth * 100)}%; target ≤ 20%)${(globalThis as { gc?: unknown }).gc ? '' : ' (no --expose-gc: without a full collection first)'}`,
    );
    log(
      JSON.stringify({
        bench: 'load',
        requests: result.requests.total,
        errors,
        p99_ms: result.latency.p99,
        rss_growth: rssGrowth,
      }),
    );
  } finally {
    await portal.stop();
  }
}

await runBench(main);
