// The pool's CSV export: exactly the filtered set, streamed from a database cursor through
// csv-stringify with back-pressure (memory does not grow with the row count), UTF-8 with a BOM
// so Excel reads Chinese text, and cells that a spreadsheet cannot take for formulas.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Request, Response } from 'express';
import { auditExport, exportFileName, exportRows } from './exportRows.js';
import type { PoolQuery } from './validation.js';

export { safeCell } from './exportRows.js';

export async function exportPoolCsv(req: Request, res: Response, query: PoolQuery): Promise<void> {
  const rows = await exportRows(req, query);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${exportFileName('csv')}"`);
  await pipeline(
    Readable.from(rows.records()),
    stringify({ bom: true, header: true, columns: rows.header }),
    res,
  );
  await auditExport(req, query, 'csv', rows.count());
}
