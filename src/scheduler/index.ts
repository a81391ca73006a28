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
import type { Logger } from '../logger.js';
import type { PortalHook } from '../portal.js';

export interface JobOptions {
  /** Retries after a failure (agenda's backoff strategies); none: the job fails for good. */
  backoff?: BackoffStrategy;
  /** A recurring job: an interval ('1 day', '6 hours') or a cron line, one job of this name. */
  every?: string;
  /** With `every` as a cron line. */
  timezone?: string;
  concurrency?: number;
  /** How long a running job keeps its lock before another instance may take it over. */
  lockLifetimeMs?: number;
}

type JobHandler<Data> = (data: Data, job: Job<Data>) => Promise<void>;

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
  return {
    name: 'scheduler',
    start: async ({ logger }) => {
      const db = mongoose.connection.db;
      if (!db) throw new Error('the scheduler needs a connected database');
      const instance = new Agenda({
        backend: new MongoBackend({ mongo: db, collection: 'jobs' }),
        processEvery: options.processEveryMs,
        defaultLockLifetime: 10 * 60_000,
      });
      await instance.ready;
      for (const definition of definitions.values()) apply(instance, definition, logger);
      instance.on('fail', (error: Error, job: Job) => {
        logger.warn({ err: error, job: job.attrs.name, failCount: job.attrs.failCount }, 'job failed');
      });
      await instance.start();
      for (const { name, options: jobOptions } of definitions.values()) {
        if (jobOptions.every) {
          await instance.every(jobOptions.every, name, {}, { timezone: jobOptions.timezone });
        }
      }
      agenda = instance;
    },
    stop: async () => {
      const instance = agenda;
      agenda = undefined;
      // Jobs in flight may finish (a mail being handed to the SMTP server) before the database
      // connection closes; what is still running after that is unlocked for the next start.
      await instance?.drain({ timeout: 5000, closeConnection: false });
    },
  };
}

function apply(instance: Agenda, definition: Definition, logger: Logger): void {
  const { options } = definition;
  instance.define(
    definition.name,
    async (job: Job<never>) => {
      try {
        await definition.handler(job.attrs.data, job);
      } catch (error) {
        logger.info({ err: error, job: definition.name }, 'job attempt failed');
        throw error;
      }
    },
    {
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.lockLifetimeMs ? { lockLifetime: options.lockLifetimeMs } : {}),
    },
  );
}
