// Fingerprinted static files: {{asset "css/site.css"}} writes /css/site.3f2a9c1b7e.css, the file's
// content hash in its name, so the browser may keep it for a year (immutable) and a changed file
// gets a new address. An address with an old hash still answers with the current file, cached as
// a plain file is (pages cached before a deploy keep their styles). In development the hash follows the
// file as it is edited; in production each file is hashed once.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';

export const immutableCacheControl = 'public, max-age=31536000, immutable';
const hashLength = 10;
const hashedName = new RegExp(`^(.+)\\.([0-9a-f]{${hashLength}})(\\.[A-Za-z0-9]+)$`);

interface Fingerprint {
  hash: string;
  mtimeMs: number;
  size: number;
}

export class AssetManifest {
  private readonly fingerprints = new Map<string, Fingerprint | null>();

  constructor(
    readonly directory: string,
    /** Re-hash a file when it changes (development). */
    private readonly watch: boolean,
  ) {}

  /** The content hash of a file under the public directory, or undefined if there is none. */
  hashOf(file: string): string | undefined {
    const relative = path.posix.normalize(file.replace(/^\/+/, ''));
    if (relative.startsWith('..')) return undefined;
    const known = this.fingerprints.get(relative);
    if (known !== undefined && !this.watch) return known?.hash;
    const absolute = path.join(this.directory, relative);
    let stat;
    try {
      stat = statSync(absolute);
    } catch {
      this.fingerprints.set(relative, null);
      return undefined;
    }
    if (!stat.isFile()) return undefined;
    if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return known.hash;
    const hash = createHash('sha256').update(readFileSync(absolute)).digest('hex').slice(0, hashLength);
    this.fingerprints.set(relative, { hash, mtimeMs: stat.mtimeMs, size: stat.size });
    return hash;
  }

  /** /css/site.css → /css/site.<hash>.css (unchanged if the file is not there). */
  url(file: string): string {
    const relative = file.replace(/^\/+/, '');
    const hash = this.hashOf(relative);
    if (!hash) return `/${relative}`;
    const extension = path.posix.extname(relative);
    return `/${relative.slice(0, relative.length - extension.length)}.${hash}${extension}`;
  }
}

/**
 * The public directory: fingerprinted names (immutable for a year when the hash is current) and
 * plain names (`plainMaxAge`, e.g. the favicon a browser asks for by itself). Only addresses
 * with an extension are looked for on disk (a file without one would not be served).
 */
export function staticFiles(manifest: AssetManifest, plainMaxAge: string | number): RequestHandler[] {
  const current = new WeakSet<object>();
  const fingerprinted: RequestHandler = (req, res, next) => {
    const match = hashedName.exec(req.path);
    if (match && (req.method === 'GET' || req.method === 'HEAD')) {
      const [, stem = '', hash, extension = ''] = match;
      const plain = `${stem}${extension}`;
      const currentHash = manifest.hashOf(plain);
      if (currentHash !== undefined) {
        if (currentHash === hash) current.add(res);
        req.url = plain + (req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '');
      }
    }
    next();
  };
  const serve = express.static(manifest.directory, {
    index: false,
    maxAge: plainMaxAge,
    setHeaders: (res) => {
      if (current.has(res)) res.setHeader('Cache-Control', immutableCacheControl);
    },
  });
  // Every file under public/ has an extension, and no page address does: a page request goes on
  // to its route without a look at the disk (express.static stats the file first).
  const filesOnly: RequestHandler = (req, res, next) => {
    if (path.posix.extname(req.path) === '') return next();
    return serve(req, res, next);
  };
  return [fingerprinted, filesOnly];
}
