// Verification links, "send again", and changing one's address.
import type { RequestHandler } from 'express';
import { matchedData } from 'express-validator';
import { fieldErrors, keptValues } from '../../http/forms.js';
import { verifyPassword } from '../auth/passwords.js';
import { findUserById } from '../users/service.js';
import { invalidLink } from './passwordHandlers.js';
import { peekToken } from './tokens.js';
import {
  confirmEmailChange,
  confirmVerification,
  requestEmailChange,
  resendVerification,
} from './verification.js';

/** GET /register/sent — anyone: the one answer to every registration. */
export const showRegisterSent: RequestHandler = (req, res) => {
  res.render('emailLinks/registerSent', { title: req.t('emailLinks.registerSent.title') });
};

/** GET /verify/:token and /verify/email/:token — whoever has the link: a button (mail scanners only GET). */
export const showConfirm =
  (purpose: 'verify' | 'changeEmail'): RequestHandler =>
  async (req, res, next) => {
    if (!(await peekToken(req.params.token, purpose))) {
      invalidLink(req, res, next);
      return;
    }
    res.render('emailLinks/confirm', {
      title: req.t(`emailLinks.confirm.${purpose}`),
      heading: req.t(`emailLinks.confirm.${purpose}`),
      action: req.originalUrl,
    });
  };

/** POST /verify/:token — whoever has the link; used once. */
export const verifyHandler: RequestHandler = async (req, res, next) => {
  if (!(await confirmVerification(String(req.params.token)))) {
    invalidLink(req, res, next);
    return;
  }
  req.flash('success', req.t('emailLinks.verified'));
  res.redirect(303, req.user ? '/account/email' : '/login');
};

/** POST /verify/email/:token — whoever has the link; used once. */
export const verifyChangeHandler: RequestHandler = async (req, res, next) => {
  const outcome = await confirmEmailChange(String(req.params.token));
  if (outcome !== 'changed') {
    if (outcome === 'taken') req.flash('error', req.t('emailLinks.changeTaken'));
    invalidLink(req, res, next);
    return;
  }
  req.flash('success', req.t('emailLinks.changed'));
  res.redirect(303, req.user ? '/account/email' : '/login');
};

/** POST /account/verify/resend — signed-in people; three links an hour. */
export const resendHandler: RequestHandler = async (req, res) => {
  const result = await resendVerification((req.user as Express.User).id);
  if (result === 'limited') {
    await renderEmailPage(req, res, 429, { formError: req.t('emailLinks.resendLimited') });
    return;
  }
  req.flash('success', req.t(result === 'sent' ? 'emailLinks.resent' : 'emailLinks.verified'));
  res.redirect(303, '/account/email');
};

async function renderEmailPage(
  req: Parameters<RequestHandler>[0],
  res: Parameters<RequestHandler>[1],
  status: number,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const user = await findUserById((req.user as Express.User).id);
  res.status(status).render('emailLinks/email', {
    title: req.t('emailLinks.email.title'),
    email: user?.email,
    verified: Boolean(user?.emailVerifiedAt),
    ...extra,
  });
}

/** GET /account/email — signed-in people: their address, whether it is verified, and a change form. */
export const showEmail: RequestHandler = async (req, res) => {
  await renderEmailPage(req, res, 200);
};

/** POST /account/email — signed-in people; the current password, then a link to the new address. */
export const changeEmailHandler: RequestHandler = async (req, res) => {
  const values = keptValues(req, ['newEmail']);
  const errors = fieldErrors(req);
  if (errors) {
    await renderEmailPage(req, res, 422, { values, errors });
    return;
  }
  const form = matchedData<{ newEmail: string; currentPassword: string }>(req);
  const user = await findUserById((req.user as Express.User).id);
  if (!user || !(await verifyPassword(user.passwordHash, form.currentPassword))) {
    await renderEmailPage(req, res, 422, {
      values,
      errors: { currentPassword: { msg: req.t('validation.passwordWrong') } },
    });
    return;
  }
  const result = await requestEmailChange(user, form.newEmail);
  if (result === 'same') {
    await renderEmailPage(req, res, 422, {
      values,
      errors: { newEmail: { msg: req.t('emailLinks.email.same') } },
    });
    return;
  }
  if (result === 'limited') {
    await renderEmailPage(req, res, 429, { values, formError: req.t('emailLinks.resendLimited') });
    return;
  }
  req.flash('success', req.t('emailLinks.email.sent', { email: form.newEmail }));
  res.redirect(303, '/account/email');
};
