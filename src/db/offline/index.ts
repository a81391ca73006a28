// The offline MongoDB lane's public entry: the only module of src/db/offline that code outside it
// may import (eslint.config.js enforces this), and only src/db/connection.ts and tests do.
export { OfflineMongoServer, type OfflineLogger, type OfflineServerOptions } from './server.js';
// Tests compare the compiled aggregation stages with mingo's own (docs/offline-lane.md).
export { useCompiledStages } from './compiledStages.js';
