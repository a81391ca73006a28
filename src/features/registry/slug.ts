// Public slugs for creator pages: derived from the display name (Chinese in pinyin, without tones),
// lower case, words joined by hyphens, never a word the portal's own addresses use.
import { pinyin } from 'pinyin-pro';

export const maxSlugLength = 60;
export const minSlugLength = 2;
export const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Words that are, or may become, paths next to /creators/<slug> and friends. */
export const reservedSlugs: ReadonlySet<string> = new Set([
  'new',
  'edit',
  'delete',
  'admin',
  'api',
  'office',
  'creator',
  'creators',
  'me',
  'login',
  'logout',
  'register',
  'settings',
  'account',
  'accounts',
  'search',
  'directory',
  'members',
  'member',
  'pledge',
  'import',
  'export',
  'static',
  'public',
  'files',
  'claim',
  'audit',
  'health',
  'language',
  'help',
]);

/** What a name with nothing to transliterate (only emoji, say) becomes. */
const fallbackSlug = 'creator';

const hanRun = /(\p{Script=Han}+)/u;

/** Latin text → ASCII words: accents dropped (café → cafe), everything else a separator. */
function latinWords(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');
}

/** Cuts at the last hyphen that keeps the slug within the limit, so no syllable is cut in half. */
function truncate(slug: string): string {
  if (slug.length <= maxSlugLength) return slug;
  const cut = slug.slice(0, maxSlugLength + 1);
  const lastHyphen = cut.lastIndexOf('-');
  return (lastHyphen >= minSlugLength ? cut.slice(0, lastHyphen) : slug.slice(0, maxSlugLength)).replace(
    /-+$/,
    '',
  );
}

/**
 * 坪山之眼 → pingshanzhiyan, IN坪山 → in-pingshan, 龍田 Café → longtian-cafe. Each run of Chinese
 * characters becomes one word (pinyin-pro reads polyphones in context: 重庆 → chongqing).
 */
export function deriveSlug(displayName: string): string {
  const text = displayName.normalize('NFKC');
  const words = text.split(hanRun).map((part, index) =>
    // split() with a capture group puts the Han runs at odd indexes
    index % 2 === 1 ? pinyin(part, { toneType: 'none', type: 'array', v: true }).join('') : latinWords(part),
  );
  const slug = truncate(
    words
      .join('-')
      .replace(/[^a-z0-9-]/g, '')
      .replace(/-{2,}/g, '-')
      .replace(/^-|-$/g, ''),
  );
  return slug.length >= minSlugLength ? slug : fallbackSlug;
}

/** A slug a creator may choose: the right shape and length, and not a reserved word. */
export function isValidSlug(slug: string): boolean {
  return (
    slug.length >= minSlugLength &&
    slug.length <= maxSlugLength &&
    slugPattern.test(slug) &&
    !reservedSlugs.has(slug)
  );
}

/** How many numbered candidates (-2, -3, …) are tried before giving up. */
const maxAttempts = 50;

/**
 * The first free slug among base, base-2, base-3, …: `exists` says whether one is taken (a
 * database lookup in practice). Reserved words are never returned. The unique index on the
 * collection stays the real guard against two creators racing for the same slug.
 */
export async function uniqueSlug(base: string, exists: (slug: string) => Promise<boolean>): Promise<string> {
  const root = isValidSlug(base) || reservedSlugs.has(base) ? base : deriveSlug(base);
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const suffix = attempt === 1 ? '' : `-${attempt}`;
    const candidate = `${truncate(root)
      .slice(0, maxSlugLength - suffix.length)
      .replace(/-+$/, '')}${suffix}`;
    if (!reservedSlugs.has(candidate) && !(await exists(candidate))) return candidate;
  }
  throw new Error(`no free slug for "${base}" after ${maxAttempts} attempts`);
}
