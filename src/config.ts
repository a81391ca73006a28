// The only module that reads process.env. Every setting is validated here at boot, so a wrong
// value stops the process with a message that names it instead of failing later in a handler.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const lanes = ['uri', 'embedded', 'offline'] as const;
export type DatabaseLane = (typeof lanes)[number];

const emptyAsUndefined = (value: unknown): unknown => (value === '' ? undefined : value);

/** Platforms the stats puller pulls, with the hosts it calls in production and only there. */
export const pulledPlatforms = {
  bilibili: 'https://api.bilibili.com',
  youtube: 'https://www.googleapis.com',
  x: 'https://api.x.com',
  weibo: 'https://m.weibo.cn',
  toutiao: 'https://www.toutiao.com',
} as const;
export type PulledPlatform = keyof typeof pulledPlatforms;
const pulledPlatformIds = Object.keys(pulledPlatforms) as PulledPlatform[];
const envKey = (platform: PulledPlatform, setting: string): string =>
  `PULLER_${platform.toUpperCase()}_${setting}`;

/** PULLER_<PLATFORM>_BASE_URL and PULLER_<PLATFORM>_MIN_INTERVAL_MS for each pulled platform. */
function platformSettings() {
  const settings: Record<string, z.ZodType> = {};
  for (const platform of pulledPlatformIds) {
    settings[envKey(platform, 'BASE_URL')] = z.preprocess(
      emptyAsUndefined,
      z.url({ protocol: /^https?$/ }).optional(),
    );
    settings[envKey(platform, 'MIN_INTERVAL_MS')] = z.preprocess(
      emptyAsUndefined,
      z.coerce.number().int().min(0).max(3_600_000).optional(),
    );
  }
  return settings;
}

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
  /** A signed-in session ends after this many minutes without a request… */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .default(8 * 60),
  /** …and in any case this many days after signing in. */
  SESSION_MAX_DAYS: z.coerce.number().int().min(1).max(90).default(14),
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
  /** Open-data API requests (/api/v1) per IP per minute. */
  API_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(120),
  /** Load the demo district at start (default: only in the offline lane, whose data is in memory). */
  SEED_DEMO: z.preprocess(emptyAsUndefined, z.enum(['0', '1']).optional()),
  /** Platform credentials for the stats puller (optional until the puller needs them). */
  YOUTUBE_API_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  X_BEARER_TOKEN: z.preprocess(emptyAsUndefined, z.string().optional()),
  /** Stats puller: minutes between runs (daily by default) and the request timeout. */
  PULLER_INTERVAL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(24 * 60),
  /** 0: this instance never schedules the recurring pull ("refresh now" still works). */
  PULLER_ENABLED: z.enum(['0', '1']).default('1'),
  /** Accounts read from the database per batch of a run. */
  PULLER_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(200),
  /** A run whose heartbeat is older than this is taken over by another instance (its process died). */
  PULLER_LOCK_SECONDS: z.coerce.number().int().min(1).max(3600).default(600),
  /** A creator's "refresh now" at most this often per account (officers are not limited). */
  PULLER_REFRESH_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
  PULLER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Minimum time between two requests to one platform, plus up to PULLER_JITTER_MS at random. */
  PULLER_MIN_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
  PULLER_JITTER_MS: z.coerce.number().int().min(0).max(3_600_000).default(2_000),
  /** Requests to one platform awaiting an answer at once; 1 (one after another) is what platforms tolerate. */
  PULLER_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(32).default(1),
  /** Retries of a transient failure (5xx, timeout, malformed answer), with exponential backoff. */
  PULLER_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  PULLER_BACKOFF_MS: z.coerce.number().int().min(1).max(600_000).default(2_000),
  PULLER_BACKOFF_MAX_MS: z.coerce.number().int().min(1).max(3_600_000).default(60_000),
  /** How long a platform is left alone after a ban or captcha answer before one trial request. */
  PULLER_BREAKER_COOLDOWN_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(24 * 60),
  /** Answers larger than this are refused (no platform answer for one profile comes near). */
  PULLER_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(1_000_000),
  PULLER_USER_AGENT: z
    .string()
    .min(1)
    .max(200)
    .default('LighthousePortal/0.1 (district creator registry; public follower counts)'),
  /**
   * Loopback port of the fixture server that development points at: the one `npm start` runs in
   * its own process (unset: a free port), or `npm run stats:fixtures` (unset: 4010).
   */
  PULLER_FIXTURE_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).optional()),
  /** 1: the portal serves the platforms' fixtures itself (default in development; never in production). */
  PULLER_FIXTURE_SERVER: z.preprocess(emptyAsUndefined, z.enum(['0', '1']).optional()),
  ...platformSettings(),
  /** Outgoing mail server, e.g. smtps://user:pass@smtp.example.org:465 (unset: outbox only, never in production). */
  SMTP_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL')
      .optional(),
  ),
  /** The From of every mail, e.g. "Lighthouse <no-reply@lighthouse.example.org>". */
  MAIL_FROM: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .max(254)
      // One line with an address in it: a newline here would be a header injection.
      .regex(
        /^[^\r\n]*[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/,
        'must be an address, e.g. Lighthouse <no-reply@example.org>',
      )
      .optional(),
  ),
  /** Where links in mails point, e.g. https://lighthouse.example.org (default: the listening address). */
  PUBLIC_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^https?:\/\/[^\s/]+$/, 'must be an origin such as https://lighthouse.example.org')
      .optional(),
  ),
  /** How long to wait for the SMTP server to accept the TCP connection. */
  SMTP_CONNECTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(10_000),
  /** How long to wait for the server's greeting once connected (a server that never answers). */
  SMTP_GREETING_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(10_000),
  /** How long the connection may stay silent mid-conversation (a server that hangs in DATA). */
  SMTP_SOCKET_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(20_000),
  /** First retry of a mail that could not be sent (then doubling, up to a day). */
  MAIL_RETRY_SECONDS: z.coerce.number().min(0.05).max(3600).default(60),
  /** How often the scheduler looks for due jobs. */
  SCHEDULER_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(5000),
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
  session: { idleMinutes: number; maxDays: number };
  defaultLanguage: Language;
  login: { maxFailures: number; lockMinutes: number; rateLimit: number; registrationsPerHour: number };
  seedDemo: boolean | undefined;
  /** Open-data API requests per IP per minute. */
  apiRateLimit: number;
  platforms: { youtubeApiKey: string | undefined; xBearerToken: string | undefined };
  puller: PullerConfig;
  mail: MailConfig;
  scheduler: { processEveryMs: number };
  database: DatabaseConfig;
}

