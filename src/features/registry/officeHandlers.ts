// /office (officers and admins; the area guard is in app.ts): the review queues (oldest first,
// scoped to the officer's street), decisions, and the creator detail page. Loaders have already
// scope-checked every :id (out of scope answers 404).
import type { Request, RequestHandler, Response } from 'express';
import { matchedData } from 'express-validator';
import { fieldErrors } from '../../http/forms.js';
import { listAuditEntries } from '../audit/service.js';
import type { SessionUser } from '../users/model.js';
import type { AccountDocument } from './account.model.js';
import { listAccountsOf } from './accountService.js';
import type { ConflictDocument } from './conflict.model.js';
import type { CreatorDocument } from './creator.model.js';
import { CreatorModel } from './creator.model.js';
import {
  conflictQueue,
  conflictsOfCreator,
  decideConflict,
  decideFigure,
  decideOwnership,
  figureQueue,
  ownershipQueue,
  queueCounts,
} from './reviewService.js';
import { StatSnapshotModel } from './statSnapshot.model.js';
import { accountView, creatorView, noticesView, platformLabel } from './view.js';

const actorOf = (req: Request) => req.user as SessionUser;

/** Every office page shows the queue counts in its navigation. */
export const officeQueueCounts: RequestHandler = async (req, res, next) => {
  res.locals.queueCounts = await queueCounts(actorOf(req));
  next();
};

/** The creators named by the queue's documents, by id. */
async function creatorsById(ids: string[]): Promise<Map<string, CreatorDocument>> {
  const creators = await CreatorModel.find({ _id: { $in: ids } });
  return new Map(creators.map((creator) => [creator.id, creator]));
}

async function accountRows(req: Request, accounts: AccountDocument[]) {
  const creators = await creatorsById(accounts.map((account) => account.creator.toHexString()));
  return accounts.map((account) => {
    const creator = creators.get(account.creator.toHexString());
    return { ...accountView(req, account), creator: creator ? creatorView(req, creator) : undefined };
  });
}

async function renderQueue(
  req: Request,
  res: Response,
  status: number,
  kind: 'ownership' | 'figures',
  error?: { id: string; msg: string },
) {
  const accounts =
    kind === 'ownership' ? await ownershipQueue(actorOf(req)) : await figureQueue(actorOf(req));
  res.status(status).render(`registry/office/${kind}`, {
    title: req.t(`registry.review.${kind}Title`),
    rows: await accountRows(req, accounts),
    rowError: error,
  });
}

/** GET /office/ownership — officers and admins: pending ownership checks, oldest first. */
export const showOwnershipQueue: RequestHandler = async (req, res) => {
  await renderQueue(req, res, 200, 'ownership');
};

/** GET /office/figures — officers and admins: unconfirmed manual figures, oldest first. */
export const showFigureQueue: RequestHandler = async (req, res) => {
  await renderQueue(req, res, 200, 'figures');
};

function decisionHandler(kind: 'ownership' | 'figures'): RequestHandler {
  return async (req, res) => {
    const account = req.account as AccountDocument;
    const errors = fieldErrors(req);
    if (errors) {
      return renderQueue(req, res, 422, kind, {
        id: account.id,
        msg: Object.values(errors)[0]?.msg ?? '',
      });
    }
    const { decision, reason } = matchedData<{ decision: 'approve' | 'reject'; reason: string }>(req);
    const decide = kind === 'ownership' ? decideOwnership : decideFigure;
    const done = await decide(actorOf(req), account, decision, reason);
    req.flash(
      done ? 'success' : 'info',
      req.t(done ? 'registry.review.decided' : 'registry.review.alreadyDecided'),
    );
    res.redirect(303, `/office/${kind}`);
  };
}

/** POST /office/accounts/:accountId/ownership — officers covering the creator. */
export const ownershipDecisionHandler = decisionHandler('ownership');
/** POST /office/accounts/:accountId/figure — officers covering the creator. */
export const figureDecisionHandler = decisionHandler('figures');

async function renderConflicts(
  req: Request,
  res: Response,
  status: number,
  error?: { id: string; msg: string },
) {
  const conflicts = await conflictQueue(actorOf(req));
  const creators = await creatorsById(
    conflicts.flatMap((c) => [c.holder.toHexString(), c.claimant.toHexString()]),
  );
  const name = (id: { toHexString(): string }) => creators.get(id.toHexString())?.displayName ?? '';
  res.status(status).render('registry/office/conflicts', {
    title: req.t('registry.review.conflictsTitle'),
    rows: conflicts.map((conflict) => ({
      id: conflict.id,
      platformLabel: platformLabel(req, conflict.platform),
      platformId: conflict.platformId,
      holder: name(conflict.holder),
      holderId: conflict.holder.toHexString(),
      claimant: name(conflict.claimant),
      claimantId: conflict.claimant.toHexString(),
      openedAt: conflict.openedAt,
    })),
    rowError: error,
  });
}

/** GET /office/conflicts — officers and admins: open claim conflicts, oldest first. */
export const showConflictQueue: RequestHandler = async (req, res) => {
  await renderConflicts(req, res, 200);
};

/** POST /office/conflicts/:conflictId — officers covering either party: keep or transfer. */
export const conflictDecisionHandler: RequestHandler = async (req, res) => {
  const conflict = req.conflict as ConflictDocument;
  const errors = fieldErrors(req);
  if (errors)
    return renderConflicts(req, res, 422, {
      id: conflict.id,
      msg: Object.values(errors)[0]?.msg ?? '',
    });
  const { decision, reason } = matchedData<{ decision: 'keep' | 'transfer'; reason: string }>(req);
  const done = await decideConflict(actorOf(req), conflict, decision, reason);
  req.flash(
    done ? 'success' : 'info',
    req.t(done ? 'registry.review.decided' : 'registry.review.alreadyDecided'),
  );
  res.redirect(303, '/office/conflicts');
};

/** GET /office/creators/:creatorId — officers covering the creator: everything, private contact included. */
export const showCreatorDetail: RequestHandler = async (req, res) => {
  const creator = req.creator as CreatorDocument;
  const [accounts, conflicts, snapshots] = await Promise.all([
    listAccountsOf(creator._id),
    conflictsOfCreator(creator._id),
    StatSnapshotModel.find({ creator: creator._id }).sort({ at: -1 }).limit(50),
  ]);
  const audit = await listAuditEntries({
    targetIds: [creator.id, ...accounts.map((account) => account.id)],
  });
  res.render('registry/office/creator', {
    title: creator.displayName,
    creator: creatorView(req, creator),
    accounts: accounts.map((account) => accountView(req, account)),
    conflicts: conflicts.map((conflict) => ({
      platformLabel: platformLabel(req, conflict.platform),
      platformId: conflict.platformId,
      stateLabel: req.t(`registry.review.conflictStates.${conflict.state}`),
      openedAt: conflict.openedAt,
      reason: conflict.reason,
    })),
    snapshots: snapshots.map((snapshot) => ({
      at: snapshot.at,
      platformLabel: platformLabel(req, snapshot.platform),
      followers: snapshot.followers,
      sourceLabel: req.t(`registry.figures.sources.${snapshot.source}`),
    })),
    notices: noticesView(req, creator),
    audit: audit.map((entry) => ({ at: entry.at, actor: entry.actor?.email ?? '', action: entry.action })),
  });
};
