// rate-limit-mongo ships no types: the part of its API this project uses (a legacy
// express-rate-limit store, callback style, with its own MongoDB client).
declare module 'rate-limit-mongo' {
  import type { LegacyStore } from 'express-rate-limit';

  interface MongoStoreOptions {
    uri: string;
    collectionName?: string;
    /** Should equal the limiter's windowMs: a counter document expires after it. */
    expireTimeMs?: number;
    errorHandler?: (error: unknown) => void;
    createTtlIndex?: boolean;
    connectionOptions?: Record<string, unknown>;
  }

  class MongoStore implements LegacyStore {
    constructor(options: MongoStoreOptions);
    /** Set once the store has connected (on its first use). */
    client?: { close(): Promise<void> };
    incr: LegacyStore['incr'];
    decrement: LegacyStore['decrement'];
    resetKey: LegacyStore['resetKey'];
  }
  export default MongoStore;
}
