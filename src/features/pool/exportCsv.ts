// The pool's CSV export: exactly the filtered set, streamed from a database cursor through
// csv-stringify with back-pressure (memory does not grow with the row count), UTF-8 with a BOM
// so Excel reads Chinese text, and cells that a spreadsheet cannot take for formulas.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Request, Response } from 'express';
import { recordAudit } from '../audit/service.js';
import { CreatorModel } from '../registry/creator.model.js';
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

const columns = [
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

/** The search's filter as the audit log records it: the text and the chosen facet values. */
function auditedFilter(query: PoolQuery): Record<string, unknown> {
  const chosen = Object.entries(query.selected).filter(([, values]) => values.length > 0);
  const selection = query.ids.length > 0 ? { selection: query.ids.length } : {};
  return { q: query.q, ...Object.fromEntries(chosen), sort: query.sort, ...selection };
}

export async function exportPoolCsv(req: Request, res: Response, query: PoolQuery): Promise<void> {
  const actor = req.user as Express.User;
  const label = (key: string, value: string) =>
    req.t(facets.find((f) => f.key === key)?.label(value) ?? value);
  const context = await searchContext(query);
  const cursor = CreatorModel.aggregate<PoolRow>([
    ...poolPipeline(actor, query, context),
    rowProjection,
  ]).cursor({
    batchSize: 500,
  });
  let rowCount = 0;
  async function* records() {
    for await (const row of cursor as AsyncIterable<PoolRow>) {
      rowCount++;
      yield [
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
    }
  }
  const day = new Date().toISOString().slice(0, 10);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="pool-${day}.csv"`);
  const header = columns.map((column) => safeCell(req.t(`pool.columns.${column}`)));
  await pipeline(Readable.from(records()), stringify({ bom: true, header: true, columns: header }), res);
  await recordAudit({
    actor,
    action: 'pool.export',
    target: { type: 'pool', id: 'csv' },
    details: { filter: auditedFilter(query), rows: rowCount },
  });
}
