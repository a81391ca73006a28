// The pledge's pages: admins publish versions at /admin/pledges; the public reads /pledge (the
// current text, earlier versions, the wall of signatories) and /pledge/v/:version.
import type { Request, RequestHandler, Response } from 'express';
import { matchedData } from 'express-validator';
import { AppError } from '../../http/errors.js';
import { type FieldErrors, fieldErrors, keptValues } from '../../http/forms.js';
import { pledgeLimits } from './pledge.model.js';
import { currentPledge, listPledges, publishPledge, publishedPledge } from './pledgeService.js';
import { pledgeModel } from './view.js';
import { signatoryWall } from './wall.js';

async function renderPledges(
  req: Request,
  res: Response,
  status: number,
  page: { values?: Record<string, string>; errors?: FieldErrors } = {},
): Promise<void> {
  const now = new Date();
  const current = await currentPledge(now);
  res.status(status).render('alliance/pledges', {
    title: req.t('alliance.pledges.title'),
    pledgeLimits,
    versions: (await listPledges()).map((pledge) => ({
      ...pledgeModel(pledge),
      current: pledge.version === current?.version,
      upcoming: pledge.effectiveAt > now,
    })),
    values: page.values ?? { effectiveAt: now.toISOString().slice(0, 10), graceDays: '30' },
    errors: page.errors,
  });
}

/** GET /admin/pledges — admins. */
export const showPledges: RequestHandler = async (req, res) => {
  await renderPledges(req, res, 200);
};

/** POST /admin/pledges — admins; publishes the next version. */
export const publishHandler: RequestHandler = async (req, res) => {
  const errors = fieldErrors(req);
  if (errors) {
    await renderPledges(req, res, 422, {
      values: keptValues(req, ['title', 'body', 'effectiveAt', 'graceDays']),
      errors,
    });
    return;
  }
  const input = matchedData<{ title: string; body: string; effectiveAt: string; graceDays: number }>(req);
  const pledge = await publishPledge(req.user as Express.User, {
    ...input,
    effectiveAt: new Date(`${input.effectiveAt}T00:00:00+08:00`),
  });
  req.flash('success', req.t('alliance.pledges.published', { version: pledge.version }));
  res.redirect(303, '/admin/pledges');
};

async function renderPledge(req: Request, res: Response, version?: number): Promise<void> {
  const current = await currentPledge();
  const pledge = version === undefined ? current : await publishedPledge(version);
  if (version !== undefined && !pledge) throw new AppError(404, 'errors.notFound');
  const earlier = (await listPledges()).filter((p) => current && p.version < current.version);
  res.render('alliance/pledge', {
    title: req.t('alliance.pledge.title'),
    pledge: pledge && pledgeModel(pledge),
    isCurrent: !!pledge && pledge.version === current?.version,
    currentVersion: current?.version,
    earlier: earlier.map((p) => ({ version: p.version, title: p.title, effectiveAt: p.effectiveAt })),
    wall: pledge ? await signatoryWall(pledge.version) : undefined,
  });
}

/** GET /pledge — anyone. */
export const showPledge: RequestHandler = async (req, res) => {
  await renderPledge(req, res);
};

/** GET /pledge/v/:version — anyone; a version in effect now or earlier. */
export const showPledgeVersion: RequestHandler = async (req, res) => {
  const raw = String(req.params.version);
  if (!/^[1-9]\d{0,5}$/.test(raw)) throw new AppError(404, 'errors.notFound');
  await renderPledge(req, res, Number(raw));
};
