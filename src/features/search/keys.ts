// Search keys computed once, on write, so a query never converts the collection.
import { codePoints, compact, containsHan, pinyinForms, simplify } from './normalise.js';

/** Longest name or handle that is keyed; longer ones are keyed by their beginning. */
export const maxNameLength = 100;
/** Bios are keyed by their first words only, so one long bio cannot bloat the index. */
export const maxBioLength = 300;
export const maxBioTokens = 24;
export const maxBioTokenLength = 32;
/**
 * The format of the stored keys: a document keyed with another version is keyed again by the
 * start-up backfill (2: `suffixes` added).
 */
export const searchKeyVersion = 2;
/** Suffixes are stored cut to this many code points (a longer query looks up its beginning). */
export const maxSuffixLength = 16;
/** At most this many suffixes per document; one with more is marked incomplete (`''`). */
export const maxSuffixes = 400;

/**
 * The stored shape, embedded in each searchable document (e.g. `creator.search`):
 *
 * ```
 * search: {
 *   names:  string[]  // per name/handle: its compact Simplified lowercase form ("坪山之眼",
 *                     // "in坪山", "@pingshan_eye"), full pinyin ("pingshanzhiyan"), and initials
 *                     // ("pszy"); person-name readings (单 → shan) and ü spellings added
 *   tokens: string[]  // per bio: its words (split at spaces and punctuation), each compact and
 *                     // Simplified, plus the full pinyin of the words with Chinese in them;
 *                     // at most maxBioTokens, each at most maxBioTokenLength code points
 *   suffixes: string[] // every suffix of every name key and token ("坪山之眼" → "坪山之眼",
 *                     // "山之眼", "之眼", "眼"), each cut to maxSuffixLength code points, less
 *                     // those that begin another one; at most maxSuffixes, and then also ''
 *                     // (incomplete: the document is a candidate for every query)
 * }
 * ```
 *
 * Index strategy: a key contains the query exactly when one of its suffixes begins with it, so
 * a substring search is a prefix range over `{ 'search.suffixes': 1 }` (`candidateFilter` in
 * query.ts: `$elemMatch` with `$gte`/`$lt`, which bounds a multikey index at both ends), plus the
 * `''` of incomplete documents; the regexes over `names` and `tokens` (`queryFilter`) then decide
 * on those candidates only. Keys are already lowercase, so the regexes are case-sensitive.
 * Ranking (exact > prefix > substring) is computed on the matches (`rankScore`, or the pool's
 * `rankExpression` in the database).
 */
export interface SearchKeys {
  names: string[];
  tokens: string[];
  suffixes: string[];
}

/**
 * Keys for a document's names and handles (`names`) and its longer free texts (`bios`). Empty
 * and blank texts are ignored; the result has no duplicates and is deterministic.
 */
export function searchKeys(names: readonly string[], bios: readonly string[] = []): SearchKeys {
  const nameKeys = new Set<string>();
  for (const name of names) {
    const form = compact(codePoints(name, maxNameLength));
    if (!form) continue;
    nameKeys.add(form);
    if (!containsHan(form)) continue;
    for (const surname of [false, true]) {
      const { full, initials } = pinyinForms(form, surname);
      for (const spelling of full) nameKeys.add(spelling);
      nameKeys.add(initials);
    }
  }
  const tokens = new Set<string>();
  for (const bio of bios) {
    for (const word of bioWords(bio)) {
      if (tokens.size >= maxBioTokens) break;
      tokens.add(word);
      if (containsHan(word)) for (const spelling of pinyinForms(word).full) tokens.add(spelling);
    }
  }
  const keyed = { names: nonEmpty(nameKeys), tokens: nonEmpty(tokens).slice(0, maxBioTokens) };
  return { ...keyed, suffixes: suffixKeys([...keyed.names, ...keyed.tokens]) };
}

/**
 * Every suffix of the keys, each cut to maxSuffixLength code points, without those that begin
 * another (what they would find, the longer one finds), sorted; at most maxSuffixes, and then
 * `''` too, which every query's candidates include, so no document is ever missed.
 */
export function suffixKeys(keys: readonly string[]): string[] {
  const all = new Set<string>();
  for (const key of keys) {
    const chars = [...key];
    for (let start = 0; start < chars.length; start++)
      all.add(chars.slice(start, start + maxSuffixLength).join(''));
  }
  // In code point order (as MongoDB compares strings), a suffix beginning another comes right before
  // the first of the ones it begins.
  const sorted = [...all].sort(byCodePoint);
  const kept = sorted.filter((suffix, i) => !sorted[i + 1]?.startsWith(suffix));
  return kept.length > maxSuffixes ? ['', ...kept.slice(0, maxSuffixes)] : kept;
}

/** Code point order (UTF-16 code unit order differs from it above U+D7FF). */
function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const diff = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (diff !== 0) return diff;
  }
  return x.length - y.length;
}

/** The words of a bio's beginning, compact and Simplified, each bounded in length. */
function bioWords(bio: string): string[] {
  return simplify(codePoints(bio, maxBioLength))
    .split(/[\s\p{P}\p{S}]+/u)
    .map((word) => codePoints(compact(word), maxBioTokenLength))
    .filter((word) => word.length > 0);
}

function nonEmpty(keys: Set<string>): string[] {
  return [...keys].filter((key) => key.length > 0);
}
