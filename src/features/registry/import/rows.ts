// Turns a spreadsheet grid into creators and their accounts, with an error per row and column
// (rows numbered as in the spreadsheet: the header is row 1). Pure: what exists in the database
// (claimed accounts, re-imports) is the import service's business.
import { type Category, type CreatorKind, type Street, maxCategoriesPerCreator } from '../catalogue.js';
import { type PlatformKey, detectPlatform } from '../platforms/index.js';
import { wechatId } from '../platforms/wechatOa.js';
import {
  type ImportColumn,
  categorySeparators,
  creatorColumns,
  importColumns,
  importTextLimits,
  maxImportRows,
  requiredColumns,
} from './columns.js';
import { categoryOf, columnOf, creatorKindOf, platformOf, spelling, streetOf } from './labels.js';

export interface ImportError {
  /** Spreadsheet row (1 is the header); 0 for the file as a whole. */
  row: number;
  column: ImportColumn | null;
  messageKey: string;
  /** Interpolation values; `platform` is a platform key, to be shown by its label. */
  params?: Record<string, string | number>;
}

export interface ImportedAccount {
  row: number;
  platform: PlatformKey;
  platformId: string;
  accountName?: string;
  followers?: number;
}

export interface CreatorFields {
  kind: CreatorKind;
  street: Street;
  categories: Category[];
  bio?: string;
  contactPhone?: string;
  contactWechat?: string;
  contactEmail?: string;
}

export interface ImportedCreator extends CreatorFields {
  displayName: string;
  /** The row that introduced the creator. */
  row: number;
  accounts: ImportedAccount[];
}

export interface ImportPreview {
  /** Data rows read (blank rows not counted). */
  rowCount: number;
  creators: ImportedCreator[];
  errors: ImportError[];
}

type Cells = Record<ImportColumn, string>;
type Check<T> = { value: T } | { error: string; params?: Record<string, string | number> };

