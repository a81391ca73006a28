// Fingerprinted addresses follow a file's content: a new hash when the file changes (development
// re-hashes on change; production hashes each file once), the plain address for a missing file.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { AssetManifest } from '../../../../src/features/web/assets.js';

describe('web: fingerprinted asset addresses', function () {
  let directory: string;
  beforeEach(function () {
    directory = mkdtempSync(path.join(tmpdir(), 'lh-assets-'));
    writeFileSync(path.join(directory, 'site.css'), 'body { color: black; }');
  });
  afterEach(function () {
    rmSync(directory, { recursive: true, force: true });
  });

  const edit = (content: string): void => {
    const file = path.join(directory, 'site.css');
    writeFileSync(file, content);
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
  };

  it('puts the content hash in the name, and a new one when the content changes (watching)', function () {
    const manifest = new AssetManifest(directory, true);
    const first = manifest.url('site.css');
    expect(first).to.match(/^\/site\.[0-9a-f]{10}\.css$/);
    expect(manifest.url('/site.css')).to.equal(first);
    edit('body { color: navy; }');
    const second = manifest.url('site.css');
    expect(second).to.match(/^\/site\.[0-9a-f]{10}\.css$/);
    expect(second).to.not.equal(first);
  });

  it('hashes once when not watching (production), and leaves missing or outside files alone', function () {
    const manifest = new AssetManifest(directory, false);
    const first = manifest.url('site.css');
    edit('body { color: navy; }');
    expect(manifest.url('site.css')).to.equal(first);
    expect(manifest.url('missing.css')).to.equal('/missing.css');
    expect(manifest.hashOf('../etc/passwd')).to.equal(undefined);
  });
});
