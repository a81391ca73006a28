// Validation chains for the change-password form. Messages are catalogue keys.
import { body } from 'express-validator';
import { existingPasswordField, newPasswordField } from '../auth/validation.js';

export const changePasswordRules = [
  existingPasswordField('currentPassword'),
  newPasswordField('newPassword')
    .bail()
    // The registration rule compares with the form's email; here the email is the account's own.
    .custom(
      (value: string, { req }) =>
        value.toLowerCase() !== String((req.user as Express.User | undefined)?.email ?? '').toLowerCase(),
    )
    .withMessage('validation.passwordWeak'),
  body('confirmPassword')
    .isString()
    .withMessage('validation.required')
    .bail()
    .custom((value: string, { req }) => value === (req.body as Record<string, unknown>).newPassword)
    .withMessage('validation.passwordMismatch'),
];
