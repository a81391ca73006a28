// /me/alliance (creators; the area guard is in app.ts): eligibility, the application, its status
// and history, withdrawal, renewal, signing the pledge and the badge snippet.
import type { Request, RequestHandler, Response } from 'express';
import { matchedData } from 'express-validator';
import { type FieldErrors, fieldErrors, keptValues } from '../../http/forms.js';
import type { CreatorDocument } from '../registry/creator.model.js';
import { ensureCreatorOfUser } from '../registry/creatorService.js';
import { missingForApplication } from './eligibility.js';
import { allianceLimits, type MembershipDocument } from './membership.model.js';
import {
  type ApplicationInput,
  applyForMembership,
  canRenew,
  findMembershipOfCreator,
  renewMembership,
  updateApplication,
  withdrawMembership,
} from './membershipService.js';
import { currentPledge, signPledge, signatureOf } from './pledgeService.js';
import { AllianceRefusal } from './refusal.js';
import { pledgeDue, standingOf } from './standing.js';
import {
  activityOptions,
  historyRows,
  pledgeModel,
  standingLabel,
  statusLabel,
  submittedActivities,
} from './view.js';

interface StatusPage {
  values?: Record<string, string>;
  ticked?: string[];
  errors?: FieldErrors;
  refusal?: string;
}

async function creatorOf(req: Request): Promise<CreatorDocument> {
  return ensureCreatorOfUser(req.user as Express.User);
}

/** The public address of the portal as this request reached it (for the badge snippet). */
function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

async function renderStatus(
  req: Request,
  res: Response,
  status: number,
  page: StatusPage = {},
): Promise<void> {
  const creator = await creatorOf(req);
  const membership = await findMembershipOfCreator(creator._id);
  const missing = await missingForApplication(creator);
  const pledge = await currentPledge();
  const signed = pledge ? !!(await signatureOf(creator._id, pledge.version)) : false;
  const due = membership?.status === 'approved' ? pledgeDue(pledge, signed) : undefined;
  const standing = standingOf(membership, due);
  const mayApply = !membership || ['rejected', 'withdrawn', 'expired'].includes(membership.status);
  const editing = membership?.status === 'applied';
  const base = baseUrl(req);
  res.status(status).render('alliance/status', {
    title: req.t('alliance.me.title'),
    allianceLimits,
    missing: missing.map((key) => req.t(`alliance.eligibility.${key}`)),
    eligible: missing.length === 0,
    showForm: (mayApply && missing.length === 0) || editing,
    editing,
    values: page.values ?? { motivation: editing ? membership.motivation : '' },
    activities: activityOptions(req, page.ticked ?? (editing ? membership.activities : [])),
    errors: page.errors,
    refusal: page.refusal,
    membership: membership && {
      status: membership.status,
      statusLabel: statusLabel(req, membership),
      memberNumber: membership.memberNumber,
      renewalDate: membership.renewalDate,
      reason: membership.reason,
      infoRequest: membership.infoRequest?.at ? membership.infoRequest.reason : undefined,
      history: historyRows(req, membership),
      canWithdraw: ['applied', 'approved'].includes(membership.status),
      canRenew: canRenew(membership),
    },
    standing,
    standingLabel: standingLabel(req, standing),
    pledge: pledge && pledgeModel(pledge),
    due,
    mustSign: membership?.status === 'approved' && !!due,
    badge: standing && {
      memberUrl: `${base}/members/${creator.slug}`,
      imageUrl: `${base}/members/${creator.slug}/badge.svg`,
      snippet: `<a href="${base}/members/${creator.slug}"><img src="${base}/members/${creator.slug}/badge.svg" alt="${req.t('alliance.badge.alt', { name: creator.displayName })}" height="28"></a>`,
    },
  });
}

/** Runs a transition; a refusal shows the page again (409) with its message and nothing changed. */
async function orRefuse(
  req: Request,
  res: Response,
  action: () => Promise<unknown>,
  done: string,
): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (error instanceof AllianceRefusal) {
      await renderStatus(req, res, 409, { refusal: req.t(error.messageKey) });
      return;
    }
    throw error;
  }
  req.flash('success', req.t(done));
  res.redirect(303, '/me/alliance');
}

