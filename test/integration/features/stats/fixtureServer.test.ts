// The fixture server answers every scenario of routes.json exactly as recorded, the generic
// faults on any platform, and synthetic successes for ids no route names.
import { expect } from 'chai';
import { loadFixtureRoutes } from '../../../../src/features/stats/fixtureRoutes.js';
import { type FixtureServer, startFixtureServer } from './helpers.js';

/** The request a route describes: its path and query, and its `#k=v` fields as a body. */
function requestOf(server: FixtureServer, platform: string, match: string, method: string) {
  const [target = '', fields = ''] = match.split('#');
  const url = `${server.baseUrl(platform)}${target}`;
  if (method === 'GET') return fetch(url, { redirect: 'manual' });
  const params = new URLSearchParams(fields);
  // Kuaishou's GraphQL takes JSON with the id nested under variables; Toutiao takes a form.
  const body =
    platform === 'kuaishou'
      ? JSON.stringify({
          operationName: params.get('operationName'),
          variables: { userId: params.get('userId') },
        })
      : params.toString();
  const type = platform === 'kuaishou' ? 'application/json' : 'application/x-www-form-urlencoded';
  return fetch(url, { method, body, headers: { 'Content-Type': type }, redirect: 'manual' });
}

describe('stats fixture server', function () {
  let server: FixtureServer;

  before(async function () {
    server = await startFixtureServer();
  });
  after(async function () {
    await server.close();
  });

  for (const route of loadFixtureRoutes()) {
    it(`serves ${route.platform} "${route.scenario}" with HTTP ${route.status} and its recorded body`, async function () {
      const response = await requestOf(server, route.platform, route.match, route.method);
      expect(response.status).to.equal(route.status);
      const body = Buffer.from(await response.arrayBuffer());
      expect(body.equals(route.content)).to.equal(true);
      for (const [name, value] of Object.entries(route.headers)) {
        expect(response.headers.get(name)).to.equal(value);
      }
    });
  }

  it('serves each platform under its own prefix on loopback', function () {
    expect(server.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.baseUrl('bilibili')).to.equal(`${server.url}/bilibili`);
  });

  it('answers an unknown id with a synthetic success in the platform shape, the same each time', async function () {
    const first = await fetch(`${server.baseUrl('bilibili')}/x/relation/stat?vmid=777`);
    const again = await fetch(`${server.baseUrl('bilibili')}/x/relation/stat?vmid=777`);
    const body = (await first.json()) as { code: number; data: { follower: number } };
    expect(first.status).to.equal(200);
    expect(body.code).to.equal(0);
    expect(body.data.follower).to.be.a('number');
    expect(((await again.json()) as typeof body).data.follower).to.equal(body.data.follower);
  });

  it('assembles a YouTube batch from each id scenario', async function () {
    const ids = 'UCxxxxxxxxxxxxxxxxxxxxxx,UCyyyyyyyyyyyyyyyyyyyyyy,UCsynthetic0000000000000';
    const response = await fetch(
      `${server.baseUrl('youtube')}/youtube/v3/channels?part=statistics&id=${ids}`,
    );
    const body = (await response.json()) as { items: Array<{ id: string; statistics: object }> };
    expect(body.items.map((item) => item.id)).to.deep.equal(ids.split(','));
    expect(body.items[1]!.statistics).to.include({ hiddenSubscriberCount: true });
  });

  it('gives a fault to any platform through the id', async function () {
    const status = await fetch(`${server.baseUrl('x')}/2/users/by/username/fault-503`);
    expect(status.status).to.equal(503);
    const empty = await fetch(
      `${server.baseUrl('weibo')}/api/container/getIndex?containerid=100505fault-empty`,
    );
    expect(empty.status).to.equal(200);
    expect(await empty.text()).to.equal('');
    const html = await fetch(`${server.baseUrl('bilibili')}/x/relation/stat?vmid=fault-html`);
    expect(html.headers.get('content-type')).to.match(/text\/html/);
  });

  it('delays a slow scenario by the time in its id', async function () {
    const started = Date.now();
    await fetch(`${server.baseUrl('bilibili')}/x/relation/stat?vmid=fault-slow-300`);
    expect(Date.now() - started).to.be.at.least(290);
  });

  it('applies a forced fault to every request of one platform until cleared', async function () {
    server.force('bilibili', '502');
    const forced = await fetch(`${server.baseUrl('bilibili')}/x/relation/stat?vmid=10000001`);
    const other = await fetch(`${server.baseUrl('x')}/2/users/by/username/example_hk`);
    server.force('bilibili', undefined);
    const cleared = await fetch(`${server.baseUrl('bilibili')}/x/relation/stat?vmid=10000001`);
    expect([forced.status, other.status, cleared.status]).to.deep.equal([502, 200, 200]);
  });

  it('records each request with its platform and arrival time', async function () {
    const before = server.requests.length;
    await fetch(`${server.baseUrl('toutiao')}/api/pc/user/fans_stat`, { method: 'POST', body: 'token=FAIL' });
    const [record] = server.requests.slice(before);
    expect(record).to.include({ platform: 'toutiao', method: 'POST', url: '/api/pc/user/fans_stat' });
    expect(record!.at).to.be.a('number');
  });

  it('answers 404 to unknown ids when told not to synthesize', async function () {
    const strict = await startFixtureServer({ unknownIds: 'not_found' });
    try {
      const response = await fetch(`${strict.baseUrl('bilibili')}/x/relation/stat?vmid=777`);
      expect(response.status).to.equal(404);
    } finally {
      await strict.close();
    }
  });
});
