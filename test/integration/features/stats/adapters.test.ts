// Every adapter's reading of every fixture scenario, over real HTTP against the fixture server:
// the outcome kind the scheduler acts on, and the figure, precision and bio an officer would see.
import { expect } from 'chai';
import { adapters, automaticAdapters } from '../../../../src/features/stats/adapters/index.js';
import { bilibili } from '../../../../src/features/stats/adapters/bilibili.js';
import {
  type AdapterOutcome,
  automaticPlatforms,
  type AutomaticPlatform,
  manualPlatforms,
} from '../../../../src/features/stats/outcomes.js';
import { type FixtureServer, fixtureHttp, startFixtureServer, testCredentials } from './helpers.js';

interface Expectation {
  kind: AdapterOutcome['kind'];
  detail?: RegExp;
  followers?: number;
  precision?: 'exact' | 'rounded' | 'abbreviated';
  raw?: string;
  atLeast?: boolean;
  likes?: number;
  posts?: number;
  bio?: string;
  displayName?: string;
}

const scenarios: Record<AutomaticPlatform, Array<[string, string, Expectation]>> = {
  bilibili: [
    ['ok', '10000001', { kind: 'figure', followers: 919515, precision: 'exact', raw: '919515' }],
    ['banned_json (HTTP 412, -412)', '412', { kind: 'blocked', detail: /412/ }],
    ['banned_html (HTTP 412, HTML body)', '4120', { kind: 'blocked', detail: /412/ }],
    ['intercepted_cn (-412 请求被拦截)', '4121', { kind: 'blocked', detail: /412/ }],
    ['too_frequent (-799)', '799', { kind: 'blocked', detail: /-799/ }],
    ['bad_id (-400)', 'abc', { kind: 'not_found', detail: /-400/ }],
    ['not_found (-404)', '404', { kind: 'not_found', detail: /-404/ }],
  ],
  weibo: [
    [
      'ok',
      '1000000001',
      {
        kind: 'figure',
        followers: 63357736,
        precision: 'exact',
        posts: 1008,
        bio: '示例简介',
        displayName: '测试博主',
      },
    ],
    [
      'ok_abbrev ("1.2万")',
      '1000000002',
      { kind: 'figure', followers: 12000, precision: 'abbreviated', raw: '1.2万' },
    ],
    ['http432 (empty body)', '432', { kind: 'blocked', detail: /432/ }],
    ['login_redirect (ok: -100)', '100', { kind: 'blocked', detail: /login/ }],
    ['empty_captcha (ok: 0)', '0', { kind: 'blocked', detail: /captcha/ }],
    ['redirect_302 to passport', '302', { kind: 'blocked', detail: /login page/ }],
  ],
  toutiao: [
    [
      'ok ("12.3万")',
      'MS4wLjABAAAAtoutiaoexample',
      { kind: 'figure', followers: 123000, precision: 'abbreviated', raw: '12.3万', likes: 11000 },
    ],
    ['ok_plain', 'MS4wLjABAAAAplain', { kind: 'figure', followers: 8765, precision: 'exact', likes: 4321 }],
    ['empty (data: {})', 'EMPTY', { kind: 'not_found' }],
    ['fail', 'FAIL', { kind: 'blocked', detail: /fail/ }],
  ],
  youtube: [
    [
      'ok (rounded to 3 significant figures)',
      'UCxxxxxxxxxxxxxxxxxxxxxx',
      { kind: 'figure', followers: 2350000, precision: 'rounded', raw: '2350000', posts: 512 },
    ],
    ['hidden', 'UCyyyyyyyyyyyyyyyyyyyyyy', { kind: 'hidden' }],
    ['not_found (@handle)', '@nosuch', { kind: 'not_found' }],
    ['quota (403)', 'QUOTA', { kind: 'blocked', detail: /quotaExceeded/ }],
    ['bad_key (400)', 'BADKEY', { kind: 'blocked', detail: /400/ }],
  ],
  x: [
    ['ok', 'example_hk', { kind: 'figure', followers: 12345, precision: 'exact', posts: 4567 }],
    ['not_found', 'nosuchuser', { kind: 'not_found', detail: /nosuchuser/ }],
    ['rate_limited (429)', 'ratelimited', { kind: 'blocked', detail: /429/ }],
    ['unauthorized (401)', 'noauth', { kind: 'blocked', detail: /401/ }],
  ],
};

// Faults any platform can answer with, picked by the id.
const faults: Array<[string, string, Expectation]> = [
  ['HTTP 500', 'fault-500', { kind: 'transient', detail: /500/ }],
  ['HTTP 503', 'fault-503', { kind: 'transient', detail: /503/ }],
  ['malformed JSON', 'fault-malformed', { kind: 'transient', detail: /malformed/ }],
  ['HTML where JSON was expected', 'fault-html', { kind: 'transient', detail: /HTML/ }],
  ['an empty 200', 'fault-empty', { kind: 'blocked', detail: /empty/ }],
  ['a body over the size cap', 'fault-huge', { kind: 'transient', detail: /too large/ }],
  ['a dropped connection', 'fault-reset', { kind: 'transient', detail: /network/ }],
  ['a slow answer (timeout)', 'fault-slow-3000', { kind: 'transient', detail: /timeout/ }],
];

