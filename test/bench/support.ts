// Shared by the HTTP benchmarks (pool, public, load): the portal with production settings (view
// cache on, production mail settings that are never used, logs off) on a database of its own, and
// a table printer. Not a test file: mocha never loads it.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { productionMailEnv, startTestApp, type TestApp } from '../support/app.js';

export interface LaneProcess {
  /** The lane's connection URI (no database name). */
  uri: string;
  /** The lane process's resident memory now and at its peak (VmRSS, VmHWM), in MB. */
  memoryMb(): { rss: number; peak: number };
  stop(): Promise<void>;
}

/** A process's resident memory now and at its peak, in MB, from /proc (Linux). */
export function processMemoryMb(pid: number | 'self'): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/**
 * The offline lane in a process of its own (`npm run db:offline` on a free loopback port), as a
 * MongoDB server runs beside the portal in production: the portal's memory and CPU are then its
 * own, and the lane's are measured apart.
 */
/** BENCH_LANE_NODE_ARGS: Node's own flags for the lane process, such as --trace-gc. */
const laneNodeArgs = process.env.BENCH_LANE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];

export async function startLaneProcess(): Promise<LaneProcess> {
  const cli = fileURLToPath(new URL('../../src/db/offline/cli.ts', import.meta.url));
  const child: ChildProcess = spawn(
    process.execPath,
    [...laneNodeArgs, '--import', 'tsx', cli, '--port', '0'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /lane \(in memory\) at (mongodb:\/\/\S+)/.exec(out);
      if (found) resolve(found[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the offline lane process ended (${code}): ${out}`)));
  });
  // BENCH_LANE_LOG=<file>: the lane's output (with NODE_OPTIONS=--trace-gc, its collections too).
  if (process.env.BENCH_LANE_LOG) {
    const log = createWriteStream(process.env.BENCH_LANE_LOG);
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
  } else {
    child.stdout!.resume();
    child.stderr!.resume();
  }
  return {
    uri,
    memoryMb: () => processMemoryMb(child.pid!),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * The portal as production runs it, on its own database: MONGODB_URI when set; otherwise the
 * offline lane in a process of its own (startLaneProcess), or in this process with
 * BENCH_LANE=inprocess. `lane` is the lane process, when there is one.
 */
export async function startProductionPortal(
  env: NodeJS.ProcessEnv = {},
): Promise<TestApp & { lane?: LaneProcess }> {
  const lane =
    process.env.MONGODB_URI || process.env.BENCH_LANE === 'inprocess' ? undefined : await startLaneProcess();
  // startTestDatabase reads MONGODB_URI from the environment (a database of its own, dropped on stop).
  if (lane) process.env.MONGODB_URI = lane.uri;
  const portal = await startPortalWith(env).catch(async (error: unknown) => {
    await lane?.stop();
    throw error;
  });
  if (!lane) return portal;
  return {
    ...portal,
    lane,
    stop: async () => {
      await portal.stop();
      await lane.stop();
    },
  };
}

function startPortalWith(env: NodeJS.ProcessEnv): Promise<TestApp> {
  return startTestApp({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    ...productionMailEnv,
    // One client address sends everything here: per-IP limits would measure the limiter.
    API_RATE_LIMIT: '100000',
    AUTH_RATE_LIMIT: '10000',
    REGISTER_RATE_LIMIT: '10000',
    ...env,
  });
}

export type CannonOptions = autocannon.Options;
export type CannonResult = autocannon.Result;

/** One autocannon run (resolves with its result; progress output off). */
export function cannon(options: CannonOptions): Promise<CannonResult> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error: unknown, result) =>
      error
        ? reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }))
        : resolve(result),
    );
  });
}

/** Rows as an aligned text table (first row: the headings). */
export function table(rows: (string | number)[][]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => String(row[column] ?? '').length))) ?? [];
  return rows
    .map((row) => row.map((cell, column) => String(cell).padEnd(widths[column] ?? 0)).join('  '))
    .join('\n');
}

export const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

/** Runs a benchmark and ends the process (autocannon and the portal leave handles open). */
export async function runBench(main: () => Promise<void>): Promise<never> {
  try {
    await main();
    process.exit(0);
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
}
