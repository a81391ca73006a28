// The pool's query string, validated: every parameter is optional; a facet keeps only its known
// values (unknown ones are dropped, never queried); anything else malformed is reported per
// parameter and replaced by its default, so a bad link still shows a page, never a 500.
import type { Request } from 'express';
import { matchedData, query, validationResult } from 'express-validator';
import { limits, optionalText, textField } from '../../http/fields.js';
import { maxQueryLength } from '../search/query.js';
import { defaultPerPage, facets, maxPage, perPageChoices, type PoolSort, sorts } from './facets.js';

export interface PoolQuery {
  q: string;
  /** Facet key → selected known values (empty: no filter). */
  selected: Record<string, string[]>;
  sort: PoolSort;
  page: number;
  perPage: number;
  /** A hand-picked selection (creator ids) to export instead of the whole filtered set. */
  ids: string[];
}

/** A message for the page: a catalogue key and its values. */
export interface PoolMessage {
  key: string;
  values?: Record<string, string>;
}

/** At most this many hand-picked creators in one export (a page holds at most 100). */
export const maxSelection = 500;
const objectId = /^[0-9a-f]{24}$/;

/** A repeated or single parameter as a list of strings (objects such as q[$ne]=… give nothing). */
const stringList = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');

const single = (value: unknown): boolean => typeof value === 'string';

// Ten times the searched length: longer text is surely not a name (parseQuery cuts it anyway).
const maxRawQuery = maxQueryLength * 10;

export const poolQueryRules = [
  // A repeated parameter (?q=a&q=b) is an array, which express-validator's own validators would
  // check item by item and let through: q, sort, page and perPage take one value only.
  query('q')
    .optional()
    .custom(single)
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
  query('id')
    .optional()
    .customSanitizer((value: unknown) =>
      [...new Set(stringList(value))].filter((v) => objectId.test(v)).slice(0, maxSelection),
    ),
  query('sort')
    .optional()
    .custom(single)
    .withMessage('pool.errors.sort')
    .bail()
    .isIn(sorts)
    .withMessage('pool.errors.sort'),
  query('page')
    .optional()
    .custom(single)
    .withMessage('pool.errors.page')
    .bail()
    .isInt({ min: 1, max: maxPage })
    .withMessage('pool.errors.page')
    .bail()
    .toInt(),
  query('perPage')
    .optional()
    .custom(single)
    .withMessage('pool.errors.perPage')
    .bail()
    .isIn(perPageChoices.map(String))
    .withMessage('pool.errors.perPage')
    .bail()
    .toInt(),
];

/** The validated search, with defaults in place of bad values, and the message keys of those. */
export function poolQueryOf(req: Request): { query: PoolQuery; errors: PoolMessage[] } {
  const keys = validationResult(req)
    .array()
    .map((error) => String(error.msg));
  const errors: PoolMessage[] = [...new Set(keys)].map((key) => ({ key }));
  // Unknown facet values are left out of the search, and said so.
  const raw = req.query as Record<string, unknown>;
  for (const facet of facets) {
    const unknown = stringList(raw[facet.key]).filter((value) => !facet.values.includes(value));
    if (unknown.length > 0)
      errors.push({
        key: 'pool.errors.facetValue',
        values: { facet: req.t(`pool.facets.${facet.key}`), value: unknown.join(', ').slice(0, 100) },
      });
  }
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
      ids: Array.isArray(data.id) ? (data.id as string[]) : [],
    },
    errors,
  };
}

/** Saving a search: its name, and the query string of the search being looked at. */
export const savedSearchRules = [
  textField('name', limits.savedSearchName),
  optionalText('query', limits.savedSearchQuery),
];
