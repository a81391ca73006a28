// Cookie names and options shared by the session, CSRF and device cookies. In production (behind
// TLS) every cookie is Secure and carries the `__Host-` prefix: the browser then only accepts it
// from this exact host, over HTTPS, for path "/", so a sibling subdomain cannot plant one.
import type { CookieOptions } from 'express';

export function cookieName(base: string, secure: boolean): string {
  return secure ? `__Host-${base}` : base;
}

export function cookieOptions(secure: boolean, maxAge: number): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge };
}