function check(outcome: AdapterOutcome | undefined, expected: Expectation): void {
  expect(outcome?.kind, JSON.stringify(outcome)).to.equal(expected.kind);
  if (!outcome) return;
  if (expected.detail) expect('detail' in outcome ? outcome.detail : '').to.match(expected.detail);
  if (outcome.kind !== 'figure') return;
  const { figure, profile } = outcome;
  if (expected.followers !== undefined) expect(figure.followers).to.equal(expected.followers);
  if (expected.precision) expect(figure.precision).to.equal(expected.precision);
  if (expected.raw) expect(figure.raw).to.equal(expected.raw);
  expect(figure.atLeast).to.equal(expected.atLeast ?? false);
  if (expected.likes !== undefined) expect(figure.likes).to.equal(expected.likes);
  if (expected.posts !== undefined) expect(figure.posts).to.equal(expected.posts);
  if (expected.bio !== undefined) expect(profile?.bio).to.equal(expected.bio);
  if (expected.displayName !== undefined) expect(profile?.displayName).to.equal(expected.displayName);
}

describe('stats adapters against the fixture server', function () {
  let server: FixtureServer;

  before(async function () {
    server = await startFixtureServer();
  });
  after(async function () {
    await server.close();
  });

  for (const platform of automaticPlatforms) {
    const adapter = automaticAdapters[platform];
    describe(platform, function () {
      for (const [scenario, id, expected] of scenarios[platform]) {
        it(`reads "${scenario}" as ${expected.kind}`, async function () {
          const [outcome] = await adapter.pull(fixtureHttp(server, platform), [id], testCredentials);
          check(outcome, expected);
        });
      }
      for (const [fault, id, expected] of faults) {
        it(`reads ${fault} as ${expected.kind}`, async function () {
          // A short timeout only where the timeout is the fault under test: on a busy machine the
          // 3 MB body of the size cap could otherwise outlast 300 ms and be read as a timeout.
          const http = fixtureHttp(server, platform, id.startsWith('fault-slow') ? 300 : 10_000);
          const [outcome] = await adapter.pull(http, [id], testCredentials);
          check(outcome, expected);
        });
      }
      it('names the source of its figures', function () {
        expect(adapter.source).to.equal(
          platform === 'youtube' || platform === 'x' ? 'official_api' : 'public_web',
        );
      });
    });
  }

  it('reads the Bilibili profile card with the bio for the ownership check', async function () {
    const outcome = await bilibili.readProfile!(fixtureHttp(server, 'bilibili'), '10000001', {});
    check(outcome, {
      kind: 'figure',
      followers: 919515,
      likes: 3547978,
      posts: 37,
      bio: '示例签名',
      displayName: '测试UP主',
    });
  });

  it('reads a Bilibili risk-control answer on the card (-352) as blocked', async function () {
    const outcome = await bilibili.readProfile!(fixtureHttp(server, 'bilibili'), '352', {});
    check(outcome, { kind: 'blocked', detail: /-352/ });
  });

  it('reads several YouTube channels from one answer, each with its own outcome', async function () {
    const ids = ['UCxxxxxxxxxxxxxxxxxxxxxx', 'UCyyyyyyyyyyyyyyyyyyyyyy'];
    const outcomes = await automaticAdapters.youtube.pull(
      fixtureHttp(server, 'youtube'),
      ids,
      testCredentials,
    );
    expect(outcomes.map((outcome) => outcome.kind)).to.deep.equal(['figure', 'hidden']);
  });

  it('fails every id of a YouTube call that hits the quota', async function () {
    const ids = ['UCxxxxxxxxxxxxxxxxxxxxxx', 'QUOTA'];
    const outcomes = await automaticAdapters.youtube.pull(
      fixtureHttp(server, 'youtube'),
      ids,
      testCredentials,
    );
    expect(outcomes.map((outcome) => outcome.kind)).to.deep.equal(['blocked', 'blocked']);
  });

  it('says why an official API cannot run without its credential', function () {
    expect(automaticAdapters.youtube.missingCredentials({})).to.match(/YOUTUBE_API_KEY/);
    expect(automaticAdapters.x.missingCredentials({})).to.match(/X_BEARER_TOKEN/);
    expect(automaticAdapters.bilibili.missingCredentials({})).to.equal(undefined);
  });

  for (const platform of manualPlatforms) {
    it(`marks ${platform} as entered by hand with evidence, never pulled`, function () {
      const adapter = adapters[platform];
      expect(adapter.mode).to.equal('manual');
      expect(adapter).to.not.have.property('pull');
    });
  }
});