export interface PullerConfig {
  intervalMinutes: number;
  enabled: boolean;
  batchSize: number;
  lockMs: number;
  refreshGapMs: number;
  timeoutMs: number;
  minIntervalMs: number;
  jitterMs: number;
  maxInFlight: number;
  retries: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  breakerCooldownMs: number;
  maxBodyBytes: number;
  userAgent: string;
  /** The fixture server's port for `npm run stats:fixtures` and the default base URLs. */
  fixturePort: number;
  /** The portal starts the fixture server itself (development) on this port (0: a free one). */
  fixtureServer: { inProcess: boolean; port: number };
  /**
   * Base URL and minimum interval per platform: the real host only in production. `fixture`: the
   * base URL is the fixture server's default (the in-process server replaces it with its own).
   */
  platforms: Record<PulledPlatform, { baseUrl: string; minIntervalMs: number; fixture: boolean }>;
}

export interface MailConfig {
  /** Unset: mails are only kept in the outbox (development and tests; never in production). */
  smtpUrl: string | undefined;
  from: string;
  /** Origin of links in mails; undefined: the portal's own listening address. */
  publicUrl: string | undefined;
  retrySeconds: number;
  /** nodemailer's timeouts: a server that refuses to connect, never greets, or hangs mid-message. */
  timeouts: { connectionMs: number; greetingMs: number; socketMs: number };
  /** The admin outbox page (/admin/outbox): everywhere but production. */
  outboxPage: boolean;
}

export class ConfigError extends Error {}

const defaultFixturePort = 4010;
const loopbackHost = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Production pulls real platforms or nothing: the fixture server is refused, and so is a base URL
 * on this machine while the puller is on (a fixture server left configured would feed the
 * registry made-up figures).
 */
function pullerProductionProblems(env: Env): string[] {
  const raw = env as Record<string, unknown>;
  const problems: string[] = [];
  if (env.PULLER_FIXTURE_SERVER === '1') {
    problems.push(
      '  PULLER_FIXTURE_SERVER: the fixture server is for development and tests, never production',
    );
  }
  if (env.PULLER_ENABLED !== '1') return problems;
  for (const platform of pulledPlatformIds) {
    const name = envKey(platform, 'BASE_URL');
    const value = raw[name];
    if (typeof value === 'string' && loopbackHost.test(new URL(value).hostname)) {
      problems.push(
        `  ${name}: points at this machine (the fixture server?); production needs the platform's real address, or PULLER_ENABLED=0`,
      );
    }
  }
  return problems;
}

/**
 * The SMTP timeouts together stay under this: inside the delivery job's one-minute lock
 * (src/features/mail/jobs.ts) and the two minutes a worker holds a mail it is sending
 * (claimLeaseMs in src/features/mail/service.ts).
 */
export const maxSmtpWaitMs = 50_000;

