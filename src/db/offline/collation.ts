// Collations as mongod takes them ({locale, strength, caseLevel, caseFirst, numericOrdering,
// alternate, maxVariable, normalization, backwards}), checked, completed with mongod's defaults,
// and turned into ICU string comparisons through Intl.Collator. What Intl cannot express
// (strength 4 and 5, backwards, caseLevel at strength 2, maxVariable 'space') is refused.
import { CommandError, badValue, notImplemented } from './errors.js';
import { type StringComparator, compareStrings } from './order.js';
import { type Doc, isPlainObject, keyOf } from './values.js';

const fields = new Set([
  'locale',
  'caseLevel',
  'caseFirst',
  'strength',
  'numericOrdering',
  'alternate',
  'maxVariable',
  'normalization',
  'backwards',
  'version',
]);

/** The ICU locale tag for a mongod locale (`en_US` → `en-US`, `zh@collation=stroke` → `zh-u-co-stroke`). */
function localeTag(locale: string): string {
  const [base, keyword] = locale.split('@');
  const tag = base!.replace(/_/g, '-');
  const collation = /^collation=(\w+)$/.exec(keyword ?? '');
  return collation ? `${tag}-u-co-${collation[1]}` : tag;
}

/**
 * A collation document checked and completed as mongod stores it (listCollections shows every
 * field); `{locale: 'simple'}` stays as it is. Undefined when none was given.
 */
export function parseCollation(raw: unknown, field = 'collation'): Doc | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw))
    throw new CommandError(
      14,
      'TypeMismatch',
      `BSON field '${field}' is the wrong type, expected type 'object'`,
    );
  for (const key of Object.keys(raw))
    if (!fields.has(key))
      throw new CommandError(40415, 'Location40415', `BSON field '${field}.${key}' is an unknown field.`);
  if (typeof raw.locale !== 'string')
    throw new CommandError(
      40414,
      'Location40414',
      `BSON field '${field}.locale' is missing but a required field`,
    );
  if (raw.locale === 'simple') return { locale: 'simple' };
  const tag = localeTag(raw.locale);
  let supported: string[];
  try {
    supported = Intl.Collator.supportedLocalesOf(tag);
  } catch {
    supported = [];
  }
  if (raw.locale === '' || supported.length === 0)
    throw badValue(`Field 'locale' is invalid in: { locale: "${raw.locale}" }`);
  const spec: Doc = {
    locale: raw.locale,
    caseLevel: raw.caseLevel ?? false,
    caseFirst: raw.caseFirst ?? 'off',
    strength: raw.strength ?? 3,
    numericOrdering: raw.numericOrdering ?? false,
    alternate: raw.alternate ?? 'non-ignorable',
    maxVariable: raw.maxVariable ?? 'punct',
    normalization: raw.normalization ?? false,
    backwards: raw.backwards ?? false,
    version: '57.1',
  };
  const strength = Number(spec.strength);
  if (![1, 2, 3, 4, 5].includes(strength))
    throw badValue(`strength must be 1 through 5, not ${String(spec.strength)}`);
  spec.strength = strength;
  if (!['upper', 'lower', 'off'].includes(String(spec.caseFirst)))
    throw badValue(`caseFirst must be 'upper', 'lower' or 'off', not ${String(spec.caseFirst)}`);
  if (!['non-ignorable', 'shifted'].includes(String(spec.alternate)))
    throw badValue(`alternate must be 'non-ignorable' or 'shifted', not ${String(spec.alternate)}`);
  if (!['punct', 'space'].includes(String(spec.maxVariable)))
    throw badValue(`maxVariable must be 'punct' or 'space', not ${String(spec.maxVariable)}`);
  if (strength > 3) throw notImplemented(`collation strength ${strength} (quaternary and identical)`);
  if (spec.backwards === true) throw notImplemented("collation 'backwards'");
  if (spec.caseLevel === true && strength === 2) throw notImplemented("collation 'caseLevel' at strength 2");
  if (spec.alternate === 'shifted' && spec.maxVariable === 'space')
    throw notImplemented("collation maxVariable 'space' with alternate 'shifted'");
  return spec;
}

/**
 * The collation an operation runs with: its own (`simple` meaning binary), else the collection's
 * default. Undefined means binary comparison.
 */
export function effectiveCollation(requested: Doc | undefined, collectionDefault: unknown): Doc | undefined {
  const chosen = requested ?? (isPlainObject(collectionDefault) ? collectionDefault : undefined);
  return !chosen || chosen.locale === 'simple' ? undefined : chosen;
}

const collators = new Map<string, StringComparator>();

/** ICU string comparison for a checked collation; binary (UTF-8 order) for none or simple. */
export function collatorFor(collation: Doc | undefined): StringComparator {
  if (!collation || collation.locale === 'simple' || typeof collation.locale !== 'string')
    return compareStrings;
  const cacheKey = keyOf(collation);
  let comparator = collators.get(cacheKey);
  if (!comparator) {
    const strength = typeof collation.strength === 'number' ? collation.strength : 3;
    const collator = new Intl.Collator(localeTag(collation.locale), {
      usage: 'sort',
      sensitivity:
        strength === 1
          ? collation.caseLevel === true
            ? 'case'
            : 'base'
          : strength === 2
            ? 'accent'
            : 'variant',
      numeric: collation.numericOrdering === true,
      ignorePunctuation: collation.alternate === 'shifted',
      ...(collation.caseFirst === 'upper' || collation.caseFirst === 'lower'
        ? { caseFirst: collation.caseFirst }
        : {}),
    });
    comparator = (a, b) => collator.compare(a, b);
    collators.set(cacheKey, comparator);
  }
  return comparator;
}

/**
 * A coarse key for a string under a collation: strings the collation holds equal share it (in
 * practice; it folds case, accents, compatibility forms, punctuation and leading zeros as the
 * collation asks), so that grouping, distinct and unique indexes compare only within one key.
 */
function foldString(value: string, collation: Doc): string {
  const strength = Number(collation.strength ?? 3);
  let out = value.normalize('NFKD');
  if (strength <= 2 && collation.caseLevel !== true) out = out.toLowerCase().replace(/ß/g, 'ss');
  if (strength === 1) out = out.replace(/\p{M}/gu, '');
  if (collation.alternate === 'shifted') out = out.replace(/[\p{P}\p{S}\p{Z}\s]/gu, '');
  if (collation.numericOrdering === true)
    out = out.replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, ''));
  return out;
}

function foldValue(value: unknown, collation: Doc): unknown {
  if (typeof value === 'string') return foldString(value, collation);
  if (Array.isArray(value)) return value.map((item) => foldValue(item, collation));
  if (isPlainObject(value)) {
    const out: Doc = {};
    for (const key of Object.keys(value)) out[key] = foldValue(value[key], collation);
    return out;
  }
  return value;
}

/** keyOf under a collation: equal for values the collation may hold equal (check with collatorFor). */
export function collatedKeyOf(value: unknown, collation: Doc | undefined): string {
  return collation ? keyOf(foldValue(value, collation)) : keyOf(value);
}

/** The collation a command (or a write statement) runs with, given its collection's default. */
export function collationOf(command: Doc, collectionDefault: unknown): Doc | undefined {
  return effectiveCollation(parseCollation(command.collation), collectionDefault);
}
