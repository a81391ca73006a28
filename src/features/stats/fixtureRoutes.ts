// The fixture server's routes: routes.json (copied from the shared research) plus the project's
// routes.local.json, loaded once, and the rule that says whether a request is a route's scenario.
// A route's `match` is "path?query#body": every query and body field the route names must be in
// the request with that value (extra fields, such as an API key, are ignored; a comma list such as
// `part=snippet,statistics` matches when it contains the route's items).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));

const routeSchema = z.object({
  platform: z.string().min(1),
  scenario: z.string().min(1),
  method: z.enum(['GET', 'POST']),
  match: z.string().startsWith('/'),
  status: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.string()),
  body: z.string().nullable(),
});

export interface FixtureRoute extends z.infer<typeof routeSchema> {
  path: string;
  query: URLSearchParams;
  bodyFields: URLSearchParams;
  /** The body file's bytes (empty for `body: null`). */
  content: Buffer;
}

/** What the server knows of one incoming request, with the platform prefix removed from the path. */
export interface FixtureRequestShape {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Form fields, or a JSON body's leaves by key (`variables.userId` → `userId`). */
  bodyFields: Map<string, string>;
}

function loadRouteFile(name: string): FixtureRoute[] {
  const parsed = z.array(routeSchema).parse(JSON.parse(readFileSync(`${fixturesDir}${name}`, 'utf8')));
  return parsed.map((route) => {
    const [target = '', body = ''] = route.match.split('#');
    const url = new URL(target, 'http://fixture.invalid');
    return {
      ...route,
      path: url.pathname,
      query: url.searchParams,
      bodyFields: new URLSearchParams(body),
      content: route.body === null ? Buffer.alloc(0) : readFileSync(`${fixturesDir}${route.body}`),
    };
  });
}

let cache: FixtureRoute[] | undefined;

/** Every route, research routes first, each with its body loaded. */
export function loadFixtureRoutes(): FixtureRoute[] {
  cache ??= [...loadRouteFile('routes.json'), ...loadRouteFile('routes.local.json')];
  return cache;
}

/** The parsed body of one fixture file (for synthetic answers built from a platform's own shape). */
export function readFixtureJson(file: string): unknown {
  return JSON.parse(readFileSync(`${fixturesDir}${file}`, 'utf8'));
}

function valueMatches(expected: string, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  if (actual === expected) return true;
  const wanted = expected.split(',');
  const given = new Set(actual.split(','));
  return wanted.length > 1 || given.size > 1 ? wanted.every((item) => given.has(item)) : false;
}

export function routeMatches(route: FixtureRoute, request: FixtureRequestShape): boolean {
  if (route.method !== request.method || route.path !== request.path) return false;
  for (const [key, value] of route.query) {
    if (!valueMatches(value, request.query.get(key) ?? undefined)) return false;
  }
  for (const [key, value] of route.bodyFields) {
    if (request.bodyFields.get(key) !== value) return false;
  }
  return true;
}

/** Flattens a JSON body's leaves by their own key, so `{"variables":{"userId":"x"}}` gives userId=x. */
export function bodyFieldsOf(contentType: string, body: string): Map<string, string> {
  const fields = new Map<string, string>();
  if (contentType.includes('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(body)) fields.set(key, value);
    return fields;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return fields;
  }
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'string' || typeof value === 'number') fields.set(key, String(value));
      else walk(value);
    }
  };
  walk(parsed);
  return fields;
}
