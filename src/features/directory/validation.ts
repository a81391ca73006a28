// The directory's query string (pages, the CSV and the open-data API share it): every parameter is
// optional; platform, category and street may repeat (any of them matches); anything malformed
// (an unknown filter value, a repeated q or sort, a page that is not a number, an over-long q) is
// reported per parameter with a catalogue key. Pages show the rest of the search with a message
// (status 400); the API refuses the request (400). Values never reach a query unchecked.
import type { Request } from 'express';
import { matchedData, query, validationResult } from 'express-validator';
import { categories, streets } from '../registry/catalogue.js';
import { platformKeys } from '../registry/platforms/index.js';
import { maxQueryLength } from '../search/query.js';
import { type DirectoryQuery, type DirectorySort, directorySorts } from './service.js';

export const directoryLimits = {
  /** Longer text is surely not a name (the search reads its first maxQueryLength characters). */
  rawQuery: maxQueryLength * 4,
  maxPage: 1000,
  maxPerPage: 100,
  defaultPerPage: 24,
} as const;

export const filters = [
  { key: 'platform', values: platformKeys },
  { key: 'category', values: categories },
  { key: 'street', values: streets },
] as const;

export type FilterKey = (typeof filters)[number]['key'];

/** A repeated or single parameter as a list; the form's "any" option sends an empty value. */
const stringList = (value: unknown): unknown[] =>
  (Array.isArray(value) ? value : [value]).filter((item) => item !== '');

export const directoryQueryRules = [
  query('q')
    .optional()
    .isString()
    .withMessage('directory.errors.q')
    .bail()
    .isLength({ max: directoryLimits.rawQuery })
    .withMessage('directory.errors.qTooLong'),
  ...filters.map((filter) =>
    query(filter.key)
      .optional()
      .custom((value: unknown) =>
        stringList(value).every(
          (item) => typeof item === 'string' && (filter.values as readonly string[]).includes(item),
        ),
      )
      .withMessage(`directory.errors.${filter.key}`)
      .bail()
      .customSanitizer((value: unknown) => [...new Set(stringList(value) as string[])]),
  ),
  query('sort').optional().isIn(directorySorts).withMessage('directory.errors.sort'),
  query('page')
    .optional()
    .isInt({ min: 1, max: directoryLimits.maxPage })
    .withMessage('directory.errors.page')
    .bail()
    .toInt(),
  query('perPage')
    .optional()
    .isInt({ min: 1, max: directoryLimits.maxPerPage })
    .withMessage('directory.errors.perPage')
    .bail()
    .toInt(),
];

export interface DirectoryQueryError {
  /** The query parameter, e.g. "platform". */
  param: string;
  /** A catalogue key under `directory.errors.`. */
  key: string;
}

/** The validated search, with defaults in place of bad values, and what was wrong. */
export function directoryQueryOf(req: Request): { query: DirectoryQuery; errors: DirectoryQueryError[] } {
  const seen = new Set<string>();
  const errors = validationResult(req)
    .array()
    .flatMap((error) => {
      const param = error.type === 'field' ? error.path : 'query';
      const key = String(error.msg);
      if (seen.has(param)) return [];
      seen.add(param);
      return [{ param, key }];
    });
  const data = matchedData<Record<string, unknown>>(req, { locations: ['query'], onlyValidData: true });
  const list = (key: FilterKey): string[] => (Array.isArray(data[key]) ? (data[key] as string[]) : []);
  const q = typeof data.q === 'string' ? data.q : '';
  const sort = (data.sort as DirectorySort | undefined) ?? (q.trim() ? 'relevance' : 'followers');
  return {
    query: {
      q,
      platform: list('platform'),
      category: list('category'),
      street: list('street'),
      sort,
      page: typeof data.page === 'number' ? data.page : 1,
      perPage: typeof data.perPage === 'number' ? data.perPage : directoryLimits.defaultPerPage,
    },
    errors,
  };
}
