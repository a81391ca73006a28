// Loaders: read the id in the URL, scope-check it against who is asking, and set req.creator /
// req.account, or answer 404 (someone else's record answers exactly like a missing one).
import type { RequestHandler } from 'express';
import { AppError } from '../../http/errors.js';
import type { SessionUser } from '../users/model.js';
import { coversStreet, scopedStreet } from '../users/scope.js';
import type { AccountDocument } from './account.model.js';
import { findOwnAccount } from './accountService.js';
import { ConflictModel, type ConflictDocument } from './conflict.model.js';
import type { CreatorDocument } from './creator.model.js';
import { ensureCreatorOfUser, findCreatorById } from './creatorService.js';
import { AccountModel } from './account.model.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The creator the page is about: the signed-in creator's own under /me. */
    creator?: CreatorDocument;
    account?: AccountDocument;
    conflict?: ConflictDocument;
  }
}

const notFound = () => new AppError(404, 'errors.notFound');

/** /me/…: the signed-in creator's own creator (made on the first visit). */
export const loadOwnCreator: RequestHandler = async (req, _res, next) => {
  req.creator = await ensureCreatorOfUser(req.user as SessionUser);
  next();
};

/** /me/accounts/:accountId/…: one of the signed-in creator's own accounts. */
export const loadOwnAccount: RequestHandler = async (req, _res, next) => {
  const creator = req.creator as CreatorDocument;
  const account = await findOwnAccount(creator._id, req.params.accountId);
  if (!account) throw notFound();
  req.account = account;
  next();
};

/** Whether an officer's street scope covers a creator (the one rule: users/scope.ts). */
export function coversCreator(user: SessionUser, creator: Pick<CreatorDocument, 'street'>): boolean {
  return coversStreet(user, creator.street);
}

/** The street filter of an officer's queues: undefined for the whole district. */
export function scopeStreet(user: SessionUser): string | undefined {
  return scopedStreet(user) ?? undefined;
}

/** /office/creators/:creatorId: a creator in the officer's scope. */
export const loadScopedCreator: RequestHandler = async (req, _res, next) => {
  const creator = await findCreatorById(req.params.creatorId);
  if (!creator || !coversCreator(req.user as SessionUser, creator)) throw notFound();
  req.creator = creator;
  next();
};

/** /office/accounts/:accountId/…: an account whose creator is in the officer's scope. */
export const loadScopedAccount: RequestHandler = async (req, _res, next) => {
  const id = req.params.accountId;
  const account =
    typeof id === 'string' && /^[0-9a-f]{24}$/i.test(id) ? await AccountModel.findById(id) : null;
  const creator = account ? await findCreatorById(account.creator.toHexString()) : null;
  if (!account || !creator || !coversCreator(req.user as SessionUser, creator)) throw notFound();
  req.account = account;
  req.creator = creator;
  next();
};

/** /office/conflicts/:conflictId: a conflict whose holder or claimant is in the officer's scope. */
export const loadScopedConflict: RequestHandler = async (req, _res, next) => {
  const id = req.params.conflictId;
  const conflict =
    typeof id === 'string' && /^[0-9a-f]{24}$/i.test(id) ? await ConflictModel.findById(id) : null;
  if (!conflict) throw notFound();
  const parties = await Promise.all([
    findCreatorById(conflict.holder.toHexString()),
    findCreatorById(conflict.claimant.toHexString()),
  ]);
  if (!parties.some((party) => party && coversCreator(req.user as SessionUser, party))) throw notFound();
  req.conflict = conflict;
  next();
};
