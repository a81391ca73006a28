// Validation chains for the registry's forms, built from the shared field rules. Messages are
// catalogue keys; what needs the parsed value (a profile address, a count) is read again in the
// handler from matchedData().
import { body } from 'express-validator';
import {
  choiceField,
  displayNameField,
  existingPasswordField,
  limits,
  optionalLongText,
  optionalText,
  requiredText,
  slugField,
} from '../../http/fields.js';
import { parseCount } from '../stats/parseCount.js';
import { categories, creatorKinds, maxCategoriesPerCreator, streets } from './catalogue.js';
import { platformKeys } from './platforms/index.js';
import { isValidSlug } from './slug.js';

/** Checkboxes send one value, several, or none; anything but strings from the list is refused. */
const categoriesField = body('categories')
  .default([])
  .customSanitizer((value: unknown) => (typeof value === 'string' ? [value] : value))
  .custom(
    (value: unknown) =>
      Array.isArray(value) &&
      value.every((item) => typeof item === 'string' && (categories as readonly string[]).includes(item)),
  )
  .withMessage('validation.choice')
  .bail()
  .custom((value: string[]) => new Set(value).size <= maxCategoriesPerCreator)
  .withMessage('registry.profile.tooManyCategories')
  .customSanitizer((value: string[]) => [...new Set(value)]);

/** A checkbox: present ("yes") or absent; anything else is a forged form. */
const checkbox = (field: string) =>
  body(field).default('no').isIn(['yes', 'no']).withMessage('validation.choice');

export const profileRules = [
  displayNameField(),
  choiceField('kind', creatorKinds),
  choiceField('street', streets),
  categoriesField,
  optionalLongText('bio', limits.bio),
  optionalText('phone', limits.phone)
    .matches(/^[+0-9 ()-]*$/)
    .withMessage('registry.profile.phoneFormat'),
  optionalText('wechat', limits.wechat),
  slugField('slug')
    .custom((value: string) => isValidSlug(value))
    .withMessage('registry.profile.slugReserved'),
  checkbox('listed'),
];

export const addAccountRules = [
  body('platform')
    .default('')
    .isIn(['', ...platformKeys])
    .withMessage('registry.profileRefusals.unknown_platform'),
  requiredText('profile', limits.profileInput),
  optionalText('displayName', limits.displayName),
];

export const renameAccountRules = [optionalText('displayName', limits.displayName)];

export const changeIdRules = [requiredText('platformId', limits.profileInput)];

export const figureRules = [
  requiredText('count', limits.countText)
    .custom((value: string) => parseCount(value).ok)
    .withMessage('registry.figures.unreadableCount'),
];

export const decisionRules = [
  choiceField('decision', ['approve', 'reject']),
  optionalLongText('reason', limits.reason)
    .custom(
      (value: string, { req }) => value !== '' || (req.body as Record<string, unknown>).decision !== 'reject',
    )
    .withMessage('registry.review.reasonRequired'),
];

export const conflictDecisionRules = [
  choiceField('decision', ['keep', 'transfer']),
  optionalLongText('reason', limits.reason)
    .custom((value: string) => value !== '')
    .withMessage('registry.review.reasonRequired'),
];

export const confirmPasswordRules = [existingPasswordField('password')];
