// npm run db:offline -- --port 27017 [--host 127.0.0.1]
// Starts the offline MongoDB lane on its own and prints its URI, so mongosh, Compass or a driver
// script can be pointed at it. Data lives in this process's memory; Ctrl-C ends it. It stays on
// TCP because mongosh and Compass expect a port, and so it warns: the lane has no authentication.
// (The portal's own in-process lane listens on a private Unix socket instead.)
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { OfflineMongoServer } from './index.js';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '27017' }, host: { type: 'string', default: '127.0.0.1' } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number from 0 to 65535, not ${values.port}`);
  process.exit(2);
}

const server = new OfflineMongoServer({ logger: pino({ level: 'info' }) });
try {
  const uri = await server.start({ host: values.host, port });
  console.log(`Offline MongoDB lane (in memory) at ${uri}`);
  console.log(`  mongosh "${uri}/lighthouse"`);
  const reach = ['127.0.0.1', 'localhost', '::1'].includes(values.host)
    ? 'Any local user on this machine'
    : `Any local user on this machine, and anyone who can reach ${values.host},`;
  console.warn(
    `Warning: no authentication. ${reach} can read and write this database. Keep real data out of it.`,
  );
} catch (error) {
  console.error(`Cannot start the offline lane: ${(error as Error).message}`);
  process.exit(1);
}

const stop = (): void => {
  void server.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
