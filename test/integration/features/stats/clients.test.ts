// The puller as development runs it: clients built from the default settings reach the local
// fixture server (never a real platform) and pull every automatic platform end to end.
import { expect } from 'chai';
import { loadConfig } from '../../../../src/config.js';
import { createPlatformClients } from '../../../../src/features/stats/clients.js';
import { MemoryStateStore } from '../../../../src/features/stats/stateStore.js';
import { pullOnce } from '../../../../src/features/stats/pullOnce.js';
import { type FixtureServer, startFixtureServer } from './helpers.js';

describe('stats clients from the configuration', function () {
  let server: FixtureServer;

  before(async function () {
    server = await startFixtureServer();
  });
  after(async function () {
    await server.close();
  });

  it('pull every automatic platform from the fixture server with the development defaults', async function () {
    const port = new URL(server.url).port;
    const config = loadConfig({
      PULLER_FIXTURE_PORT: port,
      PULLER_MIN_INTERVAL_MS: '0',
      PULLER_JITTER_MS: '0',
    });
    const store = new MemoryStateStore();
    const clients = await createPlatformClients(config, store);
    const report = await pullOnce(
      [
        { platform: 'bilibili', platformId: '10000001' },
        { platform: 'youtube', platformId: 'UCxxxxxxxxxxxxxxxxxxxxxx' },
        { platform: 'x', platformId: 'example_hk' },
        { platform: 'weibo', platformId: '1000000001' },
        { platform: 'toutiao', platformId: 'MS4wLjABAAAAtoutiaoexample' },
      ],
      { clients },
    );
    expect(report.totals.figure).to.equal(5);
    expect(new Set(server.requests.map((request) => request.platform))).to.deep.equal(
      new Set(['bilibili', 'youtube', 'x', 'weibo', 'toutiao']),
    );
    await clients.bilibili.flush();
    expect((await store.load('bilibili'))?.outcomes.figure).to.equal(1);
  });

  it('restore a paused platform from the store', async function () {
    const config = loadConfig({ PULLER_FIXTURE_PORT: new URL(server.url).port });
    const store = new MemoryStateStore();
    const first = await createPlatformClients(config, store);
    await first.weibo.pause('login wall for a week');
    const second = await createPlatformClients(config, store);
    expect(second.weibo.health()).to.include({ paused: true, pausedReason: 'login wall for a week' });
    expect(second.bilibili.health().paused).to.equal(false);
  });
});
