// /office/audit (officers and admins; the area guard is in app.ts): the audit log, filtered by
// who acted, what they did and when.
import { type RequestHandler, Router } from 'express';
import { matchedData, query } from 'express-validator';
import { fieldErrors } from '../../http/forms.js';
import { limits } from '../../http/fields.js';
import { districtTimeZone } from '../../i18n/format.js';
import { type AuditFilter, knownAuditActions, listAuditEntries } from './service.js';

const day = /^\d{4}-\d{2}-\d{2}$/;
// The district's days: 2026-12-01 runs from 00:00 to 23:59:59.999 China Standard Time (UTC+8).
const utcOffset = districtTimeZone === 'Asia/Shanghai' ? '+08:00' : 'Z';

const filterRules = [
  query('actor').default('').isString().isLength({ max: limits.email }).withMessage('validation.tooLong'),
  query('action').default('').isString().isLength({ max: 80 }).withMessage('validation.tooLong'),
  query(['from', 'to'])
    .default('')
    .isString()
    .custom((value: string) => value === '' || (day.test(value) && !Number.isNaN(Date.parse(value))))
    .withMessage('audit.badDate'),
];

/** GET /office/audit?actor=&action=&from=&to= — officers and admins. */
const showAuditLog: RequestHandler = async (req, res) => {
  const values = { actor: '', action: '', from: '', to: '' };
  const errors = fieldErrors(req);
  const given: Partial<Record<keyof typeof values, string>> = errors
    ? {}
    : matchedData<Record<keyof typeof values, string>>(req, { locations: ['query'] });
  const filter: AuditFilter = {
    actorEmail: given.actor?.trim().toLowerCase() || undefined,
    action: given.action || undefined,
    from: given.from ? new Date(`${given.from}T00:00:00${utcOffset}`) : undefined,
    to: given.to ? new Date(`${given.to}T23:59:59.999${utcOffset}`) : undefined,
  };
  const [entries, actions] = await Promise.all([listAuditEntries(filter), knownAuditActions()]);
  // what was typed, strings only (arrays in the query string are dropped)
  const kept = Object.fromEntries(
    Object.keys(values).flatMap((key) => (typeof req.query[key] === 'string' ? [[key, req.query[key]]] : [])),
  );
  res.status(errors ? 422 : 200).render('audit/log', {
    title: req.t('audit.title'),
    values: { ...values, ...kept },
    errors,
    actionOptions: [
      { value: '', label: req.t('audit.anyAction') },
      ...actions.map((value) => ({ value, label: value })),
    ],
    entries: entries.map((entry) => ({
      at: entry.at,
      actor: entry.actor?.email ?? '',
      action: entry.action,
      target: `${entry.target?.type ?? ''} ${entry.target?.id ?? ''}`,
      details: JSON.stringify(entry.details ?? {}),
    })),
  });
};

export function auditRoutes(): { office: Router } {
  const office = Router();
  /** GET /office/audit — officers and admins. */
  office.get('/audit', filterRules, showAuditLog);
  return { office };
}
