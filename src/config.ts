// The only module that reads process.env. Every setting is validated here at boot, so a wrong
// value stops the process with a message that names it instead of failing later in a handler.
import { randomBytes } from 'node:crypto';
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
  MONGO_DB_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/)
    .default('lighthouse'),
  /** Where the embedded mongod keeps its files. */
  MONGO_DATA_DIR: z.string().min(1).default('./data'),
  /** Allow mongodb-memory-server to download a mongod binary (never in CI, never by default). */
  MONGO_EMBEDDED_DOWNLOAD: z.preprocess(emptyAsUndefined, z.enum(['0', '1']).default('0')),
  /** A mongod binary for the embedded lane (mongodb-memory-server's own variable). */
  MONGOMS_SYSTEM_BINARY: z.preprocess(emptyAsUndefined, z.string().optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** pretty: one readable line per entry (default in development); json: one JSON object per line (elsewhere). */
  LOG_FORMAT: z.preprocess(emptyAsUndefined, z.enum(['pretty', 'json']).optional()),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Signs the session cookie; at least 32 characters. Generated per process in development. */
  SESSION_SECRET: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  /** Trust X-Forwarded-* from this many proxies in front of the portal (0 = none). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  DEFAULT_LANGUAGE: z.enum(['zh-CN', 'zh-TW', 'en']).default('zh-CN'),
  /** Failed sign-ins before an account is locked, and for how long. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /** Requests per IP per 15 minutes to sign-in, registration and password routes. */
  AUTH_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(30),
  /** Registrations per IP per hour (successful or not). */
  REGISTER_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Load the demo district at start (default: only in the offline lane, whose data is in memory). */
  SEED_DEMO: z.preprocess(emptyAsUndefined, z.enum(['0', '1']).optional()),
  /** Platform credentials for the stats puller (optional until the puller needs them). */
  YOUTUBE_API_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  X_BEARER_TOKEN: z.preprocess(emptyAsUndefined, z.string().optional()),
  /** Stats puller: minutes between runs, requests per minute per platform, request timeout. */
  PULLER_INTERVAL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(360),
  PULLER_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(600).default(20),
  PULLER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
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

export type Language = Env['DEFAULT_LANGUAGE'];

export interface Config {
  env: Env['NODE_ENV'];
  isProduction: boolean;
  logLevel: Env['LOG_LEVEL'];
  logFormat: 'pretty' | 'json';
  host: string;
  port: number;
  sessionSecret: string;
  trustProxyHops: number;
  defaultLanguage: Language;
  login: { maxFailures: number; lockMinutes: number; rateLimit: number; registrationsPerHour: number };
  seedDemo: boolean | undefined;
  platforms: { youtubeApiKey: string | undefined; xBearerToken: string | undefined };
  puller: { intervalMinutes: number; ratePerMinute: number; timeoutMs: number };
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
  const isProduction = env.NODE_ENV === 'production';
  if (isProduction && !env.SESSION_SECRET) {
    throw new ConfigError(
      'Invalid configuration:\n  SESSION_SECRET: required in production (at least 32 characters)',
    );
  }
  if (isProduction && env.SEED_DEMO === '1') {
    // The demo district's log-ins share a published password: never in a real database.
    throw new ConfigError(
      'Invalid configuration:\n  SEED_DEMO: the demo district cannot be loaded in production',
    );
  }
  return {
    env: env.NODE_ENV,
    isProduction,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT ?? (env.NODE_ENV === 'development' ? 'pretty' : 'json'),
    host: env.HOST,
    port: env.PORT,
    // Development may run without a secret: sessions then last as long as the process.
    sessionSecret: env.SESSION_SECRET ?? randomBytes(32).toString('hex'),
    trustProxyHops: env.TRUST_PROXY_HOPS,
    defaultLanguage: env.DEFAULT_LANGUAGE,
    login: {
      maxFailures: env.LOGIN_MAX_FAILURES,
      lockMinutes: env.LOGIN_LOCK_MINUTES,
      rateLimit: env.AUTH_RATE_LIMIT,
      registrationsPerHour: env.REGISTER_RATE_LIMIT,
    },
    seedDemo: env.SEED_DEMO === undefined ? undefined : env.SEED_DEMO === '1',
    platforms: { youtubeApiKey: env.YOUTUBE_API_KEY, xBearerToken: env.X_BEARER_TOKEN },
    puller: {
      intervalMinutes: env.PULLER_INTERVAL_MINUTES,
      ratePerMinute: env.PULLER_RATE_PER_MINUTE,
      timeoutMs: env.PULLER_TIMEOUT_MS,
    },
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
