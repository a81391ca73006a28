// The pool's query string, validated: every parameter is optional; a facet keeps only its known
// values (unknown ones are dropped, never queried); anything else malformed is reported per
// parameter and replaced by its default, so a bad link still shows a page, never a 500.
import type { Request } from 'express';
import { matchedData, query, validationResult } from 'express-validator';
import { maxQueryLength } from '../search/query.js';
import { defaultPerPage, facets, maxPage, perPageChoices, type PoolSort, sorts } from './facets.js';

export interface PoolQuery {
  q: string;
  /** Facet key → selected known values (empty: no filter). */
  selected: Record<string, string[]>;
  sort: PoolSort;
  page: number;
  perPage: number;
}

/** A repeated or single parameter as a list of strings (objects such as q[$ne]=… give nothing). */
const stringList = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');

// Ten times the searched length: longer text is surely not a name (parseQuery cuts it anyway).
const maxRawQuery = maxQueryLength * 10;

export const poolQueryRules = [
  query('q')
    .optional()
    .isString()
    .withMessage('pool.errors.q')
    .bail()
    .isLength({ max: maxRawQuery })
    .withMessage('pool.errors.qTooLong'),
  ...facets.map((facet) =>
    query(facet.key)
      .optional()
      .customSanitizer((value: unknown) =>
        [...new Set(stringList(value))].filter((v) => facet.values.includes(v)),
      ),
  ),
  query('sort').optional().isIn(sorts).withMessage('pool.errors.sort'),
  query('page').optional().isInt({ min: 1, max: maxPage }).withMessage('pool.errors.page').bail().toInt(),
  query('perPage')
    .optional()
    .isIn(perPageChoices.map(String))
    .withMessage('pool.errors.perPage')
    .bail()
    .toInt(),
];

/** The validated search, with defaults in place of bad values, and the message keys of those. */
export function poolQueryOf(req: Request): { query: PoolQuery; errors: string[] } {
  const errors = validationResult(req)
    .array()
    .map((error) => String(error.msg));
  const data = matchedData<Record<string, unknown>>(req, { locations: ['query'], onlyValidData: true });
  const q = typeof data.q === 'string' ? data.q : '';
  const selected = Object.fromEntries(
    facets.map((facet) => [facet.key, Array.isArray(data[facet.key]) ? (data[facet.key] as string[]) : []]),
  );
  const sort = (data.sort as PoolSort | undefined) ?? (q.trim() ? 'relevance' : 'followers');
  return {
    query: {
      q,
      selected,
      sort,
      page: typeof data.page === 'number' ? data.page : 1,
      perPage: typeof data.perPage === 'number' ? data.perPage : defaultPerPage,
    },
    errors: [...new Set(errors)],
  };
}
