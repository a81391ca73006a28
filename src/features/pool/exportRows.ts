// What both pool downloads (CSV and .xlsx) hold: exactly the filtered set (or the ticked
// creators), read from one aggregation cursor, one row per creator with the same translated
// columns, every text cell one a spreadsheet cannot take for a formula; and the audit entry each
// download writes with its filter and row count.
import type { Request } from 'express';
import { recordAudit } from '../audit/service.js';
import { CreatorModel } from '../registry/creator.model.js';
import type { SessionUser } from '../users/model.js';
import { facets } from './facets.js';
import { type PoolRow, poolPipeline, rowProjection, searchContext } from './service.js';
import type { PoolQuery } from './validation.js';

/**
 * A cell a spreadsheet shows as text: one starting with =, +, -, @, a tab or a carriage return
 * would be read as a formula (CSV injection), so it gets a leading apostrophe (OWASP's advice).
 */
export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/u.test(value) ? `'${value}` : value;
}

export const exportColumns = [
  'name',
  'slug',
  'street',
  'categories',
  'platforms',
  'followers',
  'followersByPlatform',
  'growth30d',
  'membership',
  'asOf',
] as const;

export type ExportFormat = 'csv' | 'xlsx';

/** The download's file name, e.g. pool-2026-12-02.xlsx. */
export const exportFileName = (format: ExportFormat, now = new Date()) =>
  `pool-${now.toISOString().slice(0, 10)}.${format}`;

/** The search's filter as the audit log records it: the text and the chosen facet values. */
function auditedFilter(query: PoolQuery): Record<string, unknown> {
  const chosen = Object.entries(query.selected).filter(([, values]) => values.length > 0);
  const selection = query.ids.length > 0 ? { selection: query.ids.length } : {};
  return { q: query.q, ...Object.fromEntries(chosen), sort: query.sort, ...selection };
}

export interface ExportRows {
  /** The translated column titles, formula-safe. */
  header: string[];
  /** The rows, as the cursor yields them (batches of 500), each cell a formula-safe string. */
  records: () => AsyncGenerator<string[]>;
  /**
   * The same rows with the figures typed, for a spreadsheet: the total followers a number and
   * the as-of date a date (UTC midnight), so a sheet sorts and sums them; every other cell the
   * same formula-safe string.
   */
  typedRecords: () => AsyncGenerator<(string | number | Date)[]>;
  /** How many rows `records` has yielded so far. */
  count: () => number;
}

/** The rows of an export of `query` within the actor's street scope, in the request's language. */
export async function exportRows(req: Request, query: PoolQuery): Promise<ExportRows> {
  const actor = req.user as SessionUser;
  // A few dozen distinct labels over thousands of rows: each is translated once per download
  // (i18next's t() per cell was a fifth of the export's time).
  const labels = new Map<string, string>();
  const label = (key: string, value: string): string => {
    const cacheKey = `${key}\u0000${value}`;
    let text = labels.get(cacheKey);
    if (text === undefined) {
      text = req.t(facets.find((f) => f.key === key)?.label(value) ?? value);
      labels.set(cacheKey, text);
    }
    return text;
  };
  const context = await searchContext(query);
  let rowCount = 0;
  async function* rows(): AsyncGenerator<{ row: PoolRow; cells: string[] }> {
    const cursor = CreatorModel.aggregate<PoolRow>([
      ...poolPipeline(actor, query, context),
      rowProjection,
    ]).cursor({ batchSize: 500 });
    for await (const row of cursor as AsyncIterable<PoolRow>) {
      rowCount++;
      const cells = [
        row.displayName,
        row.slug,
        row.street ? label('street', row.street) : '',
        row.categories.map((c) => label('category', c)).join('、'),
        row.platforms.map((p) => label('platform', p)).join('、'),
        String(row.followers),
        row.followersByPlatform.map((p) => `${label('platform', p.platform)} ${p.count}`).join('、'),
        row.growth30d === null ? '' : `${row.growth30d}%`,
        label('membership', row.membershipStatus),
        row.asOf ? row.asOf.toISOString().slice(0, 10) : '',
      ].map(safeCell);
      yield { row, cells };
    }
  }
  const followersColumn = exportColumns.indexOf('followers');
  const asOfColumn = exportColumns.indexOf('asOf');
  async function* records(): AsyncGenerator<string[]> {
    for await (const { cells } of rows()) yield cells;
  }
  async function* typedRecords(): AsyncGenerator<(string | number | Date)[]> {
    for await (const { row, cells } of rows()) {
      const typed: (string | number | Date)[] = [...cells];
      typed[followersColumn] = row.followers;
      typed[asOfColumn] = row.asOf ? new Date(`${row.asOf.toISOString().slice(0, 10)}T00:00:00Z`) : '';
      yield typed;
    }
  }
  return {
    header: exportColumns.map((column) => safeCell(req.t(`pool.columns.${column}`))),
    records,
    typedRecords,
    count: () => rowCount,
  };
}

/** The `pool.export` audit entry of a finished download. */
export async function auditExport(
  req: Request,
  query: PoolQuery,
  format: ExportFormat,
  rows: number,
): Promise<void> {
  await recordAudit({
    actor: req.user as SessionUser,
    action: 'pool.export',
    target: { type: 'pool', id: format },
    details: { filter: auditedFilter(query), format, rows },
  });
}
