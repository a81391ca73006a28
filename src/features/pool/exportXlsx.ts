// The pool's .xlsx download: the same rows as the CSV (exportRows.ts), written by exceljs's
// streaming workbook writer straight into the response. Each row is committed as the cursor
// yields it, strings are written inline (no shared-strings table kept in memory) and the writer
// waits whenever the response is full, so memory does not grow with the row count. No cell is a
// formula: the total followers is a number and the as-of date a date (so the sheet sorts and sums
// them), every other cell a string, formula-safe as in the CSV, so nothing is evaluated.
import ExcelJS from 'exceljs';
import type { Request, Response } from 'express';
import { auditExport, exportColumns, exportFileName, exportRows } from './exportRows.js';
import type { PoolQuery } from './validation.js';

/** Resolves once the response can take more (or has closed): back-pressure for the writer. */
function roomIn(res: Response): Promise<void> {
  if (!res.writableNeedDrain || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

// Column widths in characters: Chinese names and labels are two columns wide each.
const widths: Record<(typeof exportColumns)[number], number> = {
  name: 24,
  slug: 20,
  street: 10,
  categories: 20,
  platforms: 24,
  followers: 12,
  followersByPlatform: 36,
  growth30d: 10,
  membership: 12,
  asOf: 12,
};

export async function exportPoolXlsx(req: Request, res: Response, query: PoolQuery): Promise<void> {
  const rows = await exportRows(req, query);
  // 'close' comes after 'finish' too; alone it means the client went away mid-download.
  const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
  res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  res.setHeader('Content-Disposition', `attachment; filename="${exportFileName('xlsx')}"`);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: res,
    useSharedStrings: false,
    useStyles: true,
  });
  workbook.creator = 'Lighthouse';
  const sheet = workbook.addWorksheet(req.t('pool.title'), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = exportColumns.map((column) => ({
    key: column,
    width: widths[column],
    ...(column === 'followers' ? { style: { numFmt: '#,##0' } } : {}),
    ...(column === 'asOf' ? { style: { numFmt: 'yyyy-mm-dd' } } : {}),
  }));
  const header = sheet.addRow(rows.header);
  header.font = { bold: true };
  header.commit();
  for await (const record of rows.typedRecords()) {
    sheet.addRow(record).commit();
    await roomIn(res);
    if (res.destroyed) break; // the client went away: stop reading the cursor
  }
  sheet.commit();
  // The writer's promise waits for the response to finish, which a closed one never does.
  await Promise.race([workbook.commit(), closed]);
  await auditExport(req, query, 'xlsx', rows.count());
}