/** GET /me/alliance — creators. */
export const showAlliance: RequestHandler = async (req, res) => {
  await renderStatus(req, res, 200);
};

/** POST /me/alliance/apply — creators; applies, or updates the pending application. */
export const applyHandler: RequestHandler = async (req, res) => {
  const errors = fieldErrors(req);
  if (errors) {
    await renderStatus(req, res, 422, {
      values: keptValues(req, ['motivation']),
      ticked: submittedActivities(req),
      errors,
    });
    return;
  }
  const user = req.user as Express.User;
  const creator = await creatorOf(req);
  const input = matchedData<ApplicationInput>(req);
  const membership = await findMembershipOfCreator(creator._id);
  if (membership?.status === 'applied') {
    await orRefuse(req, res, () => updateApplication(user, membership, input), 'alliance.me.updated');
    return;
  }
  const missing = await missingForApplication(creator);
  if (missing.length) {
    await renderStatus(req, res, 409, { refusal: req.t('alliance.refusals.notEligible') });
    return;
  }
  await orRefuse(req, res, () => applyForMembership(user, creator._id, input), 'alliance.me.applied');
};

/** Loads the creator's own membership for withdraw/renew; none answers the page with a refusal. */
async function ownMembership(req: Request): Promise<MembershipDocument | null> {
  return findMembershipOfCreator((await creatorOf(req))._id);
}

/** POST /me/alliance/withdraw — creators. */
export const withdrawHandler: RequestHandler = async (req, res) => {
  const membership = await ownMembership(req);
  await orRefuse(
    req,
    res,
    async () => {
      if (!membership) throw new AllianceRefusal('alliance.refusals.cannotWithdraw');
      await withdrawMembership(req.user as Express.User, membership);
    },
    'alliance.me.withdrawn',
  );
};

/** POST /me/alliance/renew — creators. */
export const renewHandler: RequestHandler = async (req, res) => {
  const membership = await ownMembership(req);
  await orRefuse(
    req,
    res,
    async () => {
      if (!membership) throw new AllianceRefusal('alliance.refusals.notRenewable');
      await renewMembership(req.user as Express.User, membership);
    },
    'alliance.me.renewed',
  );
};

async function renderSign(req: Request, res: Response, status: number, page: StatusPage = {}): Promise<void> {
  const pledge = await currentPledge();
  res.status(status).render('alliance/sign', {
    title: req.t('alliance.sign.title'),
    pledge: pledge && pledgeModel(pledge),
    values: page.values ?? {},
    errors: page.errors,
    refusal: page.refusal,
  });
}

/** GET /me/alliance/pledge — creators; the current pledge with the signing form. */
export const showSign: RequestHandler = async (req, res) => {
  await renderSign(req, res, 200);
};

/** POST /me/alliance/pledge — creators; signs the current version for oneself only. */
export const signHandler: RequestHandler = async (req, res) => {
  const errors = fieldErrors(req);
  if (errors) {
    await renderSign(req, res, 422, { values: keptValues(req, ['typedName']), errors });
    return;
  }
  const creator = await creatorOf(req);
  const membership = await findMembershipOfCreator(creator._id);
  const input = matchedData<{ version: number; typedName: string }>(req);
  try {
    await signPledge(req.user as Express.User, creator, membership, input);
  } catch (error) {
    if (!(error instanceof AllianceRefusal)) throw error;
    const values = keptValues(req, ['typedName']);
    if (error.messageKey === 'alliance.refusals.nameMismatch') {
      await renderSign(req, res, 422, { values, errors: { typedName: { msg: req.t(error.messageKey) } } });
    } else {
      await renderSign(req, res, 409, { values, refusal: req.t(error.messageKey) });
    }
    return;
  }
  req.flash('success', req.t('alliance.sign.done'));
  res.redirect(303, '/me/alliance');
};
