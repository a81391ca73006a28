// Validation chains for the alliance forms, built from the shared field rules.
import { body } from 'express-validator';
import { limits, optionalLongText, textField } from '../../http/fields.js';
import { allianceActivities, allianceLimits } from './membership.model.js';
import { pledgeLimits } from './pledge.model.js';

/** Several lines of required plain text (a motivation, a reason, a pledge body). */
const requiredLongText = (field: string, max: number) =>
  optionalLongText(field, max).bail().notEmpty().withMessage('validation.required');

/** The activities ticked: at least one, each from the curated list (a single value arrives as a string). */
const activitiesField = body('activities')
  .default([])
  .customSanitizer((value: unknown) => (typeof value === 'string' ? [value] : value))
  .isArray({ min: 1, max: allianceActivities.length })
  .withMessage('alliance.validation.activities')
  .bail()
  .custom(
    (values: unknown[]) =>
      values.every(
        (value) => typeof value === 'string' && (allianceActivities as readonly string[]).includes(value),
      ) && new Set(values).size === values.length,
  )
  .withMessage('alliance.validation.activities');

export const applicationRules = [requiredLongText('motivation', allianceLimits.motivation), activitiesField];

export const reasonRules = [requiredLongText('reason', limits.reason)];

export const signatureRules = [
  body('version')
    .isString()
    .withMessage('validation.required')
    .bail()
    .isInt({ min: 1 })
    .withMessage('validation.required')
    .bail()
    .toInt(),
  textField('typedName', limits.displayName),
  body('confirm').equals('yes').withMessage('alliance.validation.confirm'),
];

export const pledgeRules = [
  textField('title', pledgeLimits.title),
  requiredLongText('body', pledgeLimits.body),
  body('effectiveAt')
    .isString()
    .withMessage('alliance.validation.date')
    .bail()
    .matches(/^\d{4}-\d{2}-\d{2}$/)
    .withMessage('alliance.validation.date')
    .bail()
    .isISO8601({ strict: true })
    .withMessage('alliance.validation.date'),
  body('graceDays')
    .isString()
    .withMessage('alliance.validation.graceDays')
    .bail()
    .isInt({ min: 0, max: pledgeLimits.graceDaysMax })
    .withMessage('alliance.validation.graceDays')
    .bail()
    .toInt(),
];
