// /me/privacy (creators; the area guard is in app.ts): download everything as JSON, or delete the
// account. Both are POSTs (CSRF) that ask for the password again.
import type { Request, RequestHandler, Response } from 'express';
import { body, matchedData } from 'express-validator';
import { type FieldErrors, fieldErrors } from '../../http/forms.js';
import type { SessionUser } from '../users/model.js';
import { confirmPassword } from '../users/service.js';
import type { CreatorDocument } from './creator.model.js';
import { deleteCreatorData, exportCreatorData } from './privacyService.js';

export const confirmDeletionRules = [
  body('confirm')
    .custom((value: unknown) => value === 'yes')
    .withMessage('registry.privacy.confirmRequired'),
];

function renderPrivacy(
  req: Request,
  res: Response,
  status: number,
  errors?: { download?: FieldErrors; remove?: FieldErrors },
) {
  res
    .status(status)
    .render('registry/privacy', { title: req.t('registry.privacy.title'), errors: errors ?? {} });
}

/** GET /me/privacy — creators. */
export const showPrivacy: RequestHandler = (req, res) => {
  renderPrivacy(req, res, 200);
};

async function passwordRefused(req: Request): Promise<FieldErrors | undefined> {
  const errors = fieldErrors(req);
  if (errors) return errors;
  const { password } = matchedData<{ password: string }>(req);
  if (await confirmPassword((req.user as SessionUser).id, password)) return undefined;
  return { password: { msg: req.t('validation.passwordWrong') } };
}

/** POST /me/privacy/download — creators: everything about them as JSON (an audited export). */
export const downloadData: RequestHandler = async (req, res) => {
  const refused = await passwordRefused(req);
  if (refused) return renderPrivacy(req, res, 422, { download: refused });
  const data = await exportCreatorData(req.user as SessionUser, req.creator as CreatorDocument);
  res.set('Content-Disposition', 'attachment; filename="lighthouse-my-data.json"');
  res.type('application/json').send(JSON.stringify(data, null, 2));
};

/** POST /me/privacy/delete — creators: removes or anonymises everything, then signs out. */
export const deleteAccount: RequestHandler = async (req, res, next) => {
  const refused = await passwordRefused(req);
  if (refused) return renderPrivacy(req, res, 422, { remove: refused });
  await deleteCreatorData(req.user as SessionUser, req.creator as CreatorDocument);
  req.logout((error) => {
    if (error) return next(error);
    req.flash('info', req.t('registry.privacy.deleted'));
    res.redirect(303, '/');
  });
};
