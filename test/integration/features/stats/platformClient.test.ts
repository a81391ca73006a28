// The politeness a platform would notice, measured at the fixture server: the gaps between
// requests, which answers are retried (and with what backoff), when the breaker stops all
// requests and when it lets them through again, and that health is observable and persisted.
import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryStateStore, type PlatformHealth } from '../../../../src/features/stats/stateStore.js';
import { fixtureClient, type FixtureServer, gapsOf, requestsFor, startFixtureServer } from './helpers.js';

describe('stats platform client', function () {
  let server: FixtureServer;

  beforeEach(async function () {
    server = await startFixtureServer();
  });
  afterEach(async function () {
    await server.close();
  });

  describe('rate limit', function () {
    it('spaces requests to one platform by the minimum interval, as the platform sees them', async function () {
      const client = await fixtureClient(server, 'bilibili', { minIntervalMs: 200 });
      const ids = ['11', '12', '13', '14', '15'];
      const outcomes = await client.pull(ids);
      expect([...outcomes.values()].map((outcome) => outcome.kind)).to.deep.equal(ids.map(() => 'figure'));
      const gaps = gapsOf(requestsFor(server, 'bilibili').map((request) => request.at));
      expect(gaps).to.have.length(4);
      // Sends are spaced exactly (see the spacer's unit test); arrival adds the loopback's own
      // jitter on a shared machine, so each gap gets a small allowance and the mean a smaller one.
      for (const gap of gaps) expect(gap).to.be.at.least(160);
      expect(gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length).to.be.at.least(190);
    });

    it('adds the jitter on top of the minimum interval', async function () {
      const client = await fixtureClient(server, 'bilibili', {
        minIntervalMs: 100,
        jitterMs: 200,
        random: () => 0.99,
      });
      await client.pull(['21', '22', '23']);
      const gaps = gapsOf(requestsFor(server, 'bilibili').map((request) => request.at));
      // 100 ms + 0.99 × 200 ms of jitter, with the same arrival allowance as above.
      for (const gap of gaps) expect(gap).to.be.at.least(258);
    });

    it('spaces each platform on its own (a slow platform does not slow another)', async function () {
      const slow = await fixtureClient(server, 'bilibili', { minIntervalMs: 400 });
      const fast = await fixtureClient(server, 'toutiao', { minIntervalMs: 0 });
      const started = Date.now();
      const slowPull = slow.pull(['31', '32']);
      await fast.pull(['a1', 'a2', 'a3']);
      expect(Date.now() - started).to.be.below(350);
      await slowPull;
    });
  });

  describe('retries', function () {
    it('retries a transient answer with growing backoff, then gives it back as transient', async function () {
      const client = await fixtureClient(server, 'bilibili', { retries: 2, backoffInitialMs: 100 });
      const outcome = (await client.pull(['fault-503'])).get('fault-503');
      expect(outcome).to.deep.equal({ kind: 'transient', detail: 'HTTP 503' });
      const gaps = gapsOf(requestsFor(server, 'bilibili', 'fault-503').map((request) => request.at));
      expect(gaps).to.have.length(2);
      // Half-jitter backoff: the n-th wait lies between half and all of 100 ms × 2^n.
      expect(gaps[0]).to.be.at.least(49);
      expect(gaps[1]).to.be.at.least(99);
      expect(client.health().retries).to.equal(2);
    });

    it('retries a timeout and reports it as transient', async function () {
      const client = await fixtureClient(server, 'x', { retries: 1, timeoutMs: 200, backoffInitialMs: 10 });
      const outcome = (await client.pull(['fault-slow-1500'])).get('fault-slow-1500');
      expect(outcome).to.deep.equal({ kind: 'transient', detail: 'timeout' });
      expect(requestsFor(server, 'x', 'fault-slow')).to.have.length(2);
      expect(client.health().breaker).to.equal('closed');
    });

    for (const [answer, id, kind] of [
      ['a ban', '412', 'blocked'],
      ['a not-found', '404', 'not_found'],
      ['an empty 200', 'fault-empty', 'blocked'],
      ['a figure', '10000001', 'figure'],
    ] as const) {
      it(`never retries ${answer}`, async function () {
        const client = await fixtureClient(server, 'bilibili', { retries: 3, backoffInitialMs: 10 });
        expect((await client.pull([id])).get(id)?.kind).to.equal(kind);
        expect(requestsFor(server, 'bilibili', `vmid=${id}`)).to.have.length(1);
        expect(client.health().retries).to.equal(0);
      });
    }
  });

  describe('circuit breaker', function () {
    for (const [platform, id] of [
      ['bilibili', '412'],
      ['bilibili', '799'],
      ['weibo', '432'],
      ['weibo', '100'],
      ['toutiao', 'FAIL'],
      ['youtube', 'QUOTA'],
      ['x', 'ratelimited'],
    ] as const) {
      it(`opens on ${platform}'s ban answer (${id}) and stops every request until the cool-down`, async function () {
        const client = await fixtureClient(server, platform, { breakerCooldownMs: 60_000 });
        expect((await client.pull([id])).get(id)?.kind).to.equal('blocked');
        const sent = requestsFor(server, platform).length;
        const next = await client.pull(['someone-else']);
        expect(next.get('someone-else')).to.deep.equal({ kind: 'skipped', detail: 'breaker_open' });
        expect(requestsFor(server, platform)).to.have.length(sent);
        const health = client.health();
        expect(health.breaker).to.equal('open');
        expect(health.breakerReason).to.be.a('string').and.not.equal('');
        expect(health.breakerRetryAt!.getTime() - health.breakerOpenedAt!.getTime()).to.equal(60_000);
      });
    }

    it('closes after the cool-down when the trial request succeeds', async function () {
      const client = await fixtureClient(server, 'bilibili', { breakerCooldownMs: 300 });
      await client.pull(['412']);
      expect((await client.pull(['10000001'])).get('10000001')?.kind).to.equal('skipped');
      await sleep(320);
      expect((await client.pull(['10000001'])).get('10000001')?.kind).to.equal('figure');
      expect(client.health().breaker).to.equal('closed');
      expect((await client.pull(['777'])).get('777')?.kind).to.equal('figure');
    });

    it('opens again when the trial request is banned too', async function () {
      const client = await fixtureClient(server, 'bilibili', { breakerCooldownMs: 200 });
      await client.pull(['412']);
      await sleep(220);
      expect((await client.pull(['4120'])).get('4120')?.kind).to.equal('blocked');
      expect(client.health().breaker).to.equal('open');
      expect((await client.pull(['10000001'])).get('10000001')?.kind).to.equal('skipped');
    });

    it('does not open on transient errors, not-found or hidden answers', async function () {
      const client = await fixtureClient(server, 'youtube');
      await client.pull(['fault-500', '@nosuch', 'UCyyyyyyyyyyyyyyyyyyyyyy']);
      expect(client.health().breaker).to.equal('closed');
    });

    it('stays open across a restart: a new client restores it from the state store', async function () {
      const store = new MemoryStateStore();
      const first = await fixtureClient(server, 'bilibili', { store });
      await first.pull(['412']);
      await first.flush();
      const second = await fixtureClient(server, 'bilibili', { store });
      expect(second.health().breaker).to.equal('open');
      expect((await second.pull(['10000001'])).get('10000001')?.kind).to.equal('skipped');
      expect(requestsFor(server, 'bilibili', '10000001')).to.have.length(0);
    });
  });

  describe('health and pause', function () {
    it('counts outcomes, requests, last success and last error, and writes them to the store', async function () {
      const store = new MemoryStateStore();
      const client = await fixtureClient(server, 'weibo', { store });
      const seen: PlatformHealth[] = [];
      client.onChange((health) => seen.push(health));
      await client.pull(['1000000001', '1000000002', 'fault-500']);
      await client.flush();
      const stored = await store.load('weibo');
      expect(stored?.outcomes).to.include({ figure: 2, transient: 1 });
      expect(stored?.requests).to.equal(3);
      expect(stored?.lastSuccessAt).to.be.instanceOf(Date);
      expect(stored?.lastError).to.equal('transient: HTTP 500');
      expect(seen.length).to.be.greaterThan(0);
    });

    it('sends nothing while paused, and resumes', async function () {
      const store = new MemoryStateStore();
      const client = await fixtureClient(server, 'x', { store });
      await client.pause('checking the token');
      expect((await client.pull(['example_hk'])).get('example_hk')).to.deep.equal({
        kind: 'skipped',
        detail: 'paused',
      });
      expect(requestsFor(server, 'x')).to.have.length(0);
      expect(await store.load('x')).to.include({ paused: true, pausedReason: 'checking the token' });
      const restarted = await fixtureClient(server, 'x', { store });
      expect(restarted.health().paused).to.equal(true);
      await restarted.resume();
      expect((await restarted.pull(['example_hk'])).get('example_hk')?.kind).to.equal('figure');
    });

    it('skips an official API whose credential is not configured, without a request', async function () {
      const client = await fixtureClient(server, 'youtube', { credentials: {} });
      expect((await client.pull(['UCxxxxxxxxxxxxxxxxxxxxxx'])).get('UCxxxxxxxxxxxxxxxxxxxxxx')).to.deep.equal(
        {
          kind: 'skipped',
          detail: 'not_configured',
        },
      );
      expect(requestsFor(server, 'youtube')).to.have.length(0);
    });

    it('reads a profile with its bio through the same politeness', async function () {
      const client = await fixtureClient(server, 'bilibili');
      const outcome = await client.readProfile('10000001');
      expect(outcome.kind === 'figure' && outcome.profile?.bio).to.equal('示例签名');
      expect(requestsFor(server, 'bilibili', '/x/web-interface/card')).to.have.length(1);
    });
  });

  describe('YouTube batching', function () {
    it('asks for up to 50 channels a request and a handle on its own', async function () {
      const client = await fixtureClient(server, 'youtube');
      const ids = Array.from({ length: 120 }, (_, index) => `UC${String(index).padStart(22, '0')}`);
      const outcomes = await client.pull([...ids, '@nosuch']);
      const requests = requestsFor(server, 'youtube');
      expect(requests).to.have.length(4);
      const sizes = requests
        .map((request) => new URL(request.url, server.url).searchParams.get('id')?.split(',').length ?? 0)
        .sort((a, b) => b - a);
      expect(sizes).to.deep.equal([50, 50, 20, 0]);
      expect(ids.every((id) => outcomes.get(id)?.kind === 'figure')).to.equal(true);
      expect(outcomes.get('@nosuch')?.kind).to.equal('not_found');
    });
  });
});
