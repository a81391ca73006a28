// /claim/:token (public): the person an office imported opens the link handed over (or mailed),
// signs in or registers, and attaches the imported creator profile to their account. A link that
// is malformed, unknown, altered, expired or used answers the same 404 page.
import type { Request, RequestHandler, Response } from 'express';
import { claimCreator, peekClaim } from './claim.js';

function renderUnusable(req: Request, res: Response) {
  res.status(404).render('registry/claim', { title: req.t('registryImport.claim.title'), unusable: true });
}

/** GET /claim/:token — whoever has the link. */
export const showClaim: RequestHandler = async (req, res) => {
  const creator = await peekClaim(req.params.token);
  if (!creator) return renderUnusable(req, res);
  const user = req.user;
  const here = `/claim/${String(req.params.token)}`;
  res.render('registry/claim', {
    title: req.t('registryImport.claim.title'),
    creatorName: creator.displayName,
    streetLabel: creator.street ? req.t(`streets.${creator.street}`) : '',
    action: here,
    signInPath: `/login?next=${encodeURIComponent(here)}`,
    canClaim: user?.role === 'creator',
    wrongRole: user !== undefined && user.role !== 'creator',
  });
};

/** POST /claim/:token — a signed-in creator who has the link. */
export const claimHandler: RequestHandler = async (req, res) => {
  const user = req.user;
  const here = `/claim/${String(req.params.token)}`;
  if (!user) return res.redirect(303, `/login?next=${encodeURIComponent(here)}`);
  if (user.role !== 'creator') return res.redirect(303, here);
  const result = await claimCreator(req.params.token, user.id);
  if (!result.ok) return renderUnusable(req, res);
  req.flash('success', req.t('registryImport.claim.done'));
  res.redirect(303, '/me/profile');
};
