// Sign in, sign out and registration.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { matchedData } from 'express-validator';
import { safeNextPath } from '../../http/access.js';
import { type FieldErrors, fieldErrors, keptValues } from '../../http/forms.js';
import { formatDateTime } from '../../i18n/format.js';
import type { Role } from '../users/model.js';
import { isLanguage } from '../../i18n/index.js';
import { sendVerification, tellOwnerOfRegistration } from '../emailLinks/verification.js';
import { EmailTakenError, createUser, findUserByEmail } from '../users/service.js';
import { hashPassword } from './passwords.js';
import { issueDeviceCookie } from './deviceCookie.js';
import type { Authenticator, SignInRefusal } from './passport.js';

const homeFor: Record<Role, string> = { creator: '/me', officer: '/office', admin: '/admin' };

export function homePath(role: Role): string {
  return homeFor[role];
}

/** Logs a user in with a fresh session id (passport regenerates the session). */
function logIn(req: Request, user: Express.User): Promise<void> {
  return new Promise((resolve, reject) =>
    req.logIn(user, (error) => (error ? reject(error as Error) : resolve())),
  );
}

/** GET /login — anyone. */
export const showSignIn: RequestHandler = (req, res) => {
  res.render('auth/login', { title: req.t('auth.login.title'), next: safeNextPath(req.query.next, '') });
};

/** POST /login — anyone; throttled per IP and locked per email. */
export const signInHandler =
  (passport: Authenticator, secureCookies: boolean): RequestHandler =>
  (req, res, next) => {
    const values = keptValues(req, ['email', 'next']);
    const render = (status: number, extra: Record<string, unknown>): void => {
      res.status(status).render('auth/login', {
        title: req.t('auth.login.title'),
        values,
        next: safeNextPath(values.next, ''),
        ...extra,
      });
    };
    const errors = fieldErrors(req);
    if (errors) {
      render(422, { errors });
      return;
    }
    const authenticate = passport.authenticate(
      'local',
      (error: unknown, user: Express.User | false, refusal: SignInRefusal | undefined) => {
        if (error) {
          next(error);
          return;
        }
        if (!user) {
          if (refusal?.kind === 'locked') {
            render(423, {
              formError: req.t('auth.login.locked', {
                until: formatDateTime(refusal.until, req.language),
                minutes: Math.ceil((refusal.until.getTime() - Date.now()) / 60000),
              }),
              lockedUntil: refusal.until,
            });
          } else {
            // A wrong password, an unknown email, a disabled account and (in production) a demo
            // log-in all get this one answer.
            render(401, { formError: req.t('auth.login.invalid') });
          }
          return;
        }
        logIn(req, user)
          .then(() => {
            // This browser has now signed in to this account: failures elsewhere will not lock it out.
            issueDeviceCookie(res, user.email, secureCookies);
            req.flash('success', req.t('auth.login.welcome', { name: user.displayName }));
            res.redirect(303, safeNextPath(values.next, homePath(user.role)));
          })
          .catch(next);
      },
    ) as (req: Request, res: Response, next: NextFunction) => void;
    authenticate(req, res, next);
  };

/** POST /logout — signed-in users. */
export const signOutHandler: RequestHandler = (req, res, next) => {
  req.logout((error) => {
    if (error) {
      next(error);
      return;
    }
    req.flash('info', req.t('auth.logout.done'));
    res.redirect(303, '/');
  });
};

/** GET /register — anyone. */
export const showRegister: RequestHandler = (req, res) => {
  res.render('auth/register', { title: req.t('auth.register.title') });
};

/**
 * The one place that decides how a registration for an email that already has an account is
 * answered: exactly like a fresh registration ("check your mail", the same redirect), while the
 * owner gets a note with a sign-in and a reset link. The page tells no one which emails have
 * accounts; the password is hashed anyway so that the answer takes as long.
 */
async function answerAlreadyRegistered(
  req: Request,
  res: Response,
  email: string,
  password: string,
): Promise<void> {
  await hashPassword(password);
  await tellOwnerOfRegistration(email);
  res.redirect(303, '/register/sent');
}

/** POST /register — anyone; creates a creator account and mails a verification link. */
export const registerHandler: RequestHandler = async (req, res) => {
  const values = keptValues(req, ['email', 'displayName', 'privacy']);
  const render = (status: number, errors: FieldErrors): void => {
    res.status(status).render('auth/register', { title: req.t('auth.register.title'), values, errors });
  };
  const errors = fieldErrors(req);
  if (errors) {
    render(422, errors);
    return;
  }
  const form = matchedData<{ email: string; password: string; displayName: string }>(req);
  if (await findUserByEmail(form.email)) {
    await answerAlreadyRegistered(req, res, form.email, form.password);
    return;
  }
  try {
    const user = await createUser({
      ...form,
      role: 'creator',
      privacyAccepted: true,
      language: isLanguage(req.language) ? req.language : undefined,
    });
    await sendVerification(user);
    // Not signed in here: an existing address cannot be, and both answers must look the same.
    res.redirect(303, '/register/sent');
  } catch (error) {
    if (error instanceof EmailTakenError) {
      await answerAlreadyRegistered(req, res, form.email, form.password);
      return;
    }
    throw error;
  }
};
