// One pass over a mixed list of accounts: each gets its outcome, the counts add up per platform,
// manual platforms are never requested, duplicates are asked once, and a stop is honoured.
import { expect } from 'chai';
import type { PlatformClients } from '../../../../src/features/stats/clients.js';
import { automaticPlatforms } from '../../../../src/features/stats/outcomes.js';
import { type AccountOutcome, pullOnce } from '../../../../src/features/stats/pullOnce.js';
import { fixtureClient, type FixtureServer, requestsFor, startFixtureServer } from './helpers.js';

interface TestAccount {
  name: string;
  platform: string;
  platformId: string;
}

const accounts: TestAccount[] = [
  { name: '坪山同镇 bilibili', platform: 'bilibili', platformId: '10000001' },
  { name: '坪山之眼 bilibili (same id)', platform: 'bilibili', platformId: '10000001' },
  { name: 'deleted bilibili', platform: 'bilibili', platformId: '404' },
  { name: 'IN坪山 youtube', platform: 'youtube', platformId: 'UCxxxxxxxxxxxxxxxxxxxxxx' },
  { name: 'hidden youtube', platform: 'youtube', platformId: 'UCyyyyyyyyyyyyyyyyyyyyyy' },
  { name: '李高兴 x', platform: 'x', platformId: 'example_hk' },
  { name: '坪山印象 weibo', platform: 'weibo', platformId: '432' },
  { name: 'toutiao', platform: 'toutiao', platformId: 'MS4wLjABAAAAtoutiaoexample' },
  {
    name: 'douyin',
    platform: 'douyin',
    platformId: 'MS4wLjABAAAAexampleexampleexampleexampleexampleexample',
  },
  { name: 'kuaishou', platform: 'kuaishou', platformId: '3xexample0000001' },
  { name: 'wechat', platform: 'wechat_oa', platformId: 'gh_0123456789ab' },
  { name: 'unknown', platform: 'myspace', platformId: 'tom' },
];

async function clientsFor(server: FixtureServer): Promise<PlatformClients> {
  const entries = await Promise.all(
    automaticPlatforms.map(async (platform) => [platform, await fixtureClient(server, platform)] as const),
  );
  return Object.fromEntries(entries) as PlatformClients;
}

describe('pullOnce', function () {
  let server: FixtureServer;

  beforeEach(async function () {
    server = await startFixtureServer();
  });
  afterEach(async function () {
    await server.close();
  });

  it('gives every account its outcome and counts them per platform', async function () {
    const arrived: Array<AccountOutcome<TestAccount>> = [];
    const report = await pullOnce(accounts, {
      clients: await clientsFor(server),
      onOutcome: (result) => void arrived.push(result),
    });
    const kindOf = (name: string) => report.outcomes.find((result) => result.account.name === name)?.outcome;

    expect(report.outcomes).to.have.length(accounts.length);
    expect(arrived).to.have.length(accounts.length);
    expect(kindOf('坪山同镇 bilibili')).to.deep.include({ kind: 'figure' });
    const shared = kindOf('坪山之眼 bilibili (same id)');
    expect(shared?.kind === 'figure' && shared.figure.followers).to.equal(919515);
    expect(kindOf('deleted bilibili')?.kind).to.equal('not_found');
    expect(kindOf('IN坪山 youtube')?.kind).to.equal('figure');
    expect(kindOf('hidden youtube')?.kind).to.equal('hidden');
    expect(kindOf('李高兴 x')?.kind).to.equal('figure');
    expect(kindOf('坪山印象 weibo')?.kind).to.equal('blocked');
    expect(kindOf('toutiao')?.kind).to.equal('figure');
    expect(kindOf('douyin')).to.deep.include({ kind: 'manual' });
    expect(kindOf('wechat')?.kind).to.equal('manual');
    expect(kindOf('unknown')).to.deep.equal({ kind: 'manual', detail: 'no adapter for platform "myspace"' });

    expect(report.byPlatform.bilibili).to.include({ figure: 2, not_found: 1 });
    expect(report.byPlatform.youtube).to.include({ figure: 1, hidden: 1 });
    expect(report.byPlatform.weibo).to.include({ blocked: 1 });
    expect(report.totals).to.include({ figure: 5, not_found: 1, hidden: 1, blocked: 1, manual: 4 });
  });

  it('asks the platform once for an id two accounts share, and batches YouTube', async function () {
    await pullOnce(accounts, { clients: await clientsFor(server) });
    expect(requestsFor(server, 'bilibili', 'vmid=10000001')).to.have.length(1);
    expect(requestsFor(server, 'youtube')).to.have.length(1);
  });

  it('never requests a manual platform', async function () {
    await pullOnce(accounts, { clients: await clientsFor(server) });
    for (const platform of ['douyin', 'kuaishou', 'wechat_oa', 'xiaohongshu', 'wechat_channels', 'myspace']) {
      expect(requestsFor(server, platform), platform).to.have.length(0);
    }
  });

  it('marks a platform without a client as not configured', async function () {
    const report = await pullOnce(accounts.slice(0, 3), { clients: {} });
    expect(report.byPlatform.bilibili).to.include({ skipped: 3 });
    expect(report.outcomes[0]?.outcome).to.deep.equal({ kind: 'skipped', detail: 'not_configured' });
    expect(server.requests).to.have.length(0);
  });

  it('stops taking batches once aborted: the rest are skipped, nothing is lost', async function () {
    const controller = new AbortController();
    const ids = Array.from({ length: 6 }, (_, index) => ({ platform: 'bilibili', platformId: `50${index}` }));
    const clients = { bilibili: await fixtureClient(server, 'bilibili', { minIntervalMs: 100 }) };
    const report = await pullOnce(ids, {
      clients,
      concurrency: 1,
      onOutcome: () => controller.abort(),
      signal: controller.signal,
    });
    expect(report.outcomes).to.have.length(6);
    expect(report.byPlatform.bilibili).to.include({ figure: 1, skipped: 5 });
    expect(requestsFor(server, 'bilibili')).to.have.length(1);
  });

  it('keeps pulling the other platforms while one is banned', async function () {
    const clients = await clientsFor(server);
    const list = [
      { platform: 'bilibili', platformId: '412' },
      { platform: 'bilibili', platformId: '10000001' },
      { platform: 'x', platformId: 'example_hk' },
    ];
    const report = await pullOnce(list, { clients, concurrency: 1 });
    expect(report.byPlatform.bilibili).to.include({ blocked: 1, skipped: 1 });
    expect(report.byPlatform.x).to.include({ figure: 1 });
    expect(clients.bilibili.health().breaker).to.equal('open');
  });
});
