// Validation chains for the user forms (officers by admins, one's own password), built from the
// shared field rules. Messages are catalogue keys.
import { body } from 'express-validator';
import {
  choiceField,
  displayNameField,
  emailField,
  existingPasswordField,
  newPasswordField,
} from '../../http/fields.js';
import { streetScopes, userStatuses } from './model.js';

export const createOfficerRules = [
  emailField(),
  displayNameField(),
  newPasswordField('password'),
  choiceField('streetScope', streetScopes),
];

export const officerScopeRules = [choiceField('streetScope', streetScopes)];

export const officerStatusRules = [choiceField('status', userStatuses)];

export const changePasswordRules = [
  existingPasswordField('currentPassword'),
  // The person's own words are the account's email and name, not the form's.
  newPasswordField('newPassword', (req) => {
    const user = req.user;
    return user ? [user.email, user.displayName] : [];
  }),
  body('confirmPassword')
    .isString()
    .withMessage('validation.required')
    .bail()
    .custom((value: string, { req }) => value === (req.body as Record<string, unknown>).newPassword)
    .withMessage('validation.passwordMismatch'),
];
