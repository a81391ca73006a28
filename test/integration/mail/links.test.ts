// Mail composed while the portal starts (the demo district's first notification, queued by a
// start-up hook before the portal listens) links to the address the portal then listens on,
// rather than a relative link that no mail client can open, when PUBLIC_URL is not set.
import { createServer } from 'node:net';
import { expect } from 'chai';
import { loadConfig } from '../../../src/config.js';
import { mailLink } from '../../../src/features/mail/service.js';
import { type Portal, startPortal } from '../../../src/portal.js';
import { startTestDatabase, type TestDatabase } from '../../support/database.js';
import { testEnv } from '../../support/app.js';

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('mail links during start-up', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  before(async function () {
    db = await startTestDatabase();
  });
  after(async function () {
    await db.stop();
  });

  async function linkDuringStartUp(env: NodeJS.ProcessEnv): Promise<{ link: string; portal: Portal }> {
    let link = '';
    const portal = await startPortal({
      config: loadConfig(testEnv(db, env)),
      lane: db,
      hooks: [
        {
          name: 'compose a mail',
          start: () => {
            link = mailLink('/me/notifications');
            return Promise.resolve();
          },
        },
      ],
    });
    return { link, portal };
  }

  it('are absolute, to the fixed PORT the portal is about to listen on', async function () {
    const port = await freePort();
    const { link, portal } = await linkDuringStartUp({ PORT: String(port) });
    try {
      expect(link).to.equal(`http://127.0.0.1:${port}/me/notifications`);
      expect(portal.url).to.equal(`http://127.0.0.1:${port}`);
    } finally {
      await portal.stop();
    }
  });

  it('follow PUBLIC_URL when it is set', async function () {
    const port = await freePort();
    const { link, portal } = await linkDuringStartUp({
      PORT: String(port),
      PUBLIC_URL: 'https://lighthouse.example.gov.cn',
    });
    try {
      expect(link).to.equal('https://lighthouse.example.gov.cn/me/notifications');
    } finally {
      await portal.stop();
    }
  });
});
