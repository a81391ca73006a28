// Forgotten password pages. The request answers the same, at once, whatever the address: the
// lookup and the mail happen after the answer, so neither the page nor its timing tells whether
// an account exists.
import type { RequestHandler } from 'express';
import { matchedData } from 'express-validator';
import { fieldErrors, keptValues } from '../../http/forms.js';
import { completePasswordReset, requestPasswordReset, resetLinkMinutes } from './passwordReset.js';
import { peekToken } from './tokens.js';

/** GET /password/forgot — anyone. */
export const showForgot: RequestHandler = (req, res) => {
  res.render('emailLinks/forgot', { title: req.t('password.forgot.title') });
};

/** POST /password/forgot — anyone; limited per IP per hour, links per account per hour. */
export const forgotHandler: RequestHandler = (req, res) => {
  const errors = fieldErrors(req);
  if (errors) {
    res.status(422).render('emailLinks/forgot', {
      title: req.t('password.forgot.title'),
      values: keptValues(req, ['email']),
      errors,
    });
    return;
  }
  const { email } = matchedData<{ email: string }>(req);
  requestPasswordReset(email).catch((error: unknown) =>
    req.log.error({ err: error }, 'password reset failed'),
  );
  res.render('emailLinks/forgot', {
    title: req.t('password.forgot.title'),
    sent: true,
    minutes: resetLinkMinutes,
  });
};

const invalidLink: RequestHandler = (req, res) => {
  res.status(410).render('emailLinks/invalid', { title: req.t('emailLinks.invalid.title') });
};

/** GET /password/reset/:token — whoever has the link. */
export const showReset: RequestHandler = async (req, res, next) => {
  if (!(await peekToken(req.params.token, 'reset'))) {
    invalidLink(req, res, next);
    return;
  }
  res.render('emailLinks/reset', { title: req.t('password.reset.title'), token: req.params.token });
};

/** POST /password/reset/:token — whoever has the link; used once. */
export const resetHandler: RequestHandler = async (req, res, next) => {
  const token = String(req.params.token);
  const errors = fieldErrors(req);
  if (errors) {
    if (!(await peekToken(token, 'reset'))) {
      invalidLink(req, res, next);
      return;
    }
    res.status(422).render('emailLinks/reset', { title: req.t('password.reset.title'), token, errors });
    return;
  }
  const { newPassword } = matchedData<{ newPassword: string }>(req);
  if (!(await completePasswordReset(token, newPassword))) {
    invalidLink(req, res, next);
    return;
  }
  req.flash('success', req.t('password.reset.done'));
  res.redirect(303, '/login');
};

export { invalidLink };
