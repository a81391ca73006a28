// The open-data API over HTTP: every answer (success and error) is checked against the OpenAPI
// document the API serves (ajv, JSON Schema 2020-12), plus ETag/304, Cache-Control, CORS, the
// JSON errors (400, 404, 405, 406, 429) and the privacy rules.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'chai';
import type { Response } from 'supertest';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';
import { type TestApp, startTestApp } from '../../../support/app.js';
import { evidenceId, hiddenNames, privateValues, seedDirectoryDemo, withdrawnSlug } from './support.js';

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, { get: { responses: Record<string, { content?: Record<string, unknown> }> } }>;
}

describe('directory: open-data API', function () {
  this.timeout(120_000);
  let portal: TestApp;
  let ajv: Ajv2020;
  let checked = 0;
  let doc: OpenApiDocument;

  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en', API_RATE_LIMIT: '150' });
    await seedDirectoryDemo();
    doc = (await portal.agent().get('/api/v1/openapi.json')).body as OpenApiDocument;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
    ajv.addSchema(doc, 'openapi');
  });
  after(async function () {
    await portal.stop();
  });

  /** The path template of an API URL, e.g. /api/v1/members/x?q=1 → /members/{slug}. */
  function templateOf(url: string): string {
    const path = new URL(url, 'http://x').pathname.replace(/^\/api\/v1/, '');
    return /^\/members\/[^/]+$/.test(path) ? '/members/{slug}' : path;
  }

  /** Validates a response against its path and status in the served document. */
  function conforms(res: Response, url: string): void {
    const template = templateOf(url);
    const responses = doc.paths[template]?.get.responses;
    expect(responses, `documented: ${template}`).to.not.equal(undefined);
    const documented = responses![String(res.status)];
    expect(documented, `${url} → ${res.status} is documented`).to.not.equal(undefined);
    if (res.status === 304) return;
    expect(res.headers['content-type']).to.match(/^application\/json/);
    const pointer = `openapi#/paths/${template.replace(/\//g, '~1')}/get/responses/${res.status}/content/application~1json/schema`;
    const validate = ajv.getSchema(pointer);
    expect(validate, pointer).to.not.equal(undefined);
    const valid = validate!(res.body);
    expect(valid, `${url}: ${JSON.stringify(validate!.errors)}`).to.equal(true);
    checked += 1;
  }

  const api = (url: string) => portal.agent().get(url).set('Accept-Language', 'en');

  async function call(url: string, status: number, headers: Record<string, string> = {}) {
    let request = api(url);
    for (const [name, value] of Object.entries(headers)) request = request.set(name, value);
    const res = await request;
    expect(res.status, url).to.equal(status);
    conforms(res, url);
    return res;
  }

  function expectNothingPrivate(text: string) {
    for (const value of [...privateValues, evidenceId.toHexString(), ...hiddenNames])
      expect(text, value).to.not.include(value);
  }

  it('serves an OpenAPI 3.1 document describing every path', async function () {
    const res = await call('/api/v1/openapi.json', 200);
    const doc = res.body as OpenApiDocument;
    expect(doc.openapi).to.equal('3.1.0');
    expect(Object.keys(doc.paths).sort()).to.deep.equal(
      ['/members', '/members/{slug}', '/openapi.json', '/stats'].sort(),
    );
  });

  it('lists public members with totals and links, and nothing private', async function () {
    const res = await call('/api/v1/members?sort=name&perPage=3', 200);
    const body = res.body as {
      data: { slug: string; accounts: unknown[] }[];
      meta: { total: number; pages: number };
      links: { next: string | null; prev: string | null };
    };
    expect(body.meta.total).to.equal(4);
    expect(body.meta.pages).to.equal(2);
    expect(body.data).to.have.length(3);
    expect(body.links.prev).to.equal(null);
    expect(body.links.next).to.match(/\/api\/v1\/members\?sort=name&perPage=3&page=2$/);
    const next = await call(new URL(body.links.next!).pathname + new URL(body.links.next!).search, 200);
    expect((next.body as { data: unknown[] }).data).to.have.length(1);
    expect(body.data.map((m) => m.slug)).to.not.include(withdrawnSlug);
    expectNothingPrivate(res.text);
    expectNothingPrivate(next.text);
  });

  it('searches and filters like the directory', async function () {
    const traditional = await call(`/api/v1/members?q=${encodeURIComponent('坪山同鎮')}`, 200);
    expect((traditional.body as { data: { slug: string }[] }).data[0]?.slug).to.equal('pingshan-tongzhen');
    const youtube = await call('/api/v1/members?platform=youtube', 200);
    expect((youtube.body as { data: { slug: string }[] }).data.map((m) => m.slug)).to.deep.equal([
      'in-pingshan',
    ]);
    const none = await call('/api/v1/members?q=nobody-here', 200);
    expect((none.body as { meta: { total: number } }).meta.total).to.equal(0);
  });

  it('gives one member with figures, sources, as-of dates and history', async function () {
    const res = await call('/api/v1/members/pingshanzhiyan', 200);
    const member = (
      res.body as {
        data: {
          memberNumber: string;
          pledge: { signed: boolean };
          accounts: { platform: string; followers: { source: string } | null; history: unknown[] }[];
        };
      }
    ).data;
    expect(member.memberNumber).to.match(/^LH-\d{4}-\d{4}$/);
    expect(member.pledge.signed).to.equal(true);
    expect(member.accounts.map((a) => a.platform).sort()).to.deep.equal(['bilibili', 'weibo']);
    expect(member.accounts[0]!.history.length).to.be.greaterThan(3);
    expectNothingPrivate(res.text);
    const tongzhen = await call('/api/v1/members/pingshan-tongzhen', 200);
    expectNothingPrivate(tongzhen.text);
    expect(tongzhen.text).to.not.include('152000'); // the unconfirmed manual Douyin figure
  });

  it('answers 404 alike for unknown, suspended, applicant and withdrawn slugs', async function () {
    const hidden = await CreatorModel.find({ displayName: { $in: hiddenNames } }, { slug: 1 }).lean();
    expect(hidden).to.have.length(hiddenNames.length);
    for (const slug of ['no-such-member', withdrawnSlug, 'BAD%24slug', ...hidden.map((c) => c.slug)]) {
      const res = await call(`/api/v1/members/${slug}`, 404);
      expect(res.body).to.deep.equal({ error: { code: 'not_found', message: 'Not found.' } });
    }
    // an unknown API path: the same JSON error (it is not in the document, so not validated)
    const unknown = await api('/api/v1/nothing-here');
    expect(unknown.status).to.equal(404);
    expect(unknown.body).to.deep.equal({ error: { code: 'not_found', message: 'Not found.' } });
  });

  it('totals the district by platform, street and category', async function () {
    const res = await call('/api/v1/stats', 200);
    const data = (res.body as { data: { totals: { members: number }; byStreet: Record<string, unknown> } })
      .data;
    expect(data.totals.members).to.equal(4);
    expect(Object.keys(data.byStreet)).to.not.include('shijing'); // 李高兴 withdrew; 石井跑团 is suspended
  });

  it('answers bad parameters with 400 and a JSON error, never a 500', async function () {
    const bad = [
      '/api/v1/members?platform=myspace',
      '/api/v1/members?street=atlantis',
      '/api/v1/members?category=%24ne',
      '/api/v1/members?q=a&q=b',
      '/api/v1/members?sort=%24natural',
      '/api/v1/members?page=0',
      '/api/v1/members?perPage=1000',
      `/api/v1/members?q=${'x'.repeat(300)}`,
    ];
    for (const url of bad) {
      const res = await call(url, 400);
      expect((res.body as { error: { code: string } }).error.code, url).to.equal('invalid_parameter');
    }
    // brackets are not parsed into objects: an unknown parameter, ignored
    await call('/api/v1/members?q[$ne]=x', 200);
    const past = await call('/api/v1/members?page=50', 404);
    expect((past.body as { error: { code: string } }).error.code).to.equal('page_out_of_range');
  });

  it('sends ETag and Cache-Control, and 304 when the ETag matches', async function () {
    const first = await call('/api/v1/members', 200);
    expect(first.headers.etag).to.be.a('string');
    expect(first.headers['cache-control']).to.equal('public, max-age=60');
    expect(first.headers['set-cookie']).to.equal(undefined);
    const again = await call('/api/v1/members', 304, { 'If-None-Match': first.headers.etag as string });
    expect(again.text).to.equal('');
    const stats = await call('/api/v1/stats', 200);
    await call('/api/v1/stats', 304, { 'If-None-Match': stats.headers.etag as string });
    const member = await call('/api/v1/members/in-pingshan', 200);
    await call('/api/v1/members/in-pingshan', 304, { 'If-None-Match': member.headers.etag as string });
  });

  it('allows GET from any origin (CORS), refuses other methods and other media types', async function () {
    const res = await call('/api/v1/members', 200, { Origin: 'https://example.net' });
    expect(res.headers['access-control-allow-origin']).to.equal('*');
    const preflight = await portal
      .agent()
      .options('/api/v1/members')
      .set('Origin', 'https://example.net')
      .set('Access-Control-Request-Method', 'GET');
    expect(preflight.status).to.equal(204);
    expect(preflight.headers['access-control-allow-methods']).to.equal('GET,HEAD');
    const post = await portal.agent().post('/api/v1/members').send({});
    expect(post.status).to.equal(405);
    expect(post.body).to.have.nested.property('error.code', 'method_not_allowed');
    const xml = await call('/api/v1/members', 406, { Accept: 'application/xml' });
    expect((xml.body as { error: { code: string } }).error.code).to.equal('not_acceptable');
    const html = await call('/api/v1/stats', 406, { Accept: 'text/html' });
    expect(html.headers['content-type']).to.match(/^application\/json/);
  });

  it('limits requests per address (429 with a JSON error)', async function () {
    let limited: Response | undefined;
    for (let i = 0; i < 200 && !limited; i++) {
      const res = await api('/api/v1/openapi.json');
      if (res.status === 429) limited = res;
    }
    expect(limited, 'a 429 within 200 requests (limit 150 a minute)').to.not.equal(undefined);
    conforms(limited!, '/api/v1/openapi.json');
    expect(limited!.body).to.deep.equal({
      error: {
        code: 'too_many_requests',
        message: 'Too many requests from your address; please wait a minute.',
      },
    });
  });

  after(function () {
    // every response checked above really went through the validator
    expect(checked).to.be.greaterThan(20);
  });
});
