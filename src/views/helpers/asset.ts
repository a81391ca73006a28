// {{asset "css/site.css"}} → /css/site.3f2a9c1b7e.css: a static file's address with its content
// hash, cached by browsers for a year (features/web/assets.ts).
import type { AssetManifest } from '../../features/web/assets.js';

export function assetHelper(manifest: AssetManifest): (file: unknown) => string {
  return (file) => (typeof file === 'string' ? manifest.url(file) : '');
}
