// Validation chains for the sign-in and registration forms. Messages are catalogue keys,
// translated when the form is shown again.
import { body } from 'express-validator';
import { wasReadable } from '../../http/forms.js';

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
const requiredText = (field: string, max: number) =>
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

export const emailField = () =>
  requiredText('email', 254).isEmail({ allow_utf8_local_part: false }).withMessage('validation.email');

/** A password the person already has (sign-in, or the current one on a change): present, not huge. */
export const existingPasswordField = (field: string) =>
  body(field)
    .isString()
    .withMessage('validation.required')
    .bail()
    .notEmpty()
    .withMessage('validation.required')
    .bail()
    .isLength({ max: 128 })
    .withMessage('validation.tooLong');

export const signInRules = [emailField(), existingPasswordField('password')];

/** At least 10 characters, with letters and digits; not the email address itself. */
export const newPasswordField = (field: string) =>
  body(field)
    .isString()
    .withMessage('validation.required')
    .bail()
    .isLength({ min: 10 })
    .withMessage('validation.passwordShort')
    .bail()
    .isLength({ max: 128 })
    .withMessage('validation.tooLong')
    .bail()
    .matches(/\p{L}/u)
    .withMessage('validation.passwordWeak')
    .bail()
    .matches(/\p{N}/u)
    .withMessage('validation.passwordWeak')
    .bail()
    .custom((value: string, { req }) => {
      const email = (req.body as Record<string, unknown>).email;
      return typeof email !== 'string' || value.toLowerCase() !== email.trim().toLowerCase();
    })
    .withMessage('validation.passwordWeak');

export const displayNameField = () =>
  requiredText('displayName', 60).custom(plainText).withMessage('validation.plainText');

export const registerRules = [
  emailField(),
  newPasswordField('password'),
  displayNameField(),
  body('privacy').equals('yes').withMessage('validation.privacy'),
];
