// The import spreadsheet's contract: one row per self-media account; rows that share a creator
// name belong to one creator (creator columns may be left blank after its first row). Headers may
// be the column key or its label in any of the three languages (registry.import.columns.*).
// The template with sample rows is public/templates/registry-import.csv (see docs/registry-import.md).

/** The creator's own fields: given once, repeated identically, or left blank on later rows. */
export const creatorColumns = [
  'kind',
  'street',
  'categories',
  'bio',
  'contact_phone',
  'contact_wechat',
  'contact_email',
] as const;

export const importColumns = [
  'display_name',
  ...creatorColumns,
  'platform',
  'account',
  'account_name',
  'followers',
] as const;
export type ImportColumn = (typeof importColumns)[number];

/** Without these a row cannot become an account of a creator. */
export const requiredColumns: readonly ImportColumn[] = ['display_name', 'street', 'platform', 'account'];

/** The upload limit for an import file: 2,000 rows of text are far below it, even as XLSX. */
export const maxImportBytes = 2 * 1024 * 1024;

/** One import is a district's worth of accounts; more is a mistake or an attack. */
export const maxImportRows = 2000;

/** Text limits, the same as the profile and account forms will use. */
export const importTextLimits = {
  display_name: 60,
  bio: 500,
  account_name: 60,
  contact_email: 254,
} as const satisfies Partial<Record<ImportColumn, number>>;

/** Category cells list several, separated by any of these (Chinese and Latin punctuation). */
export const categorySeparators = /[,，;；、|/]+/;
