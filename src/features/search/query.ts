// A user's free-text query, normalised exactly like the stored keys, turned into a MongoDB filter
// whose regexes are built from escaped text only, and a score to rank the matches by.
import escapeStringRegexp from 'escape-string-regexp';
import { type SearchKeys, maxSuffixLength } from './keys.js';
import { alphanumeric, codePoints, compact } from './normalise.js';

/** Longest query that is searched for (longer input is cut, never refused). */
export const maxQueryLength = 64;
// Read at most this much raw input before normalising, so a 10 kB query costs nothing.
const maxRawQueryLength = maxQueryLength * 4;

export interface NormalisedQuery {
  /** Compact Simplified lowercase form ("坪山", "ping shan" → "pingshan"); empty for no query. */
  text: string;
  /** The forms to look for: `text`, and its letters and digits alone when that differs. */
  variants: string[];
}

export type MatchMode = 'prefix' | 'substring';

/** `q` from a query string (anything: missing, repeated, an object) → its normalised form. */
export function parseQuery(q: unknown): NormalisedQuery {
  if (typeof q !== 'string') return { text: '', variants: [] };
  const text = codePoints(compact(codePoints(q.trim(), maxRawQueryLength)), maxQueryLength);
  // Pinyin keys hold letters and digits only, so "Ping-Shan" also looks for "pingshan".
  const letters = alphanumeric(text);
  const variants = [text, letters].filter((form, i, all) => form && all.indexOf(form) === i);
  return { text, variants };
}

/**
 * A filter matching documents whose keys at `field` (the embedded SearchKeys path, e.g.
 * `'search'`) contain the query (`substring`, the default) or start with it (`prefix`, which
 * an index serves as a range). An empty query filters nothing: `{}`.
 */
export function queryFilter(
  query: NormalisedQuery,
  field: string,
  mode: MatchMode = 'substring',
): Record<string, unknown> {
  if (query.variants.length === 0) return {};
  const anchor = mode === 'prefix' ? '^' : '';
  const clauses = query.variants.flatMap((form) => {
    const pattern = new RegExp(anchor + escapeStringRegexp(form));
    return [{ [`${field}.names`]: pattern }, { [`${field}.tokens`]: pattern }];
  });
  return { $or: clauses };
}

/** The code point after `char`'s (surrogates skipped: they are no characters); undefined after the last. */
function nextCodePoint(char: string): string | undefined {
  const next = char.codePointAt(0)! + 1;
  if (next > 0x10ffff) return undefined;
  return String.fromCodePoint(next >= 0xd800 && next <= 0xdfff ? 0xe000 : next);
}

/** The range of strings beginning with `prefix`, in code point order (MongoDB's for strings). */
export function prefixRange(prefix: string): { $gte: string; $lt?: string } {
  const chars = [...prefix];
  while (chars.length > 0) {
    const next = nextCodePoint(chars.pop()!);
    if (next !== undefined) return { $gte: prefix, $lt: chars.join('') + next };
  }
  return { $gte: prefix };
}

/**
 * The candidates of a substring search, which an index serves: documents with a stored suffix
 * (at `field.suffixes`, see keys.ts) beginning with the query (its first maxSuffixLength code
 * points), or marked incomplete (`''`). A superset of `queryFilter`'s matches, never a
 * replacement for it: use both. An empty query: `{}`.
 */
export function candidateFilter(query: NormalisedQuery, field: string): Record<string, unknown> {
  if (query.variants.length === 0) return {};
  const path = `${field}.suffixes`;
  const prefixes = new Set(query.variants.map((form) => codePoints(form, maxSuffixLength)));
  return {
    $or: [
      ...[...prefixes].map((prefix) => ({ [path]: { $elemMatch: prefixRange(prefix) } })),
      { [path]: '' },
    ],
  };
}

/** How well keys match: exact name 4 > name prefix 3 > name substring 2 > bio word 1 > none 0. */
export function rankScore(keys: Partial<SearchKeys> | undefined, query: NormalisedQuery): number {
  let best = 0;
  for (const form of query.variants) {
    for (const key of keys?.names ?? []) {
      if (key === form) return 4;
      if (key.startsWith(form)) best = Math.max(best, 3);
      else if (key.includes(form)) best = Math.max(best, 2);
    }
    if (best === 0 && (keys?.tokens ?? []).some((token) => token.includes(form))) best = 1;
  }
  return best;
}
