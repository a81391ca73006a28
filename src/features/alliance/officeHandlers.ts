// /office/applications (officers and admins; the area guard is in app.ts): the review queue scoped
// to the officer's street, one application's page, and the decisions on it.
import type { Request, RequestHandler, Response } from 'express';
import { matchedData } from 'express-validator';
import { AppError } from '../../http/errors.js';
import { type FieldErrors, fieldErrors, keptValues } from '../../http/forms.js';
import type { CreatorDocument } from '../registry/creator.model.js';
import { CreatorModel } from '../registry/creator.model.js';
import { findCreatorById } from '../registry/creatorService.js';
import {
  type MembershipDocument,
  MembershipModel,
  type MembershipStatus,
  membershipStatuses,
} from './membership.model.js';
import {
  type Actor,
  approveApplication,
  findMembershipById,
  reinstateMember,
  rejectApplication,
  requestMoreInformation,
  suspendMember,
} from './membershipService.js';
import { AllianceRefusal } from './refusal.js';
import { creatorInScope, creatorScopeFilter } from './scope.js';
import { standingsOf } from './standings.js';
import { activityLabels, historyRows, standingLabel, statusLabel } from './view.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by loadMembership for /office/applications/:id/… routes. */
    membership?: MembershipDocument;
    membershipCreator?: CreatorDocument;
  }
}

const queueFilters = ['needs_review', ...membershipStatuses] as const;

/** Loads the membership named by :id if its creator is in the officer's street, or answers 404. */
export const loadMembership: RequestHandler = async (req, _res, next) => {
  const membership = await findMembershipById(req.params.id);
  const creator = membership && (await findCreatorById(String(membership.creator)));
  // Another street's application answers as if it did not exist: nothing is revealed.
  if (!membership || !creator || !creatorInScope(req.user as Express.User, creator))
    throw new AppError(404, 'errors.notFound');
  req.membership = membership;
  req.membershipCreator = creator;
  next();
};

/** GET /office/applications?status=… — officers (their street) and admins. */
export const showQueue: RequestHandler = async (req, res) => {
  const requested = typeof req.query.status === 'string' ? req.query.status : 'needs_review';
  const filter = (queueFilters as readonly string[]).includes(requested) ? requested : 'needs_review';
  const status = (filter === 'needs_review' ? 'applied' : filter) as MembershipStatus;
  const scope = await creatorScopeFilter(req.user as Express.User);
  // Oldest first: the longest wait is reviewed first.
  const memberships = await MembershipModel.find({ ...scope, status: { $eq: status } })
    .sort({ appliedAt: 1 })
    .limit(200)
    .exec();
  const standings = await standingsOf(memberships);
  const creators = new Map(
    (await CreatorModel.find({ _id: { $in: memberships.map((m) => m.creator) } }).exec()).map((c) => [
      String(c._id),
      c,
    ]),
  );
  res.render('alliance/queue', {
    title: req.t('alliance.office.title'),
    filters: queueFilters.map((value) => ({
      value,
      label: req.t(value === 'needs_review' ? 'alliance.office.needsReview' : `alliance.statuses.${value}`),
      current: value === filter,
    })),
    rows: memberships.map((membership) => {
      const creator = creators.get(String(membership.creator));
      return {
        id: membership.id,
        name: creator?.displayName ?? '',
        street: creator?.street ? req.t(`streets.${creator.street}`) : '',
        status: statusLabel(req, membership),
        standing: standings.get(membership.id),
        standingLabel: standingLabel(req, standings.get(membership.id)),
        appliedAt: membership.appliedAt,
        memberNumber: membership.memberNumber,
      };
    }),
  });
};

async function renderReview(
  req: Request,
  res: Response,
  status: number,
  page: { errors?: FieldErrors; values?: Record<string, string>; refusal?: string } = {},
): Promise<void> {
  const membership = req.membership as MembershipDocument;
  const creator = req.membershipCreator as CreatorDocument;
  const standing = (await standingsOf([membership])).get(membership.id);
  res.status(status).render('alliance/review', {
    title: req.t('alliance.office.reviewTitle', { name: creator.displayName }),
    id: membership.id,
    actions: Object.fromEntries(
      ['reject', 'info', 'suspend'].map((action) => [
        action,
        `/office/applications/${membership.id}/${action}`,
      ]),
    ),
    creator: {
      displayName: creator.displayName,
      street: creator.street ? req.t(`streets.${creator.street}`) : '',
      bio: creator.bio,
      phone: creator.contact?.phone,
      wechat: creator.contact?.wechat,
    },
    status: membership.status,
    statusLabel: statusLabel(req, membership),
    standing,
    standingLabel: standingLabel(req, standing),
    motivation: membership.motivation,
    activities: activityLabels(req, membership.activities),
    memberNumber: membership.memberNumber,
    renewalDate: membership.renewalDate,
    reason: membership.reason,
    infoRequest: membership.infoRequest?.at ? membership.infoRequest.reason : undefined,
    history: historyRows(req, membership),
    pending: membership.status === 'applied',
    member: membership.status === 'approved',
    suspended: membership.status === 'suspended',
    values: page.values ?? {},
    errors: page.errors,
    refusal: page.refusal,
  });
}

/** GET /office/applications/:id — officers (their street) and admins. */
export const showReview: RequestHandler = async (req, res) => {
  await renderReview(req, res, 200);
};

/** One decision handler: a refusal shows the page again (409); bad input the form (422). */
function decision(
  decide: (actor: Actor, membership: MembershipDocument, reason: string) => Promise<MembershipDocument>,
  done: string,
): RequestHandler {
  return async (req, res) => {
    const errors = fieldErrors(req);
    if (errors) {
      await renderReview(req, res, 422, { errors, values: keptValues(req, ['reason']) });
      return;
    }
    const { reason = '' } = matchedData<{ reason?: string }>(req);
    try {
      await decide(req.user as Express.User, req.membership as MembershipDocument, reason);
    } catch (error) {
      if (!(error instanceof AllianceRefusal)) throw error;
      await renderReview(req, res, 409, { refusal: req.t(error.messageKey) });
      return;
    }
    req.flash('success', req.t(done, { name: req.membershipCreator?.displayName }));
    res.redirect(303, `/office/applications/${req.membership?.id}`);
  };
}

/** POST /office/applications/:id/approve — officers (their street) and admins. */
export const approveHandler = decision(
  (actor, membership) => approveApplication(actor, membership),
  'alliance.office.approved',
);
/** POST /office/applications/:id/reject — officers (their street) and admins; with a reason. */
export const rejectHandler = decision(rejectApplication, 'alliance.office.rejected');
/** POST /office/applications/:id/info — officers (their street) and admins; asks for more information. */
export const requestInfoHandler = decision(requestMoreInformation, 'alliance.office.infoRequested');
/** POST /office/applications/:id/suspend — officers (their street) and admins; with a reason. */
export const suspendHandler = decision(suspendMember, 'alliance.office.suspended');
/** POST /office/applications/:id/reinstate — officers (their street) and admins. */
export const reinstateHandler = decision(
  (actor, membership) => reinstateMember(actor, membership),
  'alliance.office.reinstated',
);
