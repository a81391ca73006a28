// The resource pool under /office (officers and admins; the guard is mounted once in app.ts):
//   GET  /office                               the district dashboard (with the review queues)
//   GET  /office/pool                          faceted search
//   GET  /office/pool.csv                      the same search (or a selection) as a CSV download
//   GET  /office/pool.xlsx                     the same as an Excel workbook
//   GET  /office/pool/creators/:creatorId      quick view of one creator from the results
//   GET  /office/pool/saved                    the officer's saved searches
//   POST /office/pool/saved                    save a search
//   GET  /office/pool/saved/:searchId          open one
//   POST /office/pool/saved/:searchId/delete   delete one
import { Router } from 'express';
import {
  deleteSavedSearchHandler,
  downloadPoolCsv,
  downloadPoolXlsx,
  openSavedSearch,
  saveSearchHandler,
  showDashboard,
  showPool,
  showQuickView,
  showSavedSearches,
} from './handlers.js';
import { poolQueryRules, savedSearchRules } from './validation.js';

export function poolRoutes(): { office: Router } {
  const office = Router();
  /** GET /office — officers (their street) and admins. */
  office.get('/', showDashboard);
  /** GET /office/pool?q=&platform=&…&sort=&page=&perPage= — officers (their street) and admins. */
  office.get('/pool', poolQueryRules, showPool);
  /** GET /office/pool.csv?<the same query>[&id=…] — officers (their street) and admins; audited. */
  office.get('/pool.csv', poolQueryRules, downloadPoolCsv);
  /** GET /office/pool.xlsx?<the same query>[&id=…] — officers (their street) and admins; audited. */
  office.get('/pool.xlsx', poolQueryRules, downloadPoolXlsx);
  /** GET /office/pool/creators/:creatorId — officers covering the creator. */
  office.get('/pool/creators/:creatorId', showQuickView);
  /** GET /office/pool/saved — officers and admins (their own). */
  office.get('/pool/saved', showSavedSearches);
  /** POST /office/pool/saved — officers and admins. */
  office.post('/pool/saved', savedSearchRules, saveSearchHandler);
  /** GET /office/pool/saved/:searchId — the officer who saved it. */
  office.get('/pool/saved/:searchId', openSavedSearch);
  /** POST /office/pool/saved/:searchId/delete — the officer who saved it. */
  office.post('/pool/saved/:searchId/delete', deleteSavedSearchHandler);
  return { office };
}
