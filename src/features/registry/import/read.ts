// Reads an uploaded spreadsheet into a grid of trimmed strings: XLSX (a zip, recognised by its
// bytes) through read-excel-file, anything else as CSV through csv-parse. CSV files saved by
// Chinese Excel are often GB18030 rather than UTF-8, and "Unicode text" is UTF-16 with tabs.
import { parse } from 'csv-parse/sync';
import { readSheet } from 'read-excel-file/node';
import { isReasonableXlsx } from './zipGuard.js';

export type SheetFormat = 'csv' | 'xlsx';

const zipMagic = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** Legacy .xls (OLE compound file): not read; the office is asked to save as .xlsx or CSV. */
const oleMagic = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

export class UnreadableSpreadsheet extends Error {}

export function formatOf(data: Buffer): SheetFormat | undefined {
  if (data.subarray(0, 4).equals(zipMagic)) return 'xlsx';
  if (data.subarray(0, 4).equals(oleMagic)) return undefined;
  return 'csv';
}

function decodeText(data: Buffer): string {
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  try {
    // fatal: a byte sequence that is not UTF-8 throws instead of turning into U+FFFD
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(data);
  } catch {
    return new TextDecoder('gb18030').decode(data);
  }
}

function cellText(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  // ids typed into Excel become numbers: print integers in full, never as 1.2e+21
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value).toString();
  if (typeof value === 'string') return value.trim();
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

function readCsv(data: Buffer): string[][] {
  const text = decodeText(data);
  const lineEnd = text.indexOf('\n');
  const firstLine = lineEnd === -1 ? text : text.slice(0, lineEnd);
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const records: string[][] = parse(text, {
    bom: true,
    delimiter,
    relax_column_count: true,
    // blank lines stay, so that record numbers are the row numbers the office sees in Excel
    skip_empty_lines: false,
    // a stray quote in a bio should be a cell error, not a lost file
    relax_quotes: true,
  });
  return records.map((record) => record.map(cellText));
}

async function readXlsx(data: Buffer): Promise<string[][]> {
  if (!isReasonableXlsx(data)) throw new UnreadableSpreadsheet('zip directory missing or too large');
  const rows = await readSheet(data);
  return rows.map((row) => row.map(cellText));
}

/** The first sheet (XLSX) or the file (CSV) as rows of cell texts. */
export async function readSpreadsheet(data: Buffer): Promise<string[][]> {
  const format = formatOf(data);
  if (!format) throw new UnreadableSpreadsheet('legacy .xls or unknown format');
  try {
    return format === 'xlsx' ? await readXlsx(data) : readCsv(data);
  } catch (error) {
    throw new UnreadableSpreadsheet(error instanceof Error ? error.message : String(error));
  }
}
