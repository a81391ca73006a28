// The bulk import's pure half: an uploaded CSV or XLSX file in, a preview out (creators with their
// accounts, and an error per row and column). Writing it to the database is the service's job.
import { parseImportGrid, type ImportPreview } from './rows.js';
import { UnreadableSpreadsheet, readSpreadsheet } from './read.js';

export type { ImportError, ImportPreview, ImportedAccount, ImportedCreator } from './rows.js';
export {
  importColumns,
  maxImportBytes,
  maxImportRows,
  requiredColumns,
  type ImportColumn,
} from './columns.js';
export { parseImportGrid } from './rows.js';

export async function parseImportFile(data: Buffer): Promise<ImportPreview> {
  try {
    return parseImportGrid(await readSpreadsheet(data));
  } catch (error) {
    if (!(error instanceof UnreadableSpreadsheet)) throw error;
    return {
      rowCount: 0,
      creators: [],
      errors: [{ row: 0, column: null, messageKey: 'registry.import.errors.file_unreadable' }],
    };
  }
}
