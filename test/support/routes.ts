// Every route of the running app, read from Express's router at runtime, so that the quality
// suites (authorization matrix, bad-input corpus) cover a route as soon as it is mounted.
//
//   listRoutes(portal.app)  →  [{ method: 'GET', path: '/me/accounts/:accountId', key: 'GET /me/accounts/:accountId' }, …]
//
// Express 5 (router 2): app.router.stack holds layers; a mounted router's layer keeps its mount
// path in `rawPath` ('/me' for app.use('/me', guard, router)), and a route's layer has `route`.
import type { Express } from 'express';

export interface AppRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The full path with its parameters, e.g. /office/applications/:id. */
  path: string;
  /** `${method} ${path}`: the key of the matrix table. */
  key: string;
}

interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

function join(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

function walk(stack: Layer[], prefix: string, out: AppRoute[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = ([] as unknown[]).concat(layer.route.path);
      for (const path of paths) {
        for (const method of Object.keys(layer.route.methods)) {
          if (method === '_all') continue;
          const upper = method.toUpperCase() as AppRoute['method'];
          const full = join(prefix, String(path));
          out.push({ method: upper, path: full, key: `${upper} ${full}` });
        }
      }
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === 'string' ? layer.rawPath : '/';
      walk(layer.handle.stack, join(prefix, mount), out);
    }
  }
}

/** The app's routes, in mounting order, without duplicates. */
export function listRoutes(app: Express): AppRoute[] {
  const router = (app as unknown as { router: { stack: Layer[] } }).router;
  const routes: AppRoute[] = [];
  walk(router.stack, '', routes);
  const seen = new Set<string>();
  return routes.filter((route) => !seen.has(route.key) && seen.add(route.key));
}
