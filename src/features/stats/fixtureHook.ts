// The fixture server inside the portal (development, `npm start`): started before the scheduler,
// so the recurring pull and "refresh now" reach it from the first run, and stopped after the
// scheduler in the graceful shutdown. Only the platforms whose base URL was left to its default
// are pointed at it; one given a base URL of its own keeps it. Never in production (config.ts).
import type { PortalHook } from '../../portal.js';
import { type FixtureServer, startFixtureServer } from './fixtureServer.js';
import { automaticPlatforms } from './outcomes.js';

export function fixtureServerHook(): PortalHook {
  let server: FixtureServer | undefined;
  return {
    name: 'stats fixture server',
    start: async ({ config, logger }) => {
      const { fixtureServer, platforms } = config.puller;
      if (!fixtureServer.inProcess) return;
      const served = automaticPlatforms.filter((platform) => platforms[platform].fixture);
      if (served.length === 0) return;
      server = await startFixtureServer({ port: fixtureServer.port, keepLog: false });
      // The clients are built from these settings at each run: the base URLs become the server's.
      for (const platform of served) platforms[platform].baseUrl = server.baseUrl(platform);
      logger.info({ url: server.url, platforms: served }, 'stats fixture server started (demo platforms)');
    },
    stop: async () => {
      await server?.close();
      server = undefined;
    },
  };
}
