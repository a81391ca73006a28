// Validation chains for the sign-in and registration forms, built from the shared field rules.
import { body } from 'express-validator';
import { displayNameField, emailField, existingPasswordField, newPasswordField } from '../../http/fields.js';

export const signInRules = [
  emailField(),
  existingPasswordField('password'),
  // Where to go after signing in; checked again by safeNextPath.
  body('next').optional().isString(),
];

export const registerRules = [
  emailField(),
  newPasswordField('password'),
  displayNameField(),
  body('privacy').equals('yes').withMessage('validation.privacy'),
];
