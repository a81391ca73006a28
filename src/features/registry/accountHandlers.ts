// /me/accounts (creators; the area guard is in app.ts): the accounts list with the add form, one
// account's page (name, ownership code, check request, evidence, manual figure), and removal.
// Loaders have already scope-checked :accountId (someone else's account is a 404).
import type { Request, RequestHandler, Response } from 'express';
import { matchedData } from 'express-validator';
import { type FieldErrors, fieldErrors, keptValues } from '../../http/forms.js';
import { parseCount } from '../stats/parseCount.js';
import type { SessionUser } from '../users/model.js';
import type { AccountDocument } from './account.model.js';
import {
  addAccount,
  addOwnershipEvidence,
  changeAccountId,
  enterManualFigure,
  listAccountsOf,
  removeAccount,
  renameAccount,
  requestOwnershipCheck,
} from './accountService.js';
import type { CreatorDocument } from './creator.model.js';
import { detectPlatform } from './platforms/index.js';
import { refusalMessage, storeUpload } from './uploads.js';
import { accountView, platformLabel, platformOptions } from './view.js';

async function renderAccounts(
  req: Request,
  res: Response,
  status: number,
  page: { values?: Record<string, string>; errors?: FieldErrors } = {},
): Promise<void> {
  const creator = req.creator as CreatorDocument;
  const accounts = await listAccountsOf(creator._id);
  res.status(status).render('registry/accounts', {
    title: req.t('registry.accounts.title'),
    accounts: accounts.map((account) => accountView(req, account)),
    platformOptions: [
      { value: '', label: req.t('registry.accounts.detectPlatform') },
      ...platformOptions(req),
    ],
    values: page.values ?? { platform: '' },
    errors: page.errors,
  });
}

/** GET /me/accounts — creators. */
export const showAccounts: RequestHandler = async (req, res) => {
  await renderAccounts(req, res, 200);
};

/** POST /me/accounts — creators: a pasted address (platform and id read from it) or a typed id. */
export const addAccountHandler: RequestHandler = async (req, res) => {
  const values = keptValues(req, ['platform', 'profile', 'displayName']);
  const errors = fieldErrors(req);
  if (errors) return renderAccounts(req, res, 422, { values, errors });
  const input = matchedData<{ platform: string; profile: string; displayName: string }>(req);
  const match = detectPlatform(input.profile, input.platform);
  if (!match.ok) {
    const msg = req.t(`registry.profileRefusals.${match.reason}`, {
      platform: match.platform ? platformLabel(req, match.platform) : '',
    });
    return renderAccounts(req, res, 422, { values, errors: { profile: { msg } } });
  }
  const creator = req.creator as CreatorDocument;
  const result = await addAccount(creator, {
    platform: match.platform,
    platformId: match.platformId,
    displayName: input.displayName,
  });
  const label = platformLabel(req, match.platform);
  if (result.outcome === 'conflict') {
    req.flash('info', req.t('registry.accounts.conflictOpened', { platform: label, id: match.platformId }));
    return res.redirect(303, '/me/accounts');
  }
  req.flash(
    result.outcome === 'added' ? 'success' : 'info',
    req.t(`registry.accounts.${result.outcome === 'added' ? 'added' : 'alreadyYours'}`, {
      platform: label,
      id: match.platformId,
    }),
  );
  res.redirect(303, `/me/accounts/${result.account.id}`);
};

function renderAccount(
  req: Request,
  res: Response,
  status: number,
  page: { values?: Record<string, string>; errors?: FieldErrors } = {},
): void {
  const account = req.account as AccountDocument;
  const view = accountView(req, account);
  res.status(status).render('registry/account', {
    title: `${view.platformLabel} · ${view.displayName}`,
    account: view,
    values: page.values ?? { displayName: account.displayName, platformId: account.platformId },
    errors: page.errors,
  });
}

/** GET /me/accounts/:accountId — the account's creator. */
export const showAccount: RequestHandler = (req, res) => {
  renderAccount(req, res, 200);
};

/** POST /me/accounts/:accountId — the account's creator: its display name. */
export const renameAccountHandler: RequestHandler = async (req, res) => {
  const errors = fieldErrors(req);
  if (errors) return renderAccount(req, res, 422, { values: keptValues(req, ['displayName']), errors });
  await renameAccount(req.account as AccountDocument, matchedData<{ displayName: string }>(req).displayName);
  req.flash('success', req.t('registry.accounts.saved'));
  res.redirect(303, `/me/accounts/${(req.account as AccountDocument).id}`);
};