function pullerConfig(env: Env, isProduction: boolean): PullerConfig {
  const raw = env as Record<string, unknown>;
  const platforms = {} as PullerConfig['platforms'];
  const fixturePort = env.PULLER_FIXTURE_PORT ?? defaultFixturePort;
  for (const platform of pulledPlatformIds) {
    const baseUrl = raw[envKey(platform, 'BASE_URL')] as string | undefined;
    const minInterval = raw[envKey(platform, 'MIN_INTERVAL_MS')] as number | undefined;
    platforms[platform] = {
      // Outside production the default is the local fixture server: development and tests never
      // reach a real platform unless someone sets its URL on purpose.
      baseUrl:
        baseUrl ?? (isProduction ? pulledPlatforms[platform] : `http://127.0.0.1:${fixturePort}/${platform}`),
      minIntervalMs: minInterval ?? env.PULLER_MIN_INTERVAL_MS,
      fixture: baseUrl === undefined && !isProduction,
    };
  }
  return {
    intervalMinutes: env.PULLER_INTERVAL_MINUTES,
    enabled: env.PULLER_ENABLED === '1',
    batchSize: env.PULLER_BATCH_SIZE,
    lockMs: env.PULLER_LOCK_SECONDS * 1000,
    refreshGapMs: env.PULLER_REFRESH_MINUTES * 60_000,
    timeoutMs: env.PULLER_TIMEOUT_MS,
    minIntervalMs: env.PULLER_MIN_INTERVAL_MS,
    jitterMs: env.PULLER_JITTER_MS,
    maxInFlight: env.PULLER_MAX_IN_FLIGHT,
    retries: env.PULLER_RETRIES,
    backoffInitialMs: env.PULLER_BACKOFF_MS,
    backoffMaxMs: env.PULLER_BACKOFF_MAX_MS,
    breakerCooldownMs: env.PULLER_BREAKER_COOLDOWN_MINUTES * 60_000,
    maxBodyBytes: env.PULLER_MAX_BODY_BYTES,
    userAgent: env.PULLER_USER_AGENT,
    fixturePort,
    fixtureServer: {
      inProcess: (env.PULLER_FIXTURE_SERVER ?? (env.NODE_ENV === 'development' ? '1' : '0')) === '1',
      port: env.PULLER_FIXTURE_PORT ?? 0,
    },
    platforms,
  };
}

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
  const pullerProblems = isProduction ? pullerProductionProblems(env) : [];
  if (pullerProblems.length) throw new ConfigError(`Invalid configuration:\n${pullerProblems.join('\n')}`);
  if (isProduction) {
    // Verification, password reset and notifications are always on, so production always needs
    // mail: without a server the portal would promise links it can never send.
    const missing = (['SMTP_URL', 'MAIL_FROM', 'PUBLIC_URL'] as const).filter((name) => !env[name]);
    if (missing.length) {
      throw new ConfigError(
        `Invalid configuration:\n${missing.map((name) => `  ${name}: required in production (mail links)`).join('\n')}`,
      );
    }
  }
  const smtpWaitMs =
    env.SMTP_CONNECTION_TIMEOUT_MS + env.SMTP_GREETING_TIMEOUT_MS + env.SMTP_SOCKET_TIMEOUT_MS;
  if (smtpWaitMs > maxSmtpWaitMs) {
    // A send that may outlast the mail's claim could be taken up by a second worker: sent twice.
    throw new ConfigError(
      `Invalid configuration:\n  SMTP_CONNECTION_TIMEOUT_MS + SMTP_GREETING_TIMEOUT_MS + SMTP_SOCKET_TIMEOUT_MS: at most ${maxSmtpWaitMs} ms together (now ${smtpWaitMs})`,
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
    session: { idleMinutes: env.SESSION_IDLE_MINUTES, maxDays: env.SESSION_MAX_DAYS },
    defaultLanguage: env.DEFAULT_LANGUAGE,
    login: {
      maxFailures: env.LOGIN_MAX_FAILURES,
      lockMinutes: env.LOGIN_LOCK_MINUTES,
      rateLimit: env.AUTH_RATE_LIMIT,
      registrationsPerHour: env.REGISTER_RATE_LIMIT,
    },
    seedDemo: env.SEED_DEMO === undefined ? undefined : env.SEED_DEMO === '1',
    apiRateLimit: env.API_RATE_LIMIT,
    // Outside production the platforms are the fixture server, which takes any key: the demo's
    // YouTube and X accounts can then be pulled without a real credential.
    platforms: {
      youtubeApiKey: env.YOUTUBE_API_KEY ?? (isProduction ? undefined : 'fixture-key'),
      xBearerToken: env.X_BEARER_TOKEN ?? (isProduction ? undefined : 'fixture-token'),
    },
    puller: pullerConfig(env, isProduction),
    mail: {
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM ?? 'Lighthouse <no-reply@lighthouse.example>',
      publicUrl: env.PUBLIC_URL,
      retrySeconds: env.MAIL_RETRY_SECONDS,
      timeouts: {
        connectionMs: env.SMTP_CONNECTION_TIMEOUT_MS,
        greetingMs: env.SMTP_GREETING_TIMEOUT_MS,
        socketMs: env.SMTP_SOCKET_TIMEOUT_MS,
      },
      outboxPage: !isProduction,
    },
    scheduler: { processEveryMs: env.SCHEDULER_POLL_MS },
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
