// The signed-in person's own account: changing the password.
import type { Request, RequestHandler } from 'express';
import { fieldErrors } from '../../http/forms.js';
import { changePassword } from '../auth/service.js';

/** Logs the user in again; passport 0.7 regenerates the session id as it does so. */
function logInAgain(req: Request, user: Express.User): Promise<void> {
  return new Promise((resolve, reject) => req.logIn(user, (error) => (error ? reject(error as Error) : resolve())));
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
  const body = req.body as { currentPassword: string; newPassword: string };
  if (!(await changePassword(user.id, body.currentPassword, body.newPassword))) {
    render({ currentPassword: { msg: req.t('validation.passwordWrong') } });
    return;
  }
  // A new session id after a credential change: a session id captured before it is worth nothing.
  await logInAgain(req, user);
  req.flash('success', req.t('account.password.done'));
  res.redirect(303, '/account/password');
};
