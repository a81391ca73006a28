// The Handlebars view engine: layouts, partials and one helper per file under ./helpers.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import { engine } from 'express-handlebars';
import { AssetManifest } from '../features/web/assets.js';
import { assetHelper } from './helpers/asset.js';
import { csrfToken } from './helpers/csrfToken.js';
import { eq } from './helpers/eq.js';
import { fieldError } from './helpers/fieldError.js';
import { formatDate } from './helpers/formatDate.js';
import { t } from './helpers/t.js';
import { urlEncode } from './helpers/urlEncode.js';

/** The project root (where package.json is), from src/ under tsx and from dist/src/ when built. */
function findProjectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the project root (package.json)');
    dir = parent;
  }
  return dir;
}

export const projectRoot = findProjectRoot();
export const viewsDir = path.join(projectRoot, 'views');
export const publicDir = path.join(projectRoot, 'public');

/** `assets` fingerprints static files for {{asset "…"}} (default: hashed once if `cache`, else on change). */
export function useViews(app: Express, cache: boolean, assets = new AssetManifest(publicDir, !cache)): void {
  const render = engine({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: path.join(viewsDir, 'layouts'),
    partialsDir: path.join(viewsDir, 'partials'),
    helpers: { t, eq, fieldError, formatDate, urlEncode, csrfToken, asset: assetHelper(assets) },
  });
  // express-handlebars returns a promise; Express wants a callback-style engine.
  app.engine('hbs', (file, options, callback) => void render(file, options, callback));
  app.set('view engine', 'hbs');
  app.set('views', viewsDir);
  if (cache) app.enable('view cache');
}
