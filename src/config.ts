// The only module that reads process.env. Every setting is validated here at boot, so a wrong
// value stops the process with a message that names it instead of failing later in a handler.
import { z } from 'zod';

const lanes = ['uri', 'embedded', 'offline'] as const;
export type DatabaseLane = (typeof lanes)[number];

const emptyAsUndefined = (value: unknown): unknown => (value === '' ? undefined : value);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** A real MongoDB (production: a replica set). Set: lane 1. */
  MONGODB_URI: z.preprocess(emptyAsUndefined, z.string().startsWith('mongodb').optional()),
  /** Forces a lane instead of resolving uri → embedded → offline. */
  MONGO_LANE: z.preprocess(emptyAsUndefined, z.enum(lanes).optional()),
  /** Database name used by the embedded and offline lanes (lane 1 takes it from the URI). */
  MONGO_DB_NAME: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/).default('lighthouse'),
  /** Where the embedded mongod keeps its files. */
  MONGO_DATA_DIR: z.string().min(1).default('./data'),
  /** Allow mongodb-memory-server to download a mongod binary (never in CI, never by default). */
  MONGO_EMBEDDED_DOWNLOAD: z.preprocess(emptyAsUndefined, z.enum(['0', '1']).default('0')),
  /** A mongod binary for the embedded lane (mongodb-memory-server's own variable). */
  MONGOMS_SYSTEM_BINARY: z.preprocess(emptyAsUndefined, z.string().optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof schema>;

export interface DatabaseConfig {
  uri: string | undefined;
  lane: DatabaseLane | undefined;
  dbName: string;
  dataDir: string;
  allowDownload: boolean;
  systemBinary: string | undefined;
}

export interface Config {
  env: Env['NODE_ENV'];
  isProduction: boolean;
  logLevel: Env['LOG_LEVEL'];
  database: DatabaseConfig;
}

export class ConfigError extends Error {}

/** Validates an environment (process.env by default) into a typed Config, or throws ConfigError naming each bad setting. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const env = parsed.data;
  return {
    env: env.NODE_ENV,
    isProduction: env.NODE_ENV === 'production',
    logLevel: env.LOG_LEVEL,
    database: {
      uri: env.MONGODB_URI,
      lane: env.MONGO_LANE,
      dbName: env.MONGO_DB_NAME,
      dataDir: env.MONGO_DATA_DIR,
      allowDownload: env.MONGO_EMBEDDED_DOWNLOAD === '1',
      systemBinary: env.MONGOMS_SYSTEM_BINARY,
    },
  };
}