/** POST /me/accounts/:accountId/id — the account's creator: a corrected platform id (or profile address). */
export const changeIdHandler: RequestHandler = async (req, res) => {
  const account = req.account as AccountDocument;
  const values = { displayName: account.displayName, ...keptValues(req, ['platformId']) };
  const errors = fieldErrors(req);
  if (errors) return renderAccount(req, res, 422, { values, errors });
  const match = detectPlatform(matchedData<{ platformId: string }>(req).platformId, account.platform);
  if (!match.ok) {
    const msg = req.t(`registry.profileRefusals.${match.reason}`, {
      platform: match.platform ? platformLabel(req, match.platform) : '',
    });
    return renderAccount(req, res, 422, { values, errors: { platformId: { msg } } });
  }
  const result = await changeAccountId(
    account,
    req.creator as CreatorDocument,
    match.platformId,
    (req.user as SessionUser).id,
  );
  if (result.outcome === 'already_yours') {
    const msg = req.t('registryIdEdit.alreadyYours');
    return renderAccount(req, res, 422, { values, errors: { platformId: { msg } } });
  }
  const label = platformLabel(req, account.platform);
  if (result.outcome === 'conflict')
    req.flash('info', req.t('registry.accounts.conflictOpened', { platform: label, id: match.platformId }));
  else
    req.flash(result.outcome === 'changed' ? 'success' : 'info', req.t(`registryIdEdit.${result.outcome}`));
  res.redirect(303, `/me/accounts/${account.id}`);
};

/** POST /me/accounts/:accountId/remove — the account's creator. */
export const removeAccountHandler: RequestHandler = async (req, res) => {
  if (await removeAccount(req.account as AccountDocument))
    req.flash('success', req.t('registry.accounts.removed'));
  res.redirect(303, '/me/accounts');
};

/** POST /me/accounts/:accountId/check — the account's creator: unverified | rejected → pending. */
export const requestCheckHandler: RequestHandler = async (req, res) => {
  const account = req.account as AccountDocument;
  const moved = await requestOwnershipCheck(account, (req.user as SessionUser).id);
  req.flash(
    moved ? 'success' : 'info',
    req.t(moved ? 'registry.ownership.requested' : 'registry.ownership.notNow'),
  );
  res.redirect(303, `/me/accounts/${account.id}`);
};

/** POST /me/accounts/:accountId/evidence — the account's creator: a screenshot (multipart). */
export const evidenceHandler: RequestHandler = async (req, res) => {
  const account = req.account as AccountDocument;
  const stored = await storeUpload(req, 'evidence', (req.user as SessionUser).id);
  if (!stored.ok)
    return renderAccount(req, res, 422, {
      errors: { evidence: { msg: refusalMessage(req, stored.refusal) } },
    });
  if (!(await addOwnershipEvidence(account, stored.id)))
    return renderAccount(req, res, 422, {
      errors: { evidence: { msg: req.t('registry.ownership.tooMuchEvidence') } },
    });
  req.flash('success', req.t('registry.ownership.evidenceAdded'));
  res.redirect(303, `/me/accounts/${account.id}`);
};

/** POST /me/accounts/:accountId/figure — the account's creator: a count and its screenshot (multipart). */
export const figureHandler: RequestHandler = async (req, res) => {
  const account = req.account as AccountDocument;
  const values = keptValues(req, ['count']);
  const errors = fieldErrors(req);
  if (errors) return renderAccount(req, res, 422, { values, errors });
  const count = parseCount(matchedData<{ count: string }>(req).count);
  const stored = await storeUpload(req, 'evidence', (req.user as SessionUser).id);
  if (!stored.ok)
    return renderAccount(req, res, 422, {
      values,
      errors: { figureEvidence: { msg: refusalMessage(req, stored.refusal) } },
    });
  if (!count.ok) throw new Error('count validated but unreadable');
  await enterManualFigure(
    account,
    req.creator as CreatorDocument,
    count,
    stored.id,
    (req.user as SessionUser).id,
  );
  req.flash('success', req.t('registry.figures.entered'));
  res.redirect(303, `/me/accounts/${account.id}`);
};
