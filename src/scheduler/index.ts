// The portal's one job scheduler: agenda on mongoose's connection (collection `jobs`), so jobs
// are durable (they survive a restart) and each runs on one instance at a time across every
// instance on the database. Features register their jobs with defineJob() at import time; the
// scheduler hook (started by startPortal, stopped before the database disconnects) applies them.
//
//   defineJob('mail.send', async (data) => deliver(data.mailId), { backoff: exponential(…) });
//   defineJob('stats.pull', pullAll, { every: '6 hours' });           // a recurring job
//   await enqueueJob('mail.send', { mailId }, { uniqueBy: { 'data.mailId': mailId } });
import { Agenda, type BackoffStrategy, type Job } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import mongoose from 'mongoose';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { PortalHook } from '../portal.js';

export interface JobOptions {
  /** Retries after a failure (agenda's backoff strategies); none: the job fails for good. */
  backoff?: BackoffStrategy;
  /** A recurring job: an interval ('1 day', '6 hours') or a cron line, one job of this name; from the config when a function (undefined: not scheduled). */
  every?: string | ((config: Config) => string | undefined);
  /** With `every` as a cron line. */
  timezone?: string;
  concurrency?: number;
  /** How long a running job keeps its lock before another instance may take it over. */
  lockLifetimeMs?: number | ((config: Config) => number);
  /** false: this instance never runs the job (jobs stored by it wait for an instance that does). */
  runsHere?: (config: Config) => boolean;
}

/** What a job handler gets besides its data: the config, the logger, and the shutdown signal. */
export interface JobContext {
  config: Config;
  logger: Logger;
  /** Aborted when the portal stops: a long job stops taking new work and returns. */
  signal: AbortSignal;
}

type JobHandler<Data> = (data: Data, job: Job<Data>, context: JobContext) => Promise<void>;

interface Definition {
  name: string;
  handler: JobHandler<never>;
  options: JobOptions;
}

const definitions = new Map<string, Definition>();
let agenda: Agenda | undefined;

/** Registers a job; call at import time, before the portal starts. Defining a name twice is a bug. */
export function defineJob<Data>(name: string, handler: JobHandler<Data>, options: JobOptions = {}): void {
  if (definitions.has(name)) throw new Error(`job ${name} is defined twice`);
  definitions.set(name, { name, handler: handler, options });
}

/** The running scheduler; throws when the portal has not started it. */
function running(): Agenda {
  if (!agenda) throw new Error('the scheduler is not running (start the portal first)');
  return agenda;
}

/**
 * Stores a job to run as soon as possible. `uniqueBy` (a query on the job document, e.g.
 * `{ 'data.mailId': id }`) makes enqueuing idempotent: a second call finds the first job and
 * stores nothing.
 */
export async function enqueueJob<Data extends object>(
  name: string,
  data: Data,
  options: { uniqueBy?: Record<string, unknown> } = {},
): Promise<void> {
  const job = running().create(name, data);
  if (options.uniqueBy) job.unique(options.uniqueBy, { insertOnly: true });
  job.schedule(new Date());
  await job.save();
}

/** Runs a defined job now, once (tests and admin actions). */
export async function runJobNow(name: string, data: object = {}): Promise<void> {
  await running().now(name, data);
}

/** Starts with the portal, stops before its database connection closes. */
export function schedulerHook(options: { processEveryMs: number }): PortalHook {
  // Each hook keeps its own instance (two portals in one process in the multi-instance tests).
  let instance: Agenda | undefined;
  const shutdown = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  /** Jobs agenda started and has not yet stored as completed (unlocked). */
  let running = 0;
  let startProcessing: (() => Promise<void>) | undefined;
  return {
    name: 'scheduler',
    start: async ({ config, logger }) => {
      const db = mongoose.connection.db;
      if (!db) throw new Error('the scheduler needs a connected database');
      const started = new Agenda({
        backend: new MongoBackend({ mongo: db, collection: 'jobs' }),
        processEvery: options.processEveryMs,
        defaultLockLifetime: 10 * 60_000,
      });
      await started.ready;
      const context: JobContext = { config, logger, signal: shutdown.signal };
      for (const definition of definitions.values()) {
        if (definition.options.runsHere?.(config) !== false) apply(started, definition, context, inFlight);
      }
      started.on('start', () => (running += 1));
      started.on('complete', () => (running -= 1));
      started.on('fail', (error: Error, job: Job) => {
        logger.warn({ err: error, job: job.attrs.name, failCount: job.attrs.failCount }, 'job failed');
      });
      // Jobs can be queued from here on (later start-up hooks queue mail), but none runs before
      // every hook has started: the first stats pull must not race the demo district's seeding.
      instance = started;
      agenda = started;
      startProcessing = async () => {
        await started.start();
        for (const { name, options: jobOptions } of definitions.values()) {
          const every = typeof jobOptions.every === 'function' ? jobOptions.every(config) : jobOptions.every;
          if (every) await started.every(every, name, {}, { timezone: jobOptions.timezone });
        }
      };
    },
    ready: async () => {
      await startProcessing?.();
      startProcessing = undefined;
    },
    stop: async () => {
      const stopping = instance;
      instance = undefined;
      if (agenda === stopping) agenda = undefined;
      // Long jobs (the stats pull) see the signal and stop taking new work; jobs in flight (a mail
      // being handed to the SMTP server) may finish for a few seconds. Then agenda.stop() unlocks
      // whatever still runs, so the next start takes it over at once, before the database closes.
      shutdown.abort();
      await Promise.race([Promise.allSettled([...inFlight]), delay(5000)]);
      await stopping?.stop(false);
      // agenda.stop() leaves the jobs that are running locked: each unlocks itself (and stores its
      // retry) when it completes. Wait for that while the database is still open; a job that
      // completed after it closed would stay locked until its lock expires (a mail would wait
      // that long after a restart). A job started meanwhile fails at once (see apply()).
      const deadline = Date.now() + 5000;
      let quiet = 0;
      while (quiet < 3 && Date.now() < deadline) {
        quiet = running > 0 ? 0 : quiet + 1;
        await delay(25);
      }
    },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function apply(
  instance: Agenda,
  definition: Definition,
  context: JobContext,
  inFlight: Set<Promise<unknown>>,
): void {
  const { options } = definition;
  const lockLifetime =
    typeof options.lockLifetimeMs === 'function'
      ? options.lockLifetimeMs(context.config)
      : options.lockLifetimeMs;
  instance.define(
    definition.name,
    async (job: Job<never>) => {
      // Started while the portal stops: a retried job fails at once and is retried with backoff
      // (by this instance's successor), instead of working against a closing database.
      if (context.signal.aborted && options.backoff) throw new Error('the portal is stopping');
      const running = definition.handler(job.attrs.data, job, context);
      inFlight.add(running);
      try {
        await running;
      } catch (error) {
        context.logger.info({ err: error, job: definition.name }, 'job attempt failed');
        throw error;
      } finally {
        inFlight.delete(running);
      }
    },
    {
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(lockLifetime ? { lockLifetime } : {}),
    },
  );
}
