// Mail links: forgotten passwords, address verification, changing one's address.
//   public  → /password/forgot, /password/reset/:token, /verify/:token, /verify/email/:token,
//             /register/sent
//   account → /account/email, /account/verify/resend (anyone signed in)
import { Router } from 'express';
import { body } from 'express-validator';
import { emailField, existingPasswordField, newPasswordField } from '../../http/fields.js';
import { type RateLimitStoreFactory, hourlyRateLimit } from '../../http/rateLimits.js';
import { noStore } from '../../http/security.js';
import { forgotHandler, resetHandler, showForgot, showReset } from './passwordHandlers.js';
import {
  changeEmailHandler,
  resendHandler,
  showConfirm,
  showEmail,
  showRegisterSent,
  verifyChangeHandler,
  verifyHandler,
} from './verifyHandlers.js';

const resetRules = [
  newPasswordField('newPassword', () => []),
  body('confirmPassword')
    .custom((value, { req }) => value === (req.body as Record<string, unknown>).newPassword)
    .withMessage('validation.passwordMismatch'),
];

const changeEmailRules = [emailField('newEmail'), existingPasswordField('currentPassword')];

export function emailLinkRoutes(limits: { perHour: number; stores: RateLimitStoreFactory }): {
  public: Router;
  account: Router;
} {
  const publicRouter = Router();
  // Pages whose URL holds a token, and their forms: never cached.
  publicRouter.use(['/password', '/verify', '/register/sent'], noStore);
  /** GET /password/forgot — anyone. */
  publicRouter.get('/password/forgot', showForgot);
  /** POST /password/forgot — anyone; limited per IP per hour. */
  publicRouter.post(
    '/password/forgot',
    hourlyRateLimit(limits.stores, 'forgot', limits.perHour),
    emailField(),
    forgotHandler,
  );
  /** GET /password/reset/:token — whoever has the link. */
  publicRouter.get('/password/reset/:token', showReset);
  /** POST /password/reset/:token — whoever has the link. */
  publicRouter.post(
    '/password/reset/:token',
    hourlyRateLimit(limits.stores, 'reset', limits.perHour),
    resetRules,
    resetHandler,
  );
  /** GET /verify/email/:token — whoever has the link. */
  publicRouter.get('/verify/email/:token', showConfirm('changeEmail'));
  /** POST /verify/email/:token — whoever has the link. */
  publicRouter.post('/verify/email/:token', verifyChangeHandler);
  /** GET /verify/:token — whoever has the link. */
  publicRouter.get('/verify/:token', showConfirm('verify'));
  /** POST /verify/:token — whoever has the link. */
  publicRouter.post('/verify/:token', verifyHandler);
  /** GET /register/sent — anyone. */
  publicRouter.get('/register/sent', showRegisterSent);

  const account = Router();
  /** GET /account/email — signed-in people. */
  account.get('/email', showEmail);
  /** POST /account/email — signed-in people; limited per IP per hour. */
  account.post(
    '/email',
    hourlyRateLimit(limits.stores, 'email-change', limits.perHour),
    changeEmailRules,
    changeEmailHandler,
  );
  /** POST /account/verify/resend — signed-in people; limited per IP and per account. */
  account.post('/verify/resend', hourlyRateLimit(limits.stores, 'resend', limits.perHour), resendHandler);
  return { public: publicRouter, account };
}
