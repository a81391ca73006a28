// Validation chains for the officer forms. Messages are catalogue keys.
import { body } from 'express-validator';
import { userStatuses } from '../../users/model.js';
import { displayNameField, emailField, newPasswordField } from '../../auth/validation.js';
import { streetScopes } from './service.js';

const scopeField = () =>
  body('streetScope')
    .isString()
    .withMessage('validation.choice')
    .bail()
    .isIn(streetScopes)
    .withMessage('validation.choice');

export const createOfficerRules = [
  emailField(),
  displayNameField(),
  newPasswordField('password'),
  scopeField(),
];

export const officerScopeRules = [scopeField()];

export const officerStatusRules = [
  body('status')
    .isString()
    .withMessage('validation.choice')
    .bail()
    .isIn(userStatuses)
    .withMessage('validation.choice'),
];
