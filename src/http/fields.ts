// Shared field rules. Each limit is defined once here and used by the mongoose model
// (maxlength), the validation chain, the template's maxlength attribute and the hint
// (views get `limits` through pageLocals). Messages are catalogue keys, translated when the form
// is shown again. Handlers read matchedData(req), never req.body.
import type { Request } from 'express';
import { body } from 'express-validator';
import { isWeakPassword } from './passwordStrength.js';

export const limits = {
  /** RFC 5321's longest address. */
  email: 254,
  displayName: 60,
  passwordMin: 10,
  passwordMax: 128,
  /** Lower-case letters, digits and single hyphens, e.g. a platform handle's URL part. */
  slug: 64,
  /** A creator's bio (several sentences; several lines). */
  bio: 1000,
  /** A phone number as people type it: +86 139-1234-5678. */
  phone: 24,
  /** A WeChat id is 6–20 characters; room for a note such as "(work)". */
  wechat: 40,
  /** A pasted profile address or a typed platform id. */
  profileInput: 2048,
  /** A follower count as the platform shows it: "1.2万", "10万+", "1,234,567". */
  countText: 24,
  /** An officer's reason for a decision, shown to the creator. */
  reason: 500,
  /** The name an officer gives a saved pool search. */
  savedSearchName: 60,
  /** A saved pool search's query string (the pool's own links stay far below it). */
  savedSearchQuery: 2000,
} as const;

/** For custom(): true when the field's bytes were valid UTF-8 (formBodies notes those that were not). */
function wasReadable(_value: unknown, meta: { req: unknown; path: string }): boolean {
  return !(meta.req as Request).unreadableFields?.has(meta.path);
}

/** Bytes that were not UTF-8 (noted by the body parser) or that a client already replaced with U+FFFD. */
const readable = (value: string, meta: { req: unknown; path: string }): boolean =>
  !value.includes('\uFFFD') && wasReadable(value, meta);
/** Control characters, invisible format characters (bidi, zero-width) and markup have no place in names. */
const plainText = (value: string): boolean => !/[<>\p{Cc}\p{Cf}]/u.test(value);
/** At most `max` UTF-16 units, as the model's maxlength counts (isLength counts code points). */
const withinLength =
  (max: number) =>
  (value: string): boolean =>
    value.length <= max;

/** Required, trimmed text of at most `max` UTF-16 units whose bytes were readable UTF-8. */
export const requiredText = (field: string, max: number) =>
  body(field)
    .isString()
    .withMessage('validation.required')
    .bail()
    .trim()
    .notEmpty()
    .withMessage('validation.required')
    .bail()
    .custom(withinLength(max))
    .withMessage('validation.tooLong')
    .bail()
    .custom(readable)
    .withMessage('validation.unreadable')
    .bail();

/** A name or title shown to others: required plain text (no markup, no control characters). */
export const textField = (field: string, max: number) =>
  requiredText(field, max).custom(plainText).withMessage('validation.plainText');

export const emailField = (field = 'email') =>
  requiredText(field, limits.email).isEmail({ allow_utf8_local_part: false }).withMessage('validation.email');

export const displayNameField = (field = 'displayName') => textField(field, limits.displayName);

/** Optional text, empty when absent: a string, trimmed, within `max`, readable UTF-8. */
const optionalString = (field: string, max: number) =>
  body(field)
    .default('')
    .isString()
    .withMessage('validation.required')
    .bail()
    .trim()
    .custom(withinLength(max))
    .withMessage('validation.tooLong')
    .bail()
    .custom(readable)
    .withMessage('validation.unreadable')
    .bail();

/** Optional text of several lines (a bio, a reason): markup and control characters other than line breaks refused. */
export const optionalLongText = (field: string, max: number) =>
  optionalString(field, max)
    // eslint-disable-next-line no-control-regex -- line breaks are allowed, other controls are not
    .custom((value: string) => !/[<>\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f\p{Cf}]/u.test(value))
    .withMessage('validation.plainText');

/** Optional one-line plain text (a phone number, a WeChat id): empty is fine. */
export const optionalText = (field: string, max: number) =>
  optionalString(field, max)
    .custom((value: string) => value === '' || plainText(value))
    .withMessage('validation.plainText');

/** A lower-case slug: letters, digits, single hyphens inside. */
export const slugField = (field: string, max: number = limits.slug) =>
  requiredText(field, max)
    .matches(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
    .withMessage('validation.slug');

/** One of a fixed set of values (a select or a hidden field). */
export const choiceField = (field: string, values: readonly string[]) =>
  body(field)
    .isString()
    .withMessage('validation.choice')
    .bail()
    .isIn(values)
    .withMessage('validation.choice');

/** A password the person already has (sign-in, or the current one on a change): present, not huge. */
export const existingPasswordField = (field: string) =>
  body(field)
    .isString()
    .withMessage('validation.required')
    .bail()
    .notEmpty()
    .withMessage('validation.required')
    .bail()
    .isLength({ max: limits.passwordMax })
    .withMessage('validation.tooLong');

/**
 * A new password: long enough, and not one a guesser tries early (common passwords, the demo
 * password, the person's own email or name), as judged by the strength estimator.
 * `ownWords` reads the words of this person from the request (the form's email, or the account's).
 */
export const newPasswordField = (
  field: string,
  ownWords: (req: Request) => string[] = (req) => {
    const form = req.body as Record<string, unknown>;
    return [form.email, form.displayName].filter((word): word is string => typeof word === 'string');
  },
) =>
  body(field)
    .isString()
    .withMessage('validation.required')
    .bail()
    .isLength({ min: limits.passwordMin })
    .withMessage('validation.passwordShort')
    .bail()
    .isLength({ max: limits.passwordMax })
    .withMessage('validation.tooLong')
    .bail()
    .custom((value: string, { req }) => !isWeakPassword(value, ownWords(req as Request)))
    .withMessage('validation.passwordWeak');
