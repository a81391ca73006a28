// /office/pool handlers (officers and admins; the area guard is in app.ts): the search page, its
// exports, the quick view of one creator, and the officer's saved searches.
import type { Request, RequestHandler, Response } from 'express';
import { matchedData } from 'express-validator';
import { AppError } from '../../http/errors.js';
import { type FieldErrors, fieldErrors, keptValues } from '../../http/forms.js';
import { listAccountsOf } from '../registry/accountService.js';
import { type Street, streetLabelKey, streets } from '../registry/catalogue.js';
import { CreatorModel } from '../registry/creator.model.js';
import { accountView } from '../registry/view.js';
import type { SessionUser } from '../users/model.js';
import { dashboardFigures } from './dashboard.js';
import { dashboardPage } from './dashboardView.js';
import { exportPoolCsv } from './exportCsv.js';
import { exportPoolXlsx } from './exportXlsx.js';
import { maxSavedSearches } from './savedSearch.model.js';
import {
  canonicalQuery,
  deleteSavedSearch,
  findSavedSearch,
  listSavedSearches,
  saveSearch,
} from './savedSearches.js';
import { type PoolRow, poolPipeline, rowProjection, scopeOf, searchContext, searchPool } from './service.js';
import { type PoolQuery, poolQueryOf } from './validation.js';
import { poolPage, rowLabels } from './view.js';

const actorOf = (req: Request) => req.user as SessionUser;

/** GET /office — officers (their street) and admins: the district at a glance, with the queues. */
export const showDashboard: RequestHandler = async (req, res) => {
  const actor = actorOf(req);
  const scope = scopeOf(actor);
  const queues = res.locals.queueCounts as { ownership: number; figures: number; conflicts: number };
  res.render('office/dashboard', {
    title: req.t('office.dashboard.title'),
    scopeLabel:
      scope && (streets as readonly string[]).includes(scope) ? req.t(streetLabelKey(scope as Street)) : '',
    dashboard: dashboardPage(await dashboardFigures(actor), queues, req.t),
  });
};

/** GET /office/pool — officers (their street) and admins. */
export const showPool: RequestHandler = async (req, res) => {
  const { query, errors } = poolQueryOf(req);
  const result = await searchPool(actorOf(req), query);
  res.status(errors.length > 0 ? 400 : 200).render('pool/index', {
    title: req.t('pool.title'),
    errors: errors.map((error) => req.t(error.key, error.values)),
    pool: poolPage(query, result, req.t),
  });
};

/** GET /office/pool.csv — officers (their street) and admins; audited. */
export const downloadPoolCsv: RequestHandler = async (req, res) => {
  await exportPoolCsv(req, res, poolQueryOf(req).query);
};

/** GET /office/pool.xlsx — officers (their street) and admins; audited. */
export const downloadPoolXlsx: RequestHandler = async (req, res) => {
  await exportPoolXlsx(req, res, poolQueryOf(req).query);
};

/** One creator as a pool row (membership, pledge, figures), within the actor's scope; or null. */
async function scopedRow(actor: SessionUser, id: string): Promise<PoolRow | null> {
  const query: PoolQuery = { q: '', selected: {}, sort: 'name', page: 1, perPage: 1, ids: [id] };
  const context = await searchContext(query);
  const [row] = await CreatorModel.aggregate<PoolRow>([
    ...poolPipeline(actor, query, context),
    rowProjection,
  ]);
  return row ?? null;
}

/** GET /office/pool/creators/:creatorId?back=… — officers covering the creator (others: 404). */
export const showQuickView: RequestHandler = async (req, res) => {
  const id = req.params.creatorId;
  const row = typeof id === 'string' && /^[0-9a-f]{24}$/.test(id) ? await scopedRow(actorOf(req), id) : null;
  if (!row) throw new AppError(404, 'errors.notFound');
  const creator = await CreatorModel.findById(id, { bio: 1 }).lean();
  const accounts = await listAccountsOf(row._id);
  const back = typeof req.query.back === 'string' ? canonicalQuery(req.query.back.slice(0, 2000), true) : '';
  res.render('pool/creator', {
    title: row.displayName,
    creator: { ...rowLabels(row, req.t), id, bio: creator?.bio ?? '' },
    accounts: accounts.map((account) => accountView(req, account)),
    back: `/office/pool${back ? `?${back}` : ''}`,
  });
};

async function renderSaved(
  req: Request,
  res: Response,
  status: number,
  form?: { values: Record<string, string>; errors: FieldErrors },
) {
  const searches = await listSavedSearches(actorOf(req));
  res.status(status).render('pool/saved', {
    title: req.t('pool.saved.title'),
    searches: searches.map((search) => ({
      id: search.id,
      name: search.name,
      href: `/office/pool?${search.query}`,
      savedAt: search.createdAt,
    })),
    values: form?.values ?? {},
    errors: form?.errors,
  });
}

/** GET /office/pool/saved — officers and admins: their own saved searches. */
export const showSavedSearches: RequestHandler = async (req, res) => {
  await renderSaved(req, res, 200);
};

/** POST /office/pool/saved — officers and admins: save the search they are looking at. */
export const saveSearchHandler: RequestHandler = async (req, res) => {
  const values = keptValues(req, ['name', 'query']);
  const errors = fieldErrors(req);
  if (errors) return renderSaved(req, res, 422, { values, errors });
  const { name, query } = matchedData<{ name: string; query: string }>(req);
  const outcome = await saveSearch(actorOf(req), name, query);
  if (!outcome.ok) {
    const msg = req.t(`pool.saved.${outcome.reason}`, { max: maxSavedSearches });
    return renderSaved(req, res, 422, { values, errors: { name: { msg } } });
  }
  req.flash('success', req.t('pool.saved.saved'));
  res.redirect(303, '/office/pool/saved');
};

/** GET /office/pool/saved/:searchId — the search's own officer: opens it in the pool. */
export const openSavedSearch: RequestHandler = async (req, res) => {
  const search = await findSavedSearch(actorOf(req), req.params.searchId);
  if (!search) throw new AppError(404, 'errors.notFound');
  res.redirect(303, `/office/pool?${search.query}`);
};

/** POST /office/pool/saved/:searchId/delete — the search's own officer. */
export const deleteSavedSearchHandler: RequestHandler = async (req, res) => {
  const search = await findSavedSearch(actorOf(req), req.params.searchId);
  if (!search) throw new AppError(404, 'errors.notFound');
  await deleteSavedSearch(actorOf(req), search);
  req.flash('success', req.t('pool.saved.deleted'));
  res.redirect(303, '/office/pool/saved');
};