const errorKey = (name: string) => `registry.import.errors.${name}`;
// eslint-disable-next-line no-control-regex -- control characters are what is refused
const notPlainText = /[<>\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** What spreadsheets read as a formula (CSV injection), full-width forms included. */
const spreadsheetFormula = /^[=+\-@＝＋－＠]/;

function text(value: string, column: keyof typeof importTextLimits): Check<string> {
  const max = importTextLimits[column];
  if ([...value].length > max) return { error: errorKey('too_long'), params: { max } };
  if (notPlainText.test(value)) return { error: errorKey('plain_text') };
  // =HYPERLINK(…) and the like would run in the spreadsheet of whoever exports the pool later
  if (spreadsheetFormula.test(value)) return { error: 'registryImport.errors.formula' };
  return { value };
}

function categoriesOf(value: string): Check<Category[]> {
  const found = new Set<Category>();
  for (const name of value.split(categorySeparators).filter((part) => part.trim() !== '')) {
    const category = categoryOf(name);
    if (!category) return { error: errorKey('invalid_category'), params: { value: name.trim() } };
    found.add(category);
  }
  if (found.size > maxCategoriesPerCreator) {
    return { error: errorKey('too_many_categories'), params: { max: maxCategoriesPerCreator } };
  }
  return { value: [...found].sort() };
}

function phoneOf(value: string): Check<string> {
  const phone = value.normalize('NFKC').replace(/[\s()-]/g, '');
  return /^\+?[0-9]{6,15}$/.test(phone) ? { value: phone } : { error: errorKey('invalid_phone') };
}

function emailOf(value: string): Check<string> {
  const email = value.normalize('NFKC').trim().toLowerCase();
  const ok =
    email.length <= importTextLimits.contact_email && /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(email);
  return ok ? { value: email } : { error: errorKey('invalid_email') };
}

function followersOf(value: string): Check<number> {
  // "12,345" and "12 345" are whole numbers; abbreviated counts (1.2万) wait for the stats parser
  const digits = value.normalize('NFKC').replace(/[\s,]/g, '');
  return /^[0-9]{1,15}$/.test(digits) ? { value: Number(digits) } : { error: errorKey('invalid_followers') };
}

/** Each creator column of a row: its parsed value, undefined when blank. */
function creatorFieldChecks(cells: Cells): Partial<Record<ImportColumn, Check<unknown>>> {
  const known = <T>(value: T | undefined, error: string): Check<T> =>
    value === undefined ? { error: errorKey(error) } : { value };
  const checks: Partial<Record<ImportColumn, Check<unknown>>> = {};
  if (cells.kind) checks.kind = known(creatorKindOf(cells.kind), 'invalid_kind');
  if (cells.street) checks.street = known(streetOf(cells.street), 'invalid_street');
  if (cells.categories) checks.categories = categoriesOf(cells.categories);
  if (cells.bio) checks.bio = text(cells.bio.replace(/\r\n?/g, '\n'), 'bio');
  if (cells.contact_phone) checks.contact_phone = phoneOf(cells.contact_phone);
  if (cells.contact_wechat) {
    const id = cells.contact_wechat.normalize('NFKC').trim().toLowerCase();
    checks.contact_wechat = wechatId.test(id) ? { value: id } : { error: errorKey('invalid_wechat') };
  }
  if (cells.contact_email) checks.contact_email = emailOf(cells.contact_email);
  return checks;
}

const fieldOf: Record<(typeof creatorColumns)[number], keyof CreatorFields> = {
  kind: 'kind',
  street: 'street',
  categories: 'categories',
  bio: 'bio',
  contact_phone: 'contactPhone',
  contact_wechat: 'contactWechat',
  contact_email: 'contactEmail',
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Reads the grid: header row first, one account per following row. */
export function parseImportGrid(grid: readonly (readonly string[])[]): ImportPreview {
  const [header, ...body] = grid;
  const fileError = (messageKey: string, params?: Record<string, string | number>): ImportPreview => ({
    rowCount: 0,
    creators: [],
    errors: [{ row: header ? 1 : 0, column: null, messageKey, ...(params ? { params } : {}) }],
  });
  const rows = body
    .map((cells, index) => ({ number: index + 2, cells }))
    .filter(({ cells }) => cells.some((cell) => cell.trim() !== ''));
  if (!header || rows.length === 0) return fileError(errorKey('file_empty'));

  const positions = new Map<ImportColumn, number>();
  header.forEach((title, index) => {
    const column = columnOf(title);
    if (column && !positions.has(column)) positions.set(column, index);
  });
  const missing = requiredColumns.filter((column) => !positions.has(column));
  if (missing.length > 0) return fileError(errorKey('missing_columns'), { columns: missing.join(', ') });
  if (rows.length > maxImportRows) return fileError(errorKey('too_many_rows'), { max: maxImportRows });

  const creators = new Map<string, ImportedCreator>();
  const accountRows = new Map<string, number>();
  const errors: ImportError[] = [];

  for (const { number, cells: raw } of rows) {
    const cells = Object.fromEntries(
      importColumns.map((column) => [column, (raw[positions.get(column) ?? -1] ?? '').trim()]),
    ) as Cells;
    const rowErrors: ImportError[] = [];
    const fail = (column: ImportColumn, messageKey: string, params?: Record<string, string | number>) =>
      rowErrors.push({ row: number, column, messageKey, ...(params ? { params } : {}) });

    // the creator
    const name = cells.display_name
      ? text(cells.display_name, 'display_name')
      : { error: errorKey('required') };
    if ('error' in name) fail('display_name', name.error, name.params);
    const existing = 'value' in name ? creators.get(spelling(name.value)) : undefined;
    const fields: Partial<CreatorFields> = {};
    const checks = creatorFieldChecks(cells);
    for (const column of creatorColumns) {
      const check = checks[column];
      if (check && 'error' in check) fail(column, check.error, check.params);
      else if (check && existing && !same(existing[fieldOf[column]], check.value)) {
        fail(column, errorKey('conflicting_creator'), { row: existing.row });
      } else if (check) Object.assign(fields, { [fieldOf[column]]: check.value });
    }
    if (!existing && !cells.street) fail('street', errorKey('required'));
    const creatorOk = rowErrors.length === 0;

    // the account
    const platform = cells.platform ? platformOf(cells.platform) : undefined;
    if (!cells.platform) fail('platform', errorKey('required'));
    else if (!platform) fail('platform', errorKey('invalid_platform'));
    const match = platform ? detectPlatform(cells.account, platform) : undefined;
    if (!cells.account) fail('account', errorKey('required'));
    else if (match && !match.ok) {
      fail(
        'account',
        `registry.profileRefusals.${match.reason}`,
        match.platform ? { platform: match.platform } : undefined,
      );
    }
    const accountKey = match?.ok ? `${match.platform}:${match.platformId}` : undefined;
    const firstRow = accountKey ? accountRows.get(accountKey) : undefined;
    if (firstRow) fail('account', errorKey('duplicate_account'), { row: firstRow });
    else if (accountKey) accountRows.set(accountKey, number);
    const accountName = cells.account_name ? text(cells.account_name, 'account_name') : undefined;
    if (accountName && 'error' in accountName) fail('account_name', accountName.error, accountName.params);
    const followers = cells.followers ? followersOf(cells.followers) : undefined;
    if (followers && 'error' in followers) fail('followers', followers.error);

    errors.push(...rowErrors);
    // a creator whose own columns are right is kept even when this row's account is not, so
    // that later rows for the same name are checked against it rather than failing in turn
    let creator = existing;
    if (!creator && creatorOk && 'value' in name) {
      creator = {
        displayName: name.value,
        row: number,
        kind: 'person',
        categories: [],
        accounts: [],
        ...fields,
      } as ImportedCreator;
      creators.set(spelling(name.value), creator);
    }
    if (creator && rowErrors.length === 0 && match?.ok) {
      creator.accounts.push({
        row: number,
        platform: match.platform,
        platformId: match.platformId,
        ...(accountName && 'value' in accountName ? { accountName: accountName.value } : {}),
        ...(followers && 'value' in followers ? { followers: followers.value } : {}),
      });
    }
  }
  return { rowCount: rows.length, creators: [...creators.values()], errors };
}
