// Search keys computed once, on write, so a query never converts the collection.
import { codePoints, compact, containsHan, pinyinForms, simplify } from './normalise.js';

/** Longest name or handle that is keyed; longer ones are keyed by their beginning. */
export const maxNameLength = 100;
/** Bios are keyed by their first words only, so one long bio cannot bloat the index. */
export const maxBioLength = 300;
export const maxBioTokens = 24;
export const maxBioTokenLength = 32;

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
 * }
 * ```
 *
 * Index strategy: one multikey index per array, `{ 'search.names': 1 }` and
 * `{ 'search.tokens': 1 }` (with the scope field first, e.g. `{ street: 1, 'search.names': 1 }`,
 * where a page is always scoped). Keys are already lowercase, so queries use case-sensitive
 * regexes: an anchored prefix regex (`^…`) becomes a tight index range; a substring regex scans
 * the index keys only (small: bounded above), never the documents. Ranking (exact > prefix >
 * substring) happens in the app on the page of matches with `rankScore`.
 */
export interface SearchKeys {
  names: string[];
  tokens: string[];
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
  return { names: nonEmpty(nameKeys), tokens: nonEmpty(tokens).slice(0, maxBioTokens) };
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
