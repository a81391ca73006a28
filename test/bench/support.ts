// Shared by the HTTP benchmarks (public.bench.ts, load.bench.ts): the portal with production
// settings (view cache on, production mail settings that are never used, logs off) on a database of
// its own, and a table printer. Not a test file: mocha never loads it.
import autocannon from 'autocannon';
import { productionMailEnv, startTestApp, type TestApp } from '../support/app.js';

/** The portal as production runs it, on its own database (offline lane unless MONGODB_URI is set). */
export function startProductionPortal(env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
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
