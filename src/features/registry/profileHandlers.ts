// /me (creators; the area guard is in app.ts): the dashboard that says what is missing and what
// to do next, the profile form, and the avatar upload.
import type { Request, RequestHandler, Response } from 'express';
import { matchedData } from 'express-validator';
import { type FieldErrors, fieldErrors, keptValues } from '../../http/forms.js';
import type { SessionUser } from '../users/model.js';
import { listAccountsOf } from './accountService.js';
import type { CreatorDocument } from './creator.model.js';
import {
  type ProfileInput,
  SlugTakenError,
  missingProfileParts,
  setAvatar,
  updateProfile,
} from './creatorService.js';
import { refusalMessage, storeUpload } from './uploads.js';
import { accountView, creatorView, noticesView, profileOptions } from './view.js';
import { deleteStoredImage } from '../files/storage.js';

const profileFields = ['displayName', 'kind', 'street', 'bio', 'phone', 'wechat', 'slug', 'listed'] as const;

/** GET /me — creators: what is missing, and the next step for each account. */
export const showDashboard: RequestHandler = async (req, res) => {
  const creator = req.creator as CreatorDocument;
  const accounts = (await listAccountsOf(creator._id)).map((account) => {
    const view = accountView(req, account);
    const next =
      view.state === 'unverified'
        ? 'placeCode'
        : view.state === 'rejected'
          ? 'retry'
          : view.state === 'pending'
            ? 'wait'
            : !view.figure
              ? 'enterFigure'
              : undefined;
    return {
      ...view,
      nextStep: next ? req.t(`registry.dashboard.next.${next}`, { code: view.code }) : undefined,
    };
  });
  res.render('registry/dashboard', {
    title: req.t('creator.dashboard.title'),
    creator: creatorView(req, creator),
    missing: missingProfileParts(creator).map((part) => req.t(`registry.dashboard.missing.${part}`)),
    accounts,
    noAccounts: accounts.length === 0,
    notices: noticesView(req, creator),
  });
};

function renderProfile(
  req: Request,
  res: Response,
  status: number,
  page: { values?: Record<string, unknown>; errors?: FieldErrors; avatarError?: string } = {},
): void {
  const creator = req.creator as CreatorDocument;
  const values = page.values ?? {
    displayName: creator.displayName,
    kind: creator.kind,
    street: creator.street ?? '',
    categories: creator.categories,
    bio: creator.bio,
    phone: creator.contact?.phone ?? '',
    wechat: creator.contact?.wechat ?? '',
    slug: creator.slug,
    listed: creator.consent?.listed ? 'yes' : 'no',
  };
  const chosen = new Set(Array.isArray(values.categories) ? (values.categories as string[]) : []);
  const options = profileOptions(req);
  res.status(status).render('registry/profile', {
    title: req.t('registry.profile.title'),
    creator: creatorView(req, creator),
    values,
    errors: page.errors,
    avatarError: page.avatarError,
    ...options,
    categoryOptions: options.categoryOptions.map((option) => ({
      ...option,
      checked: chosen.has(option.value),
    })),
  });
}

/** GET /me/profile — creators. */
export const showProfile: RequestHandler = (req, res) => {
  renderProfile(req, res, 200);
};

/** POST /me/profile — creators: every profile field; the consent's time changes only with it. */
export const saveProfile: RequestHandler = async (req, res) => {
  const body = req.body as Record<string, unknown>;
  const values = {
    ...keptValues(req, profileFields),
    categories: ([] as unknown[]).concat(body.categories ?? []).filter((item) => typeof item === 'string'),
  };
  const errors = fieldErrors(req);
  if (errors) return renderProfile(req, res, 422, { values, errors });
  const data = matchedData<Omit<ProfileInput, 'listed'> & { listed: string }>(req);
  try {
    await updateProfile(req.creator as CreatorDocument, { ...data, listed: data.listed === 'yes' });
  } catch (error) {
    if (!(error instanceof SlugTakenError)) throw error;
    return renderProfile(req, res, 409, {
      values,
      errors: { slug: { msg: req.t('registry.profile.slugTaken') } },
    });
  }
  req.flash('success', req.t('registry.profile.saved'));
  res.redirect(303, '/me/profile');
};

/** POST /me/profile/avatar — creators: one image, re-encoded without metadata. */
export const uploadAvatar: RequestHandler = async (req, res) => {
  const user = req.user as SessionUser;
  const stored = await storeUpload(req, 'avatar', user.id);
  if (!stored.ok) return renderProfile(req, res, 422, { avatarError: refusalMessage(req, stored.refusal) });
  const previous = await setAvatar(req.creator as CreatorDocument, stored.id);
  if (previous) await deleteStoredImage(previous);
  req.flash('success', req.t('registry.profile.avatarSaved'));
  res.redirect(303, '/me/profile');
};
