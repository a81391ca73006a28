// A local stand-in for the platforms, so the puller runs end to end with no platform contacted:
// each platform lives under its own prefix (`http://127.0.0.1:PORT/bilibili` is Bilibili's base
// URL) and answers every scenario of routes.json from the project's fixtures. The id in a request
// picks the scenario; an id containing a fault token (fault-503, fault-slow-2000, fault-malformed,
// fault-html, fault-empty, fault-huge, fault-reset) gets that fault on any platform, and force()
// applies a fault to every request of one platform. Unknown ids get a synthetic success.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  bodyFieldsOf,
  type FixtureRequestShape,
  type FixtureRoute,
  loadFixtureRoutes,
  routeMatches,
} from './fixtureRoutes.js';
import { synthesize, youtubeItem } from './fixtureSynth.js';

export interface FixtureServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Simulated latency per answer, uniformly between min and max milliseconds. */
  latencyMs?: { min: number; max: number };
  /** Ids no route names: a synthetic success (default) or a plain 404. */
  unknownIds?: 'synthesize' | 'not_found';
}

export interface FixtureRequestRecord {
  platform: string;
  method: string;
  /** Path and query without the platform prefix. */
  url: string;
  /** performance.now() when the request arrived, to measure gaps between requests. */
  at: number;
}

export interface FixtureServer {
  /** e.g. http://127.0.0.1:4010 (no trailing slash). */
  url: string;
  /** The base URL an adapter for this platform is given. */
  baseUrl(platform: string): string;
  /** Every request received, oldest first. */
  readonly requests: FixtureRequestRecord[];
  /** A fault for every request of a platform (undefined clears it). */
  force(platform: string, fault: string | undefined): void;
  close(): Promise<void>;
}

const faultPattern = /fault-(\d{3}|slow-\d{1,6}|malformed|html|empty|huge|reset)/;
const maxRequestBody = 64 * 1024;
// Larger than any cap the puller sets (1 MB by default), so the cap is what stops it.
const hugeBodyBytes = 3 * 1024 * 1024;

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

const json = (status: number, body: unknown): Answer => ({
  status,
  headers: { 'Content-Type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});

const fromRoute = (route: FixtureRoute): Answer => ({
  status: route.status,
  headers: route.headers,
  body: route.content,
});

function faultAnswer(fault: string): Answer | 'reset' | undefined {
  if (/^\d{3}$/.test(fault)) return json(Number(fault), { error: `fixture fault ${fault}` });
  switch (fault) {
    case 'malformed':
      return { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"code":0,"data":{"fol' };
    case 'html':
      return {
        status: 200,
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
        body: '<!DOCTYPE html><html><body>请登录 / please sign in</body></html>',
      };
    case 'empty':
      return { status: 200, headers: { 'Content-Type': 'application/json' }, body: '' };
    case 'huge':
      return json(200, { code: 0, padding: 'x'.repeat(hugeBodyBytes) });
    case 'reset':
      return 'reset';
    default:
      return undefined;
  }
}

/** channels.list with several ids: one answer assembled from each id's own scenario. */
function youtubeBatch(routes: FixtureRoute[], shape: FixtureRequestShape, synth: boolean): Answer {
  const ids = (shape.query.get('id') ?? '').split(',').filter(Boolean);
  const items: unknown[] = [];
  for (const id of ids) {
    const single = new URLSearchParams(shape.query);
    single.set('id', id);
    const route = routes.find((candidate) => routeMatches(candidate, { ...shape, query: single }));
    // An error scenario (quota, bad key) fails the whole call, as the API does.
    if (route && route.status !== 200) return fromRoute(route);
    if (route) {
      const body = JSON.parse(route.content.toString('utf8')) as { items?: unknown[] };
      items.push(...(body.items ?? []));
    } else if (synth) items.push(youtubeItem(id));
  }
  const page = { totalResults: items.length, resultsPerPage: 50 };
  return json(200, {
    kind: 'youtube#channelListResponse',
    etag: 'fixture',
    pageInfo: page,
    ...(items.length ? { items } : {}),
  });
}

function answerFor(platform: string, shape: FixtureRequestShape, synth: boolean): Answer {
  const routes = loadFixtureRoutes().filter((route) => route.platform === platform);
  const route = routes.find((candidate) => routeMatches(candidate, shape));
  // A single recorded channel is served verbatim; several ids are assembled into one answer.
  const ids = platform === 'youtube' && shape.path === '/youtube/v3/channels' ? shape.query.get('id') : null;
  if (ids && (ids.includes(',') || !route)) return youtubeBatch(routes, shape, synth);
  if (route) return fromRoute(route);
  const body = synth ? synthesize(platform, shape) : undefined;
  return body ? json(200, body) : json(404, { error: 'no fixture for this request' });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxRequestBody) break;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the fixture server on loopback. */
export async function startFixtureServer(options: FixtureServerOptions = {}): Promise<FixtureServer> {
  const requests: FixtureRequestRecord[] = [];
  const forced = new Map<string, string>();
  const synth = (options.unknownIds ?? 'synthesize') === 'synthesize';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.now();
    const url = new URL(req.url ?? '/', 'http://fixture.invalid');
    const [, platform = '', ...rest] = url.pathname.split('/');
    const path = `/${rest.join('/')}`;
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    requests.push({ platform, method, url: `${path}${url.search}`, at });

    const shape: FixtureRequestShape = {
      method,
      path,
      query: url.searchParams,
      bodyFields: bodyFieldsOf(req.headers['content-type'] ?? '', body),
    };
    const fault = forced.get(platform) ?? faultPattern.exec(decodeURIComponent(url.href) + body)?.[1];
    if (options.latencyMs) {
      const { min, max } = options.latencyMs;
      await sleep(min + Math.random() * Math.max(0, max - min));
    }
    if (fault?.startsWith('slow-')) await sleep(Number(fault.slice(5)));
    const faulty = fault && !fault.startsWith('slow-') ? faultAnswer(fault) : undefined;
    if (faulty === 'reset') {
      req.socket.destroy();
      return;
    }
    const answer = faulty ?? answerFor(platform, shape, synth);
    if (res.destroyed) return;
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  // Slow scenarios outlive a client's timeout; closing must not wait for them.
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const address = server.address() as AddressInfo;
  const url = `http://${address.address}:${address.port}`;
  return {
    url,
    baseUrl: (platform) => `${url}/${platform}`,
    requests,
    force: (platform, fault) => (fault === undefined ? forced.delete(platform) : forced.set(platform, fault)),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
