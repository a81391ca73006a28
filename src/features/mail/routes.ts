// The outbox: every mail the portal has queued or sent, for admins, outside production (in
// production mails hold reset links and go only to their recipients: 404).
//   admin → /admin/outbox, /admin/outbox/:id/html
import { type RequestHandler, Router } from 'express';
import mongoose from 'mongoose';
import { AppError } from '../../http/errors.js';
import { MailModel } from './model.js';
import { listMail } from './service.js';

export function mailRoutes(options: { outboxPage: boolean }): { admin: Router } {
  const admin = Router();
  const outboxOnly: RequestHandler = (_req, _res, next) => {
    next(options.outboxPage ? undefined : new AppError(404, 'errors.notFound'));
  };

  /** GET /admin/outbox — admins, outside production. */
  admin.get('/outbox', outboxOnly, async (req, res) => {
    const mails = await listMail();
    res.render('mail/outbox', {
      title: req.t('mail.outbox.title'),
      mails: mails.map((mail) => ({
        id: mail.id,
        to: mail.toName ? `${mail.toName} <${mail.to}>` : mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        language: mail.language,
        createdAt: mail.createdAt,
        sentAt: mail.sentAt,
        attempts: mail.attempts,
        lastError: mail.lastError,
        statusLabel: req.t(`mail.outbox.status.${mail.status}`),
        via: mail.via ? req.t(`mail.outbox.via.${mail.via}`) : '',
      })),
    });
  });

  /** GET /admin/outbox/:id/html — admins, outside production: the HTML part as the recipient sees it. */
  admin.get('/outbox/:id/html', outboxOnly, async (req, res, next) => {
    const mail = mongoose.isValidObjectId(req.params.id) ? await MailModel.findById(req.params.id) : null;
    if (!mail) {
      next(new AppError(404, 'errors.notFound'));
      return;
    }
    // A mail is not a page of this site: no scripts, no forms, its own inline styles only.
    res
      .set(
        'Content-Security-Policy',
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; frame-ancestors 'none'",
      )
      .type('html')
      .send(mail.html);
  });

  return { admin };
}
