// A browser as seen by a production portal behind a TLS proxy: every request says
// `X-Forwarded-Proto: https` (the portal runs with TRUST_PROXY_HOPS=1), and cookies are kept by
// hand, because supertest's own jar does not send Secure cookies over the test's plain HTTP.
//
//   const browser = secureBrowser(portal.url);
//   const form = await browser.get('/login');
//   await browser.post('/login', { _csrf: csrfFrom(form.text), email, password });
//   browser.cookieNames()   // ['__Host-lh.csrf', '__Host-lh.sid', …]
import request from 'supertest';
import type { Response } from './app.js';

export interface SecureBrowser {
  get(path: string): Promise<Response>;
  post(path: string, fields: Record<string, string>): Promise<Response>;
  cookieNames(): string[];
  /** The Cookie header this browser sends (for a load generator that signs in through it). */
  cookieHeader(): string;
}

export function secureBrowser(url: string): SecureBrowser {
  const jar = new Map<string, string>();
  const keep = (res: Response): Response => {
    for (const line of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
  const cookieHeader = (): string => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  return {
    get: async (path) =>
      keep(await request(url).get(path).set('X-Forwarded-Proto', 'https').set('Cookie', cookieHeader())),
    post: async (path, fields) =>
      keep(
        await request(url)
          .post(path)
          .set('X-Forwarded-Proto', 'https')
          .set('Cookie', cookieHeader())
          .type('form')
          .send(fields),
      ),
    cookieNames: () => [...jar.keys()],
    cookieHeader,
  };
}
