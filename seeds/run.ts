// npm run seed: loads the demo district into the configured database (MONGODB_URI or the
// embedded mongod) and prints the demo log-ins. The offline lane seeds itself at start.
import mongoose from 'mongoose';
import { loadConfig } from '../src/config.js';
import { connectMongoose, ensureIndexes, openDatabaseLane } from '../src/db/connection.js';
import { createLogger } from '../src/logger.js';
import { seedDemoDistrict } from './demo.js';

const config = loadConfig();
if (config.isProduction) {
  console.error(
    'npm run seed loads demo log-ins with a published password: refused with NODE_ENV=production.',
  );
  process.exit(1);
}
const logger = createLogger(config);
const lane = await openDatabaseLane(config, logger);
if (lane.inMemory) {
  console.log('The offline lane keeps data in memory: `npm start` loads the demo district itself.');
}
await connectMongoose(lane);
await ensureIndexes();
const summary = await seedDemoDistrict();
console.log(`Demo district: ${summary.created} user(s) created, ${summary.existing} already there.`);
console.log(`Demo log-ins (password: ${summary.password}):`);
for (const login of summary.logins) console.log(`  ${login.role.padEnd(8)} ${login.email}`);
await mongoose.disconnect();
await lane.stop();
