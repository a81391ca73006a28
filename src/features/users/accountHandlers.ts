// The signed-in person's own account: changing the password.
import type { Request, RequestHandler } from 'express';
import { matchedData } from 'express-validator';
import { fieldErrors } from '../../http/forms.js';
import { toSessionUser } from './model.js';
import { changePassword } from './service.js';

/** Logs the user in again; passport 0.7 regenerates the session id as it does so. */
function logInAgain(req: Request, user: Express.User): Promise<void> {
  return new Promise((resolve, reject) =>
    req.logIn(user, (error) => (error ? reject(error as Error) : resolve())),
  );
}

/** GET /account/password — signed-in users. */
export const showChangePassword: RequestHandler = (req, res) => {
  res.render('account/password', { title: req.t('account.password.title') });
};

/** POST /account/password — signed-in users; throttled per IP. */
export const changePasswordHandler: RequestHandler = async (req, res) => {
  // Nothing on this form is kept: every field is a password.
  const render = (errors: Record<string, { msg: string }>): void => {
    res.status(422).render('account/password', { title: req.t('account.password.title'), errors });
  };
  const errors = fieldErrors(req);
  if (errors) {
    render(errors);
    return;
  }
  const user = req.user as Express.User;
  const form = matchedData<{ currentPassword: string; newPassword: string }>(req);
  const updated = await changePassword(user.id, form.currentPassword, form.newPassword);
  if (!updated) {
    render({ currentPassword: { msg: req.t('validation.passwordWrong') } });
    return;
  }
  // A new session id and credentials version: this session stays signed in, every other one
  // (signed in under the old password) ends at its next request.
  await logInAgain(req, toSessionUser(updated));
  req.flash('success', req.t('account.password.done'));
  res.redirect(303, '/account/password');
};
