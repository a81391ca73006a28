// /admin/officers (admins; the area guard is in app.ts): the list of officers, the form that creates one, and the per-officer forms that
// change the street scope and disable or enable the account.
import type { Request, RequestHandler, Response } from 'express';
import { matchedData } from 'express-validator';
import { isSignInLocked, unlockAccount } from '../auth/service.js';
import { AppError } from '../../http/errors.js';
import { type FieldErrors, fieldErrors, keptValues } from '../../http/forms.js';
import { type StreetScope, type UserDocument, type UserStatus, streetScopes } from './model.js';
import {
  EmailTakenError,
  type NewOfficer,
  createOfficer,
  findOfficer,
  listOfficers,
  setOfficerScope,
  setOfficerStatus,
} from './service.js';
import { notify } from '../notifications/service.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by loadOfficer for /admin/officers/:id/… routes. */
    officer?: UserDocument;
  }
}

interface OfficersPage {
  values?: Record<string, string>;
  errors?: FieldErrors;
  /** Messages for one officer's row, keyed by officer id. */
  rowErrors?: FieldErrors;
}

async function renderOfficers(
  req: Request,
  res: Response,
  status: number,
  page: OfficersPage = {},
): Promise<void> {
  const officers = await listOfficers();
  const locked = await Promise.all(officers.map((officer) => isSignInLocked(officer.email)));
  const scopeLabel = (scope: string | null | undefined): string =>
    scope ? req.t(`streets.${scope}`) : req.t('admin.officers.noScope');
  res.status(status).render('admin/officers', {
    title: req.t('admin.officers.title'),
    scopeOptions: streetScopes.map((value) => ({ value, label: scopeLabel(value) })),
    columns: ['fields.email', 'fields.displayName', 'fields.streetScope', 'fields.status'].map((key) =>
      req.t(key),
    ),
    officers: officers.map((officer, index) => ({
      id: officer.id,
      email: officer.email,
      displayName: officer.displayName,
      streetScope: officer.streetScope,
      scopeLabel: scopeLabel(officer.streetScope),
      active: officer.status === 'active',
      statusLabel: req.t(`userStatus.${officer.status}`),
      // Shown to admins only: sign-in itself never says whether an account is locked or disabled.
      locked: locked[index],
    })),
    values: page.values ?? { streetScope: 'district' },
    errors: page.errors,
    rowErrors: page.rowErrors,
  });
}

/** Loads the officer named by :id for the routes below it, or answers 404. */
export const loadOfficer: RequestHandler = async (req, _res, next) => {
  const officer = await findOfficer(String(req.params.id));
  if (!officer) throw new AppError(404, 'errors.notFound');
  req.officer = officer;
  next();
};

/** GET /admin/officers — admins. */
export const showOfficers: RequestHandler = async (req, res) => {
  await renderOfficers(req, res, 200);
};

/** POST /admin/officers — admins; creates an officer with a street scope. */
export const createOfficerHandler: RequestHandler = async (req, res) => {
  const values = keptValues(req, ['email', 'displayName', 'streetScope']);
  const errors = fieldErrors(req);
  if (errors) {
    await renderOfficers(req, res, 422, { values, errors });
    return;
  }
  try {
    const officer = await createOfficer(req.user as Express.User, matchedData<NewOfficer>(req));
    req.flash('success', req.t('admin.officers.created', { email: officer.email }));
    res.redirect(303, '/admin/officers');
  } catch (error) {
    if (error instanceof EmailTakenError) {
      await renderOfficers(req, res, 409, {
        values,
        errors: { email: { msg: req.t('validation.emailTaken') } },
      });
      return;
    }
    throw error;
  }
};

/** Shows the list again with the message on one officer's row when its form is invalid. */
async function refusedRow(req: Request, res: Response, officer: UserDocument): Promise<boolean> {
  const errors = fieldErrors(req);
  if (!errors) return false;
  await renderOfficers(req, res, 422, {
    rowErrors: { [officer.id]: { msg: Object.values(errors)[0]?.msg ?? '' } },
  });
  return true;
}

/** POST /admin/officers/:id/scope — admins; one street or the whole district. */
export const officerScopeHandler: RequestHandler = async (req, res) => {
  const officer = req.officer as UserDocument;
  if (await refusedRow(req, res, officer)) return;
  const { streetScope } = matchedData<{ streetScope: StreetScope }>(req);
  if (await setOfficerScope(req.user as Express.User, officer, streetScope)) {
    await notify(
      officer.id,
      'officer.scopeChanged',
      { type: 'user', id: officer.id },
      { scope: streetScope },
      // The decision is the change from the officer's state the admin saw.
      `officer.scope:${officer.updatedAt.getTime()}:${streetScope}`,
    );
    req.flash(
      'success',
      req.t('admin.officers.scopeChanged', { email: officer.email, scope: req.t(`streets.${streetScope}`) }),
    );
  }
  res.redirect(303, '/admin/officers');
};

/** POST /admin/officers/:id/status — admins; disables or enables the account. */
export const officerStatusHandler: RequestHandler = async (req, res) => {
  const officer = req.officer as UserDocument;
  if (await refusedRow(req, res, officer)) return;
  const { status } = matchedData<{ status: UserStatus }>(req);
  if (await setOfficerStatus(req.user as Express.User, officer, status)) {
    if (status === 'active') {
      // Every disabling raises credentialsVersion: one reinstatement per version.
      const key = `officer.status:${officer.credentialsVersion}`;
      await notify(officer.id, 'officer.reinstated', { type: 'user', id: officer.id }, {}, key);
    }
    req.flash(
      'success',
      req.t(status === 'active' ? 'admin.officers.enabled' : 'admin.officers.disabled', {
        email: officer.email,
      }),
    );
  }
  res.redirect(303, '/admin/officers');
};

/** POST /admin/officers/:id/unlock — admins; lifts a sign-in lock (recorded in the audit log). */
export const officerUnlockHandler: RequestHandler = async (req, res) => {
  const officer = req.officer as UserDocument;
  const unlocked = await unlockAccount(req.user as Express.User, officer);
  req.flash(
    unlocked ? 'success' : 'info',
    req.t(unlocked ? 'admin.officers.unlocked' : 'admin.officers.notLocked', { email: officer.email }),
  );
  res.redirect(303, '/admin/officers');
};
