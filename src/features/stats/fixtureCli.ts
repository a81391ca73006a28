// npm run stats:fixtures [-- --port 4010 --latency 50-200]: the fixture server on its own, for
// development (every platform's base URL points here outside production) and the benchmark.
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { startFixtureServer } from './fixtureServer.js';
import { automaticPlatforms } from './outcomes.js';

const { values } = parseArgs({
  options: { port: { type: 'string' }, latency: { type: 'string' } },
});
const config = loadConfig();
const port = values.port === undefined ? config.puller.fixturePort : Number(values.port);
const latency = /^(\d+)-(\d+)$/.exec(values.latency ?? '');
if (!Number.isInteger(port) || port < 0 || port > 65535 || (values.latency && !latency)) {
  console.error('usage: npm run stats:fixtures -- [--port 4010] [--latency 50-200]');
  process.exit(2);
}
const server = await startFixtureServer({
  port,
  ...(latency ? { latencyMs: { min: Number(latency[1]), max: Number(latency[2]) } } : {}),
});
console.log(`Stats fixture server on ${server.url}`);
for (const platform of automaticPlatforms) console.log(`  ${platform.padEnd(9)} ${server.baseUrl(platform)}`);
const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
