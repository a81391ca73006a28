// /office/import (officers and admins; the area guard is in app.ts): upload a CSV or XLSX of
// creators, see the dry run (an error per row and column, what is new, unchanged or held by
// someone else), then import. The confirm step names the stored upload, never the rows: what is
// imported is what the server read from the officer's own file.
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../../http/errors.js';
import { uploadRefusalOf } from '../files/upload.js';
import { mailConfigured, mailLink } from '../mail/service.js';
import type { SessionUser } from '../users/model.js';
import type { CreatorDocument } from './creator.model.js';
import { type ImportError, maxImportBytes, maxImportRows } from './import/index.js';
import type { ImportUploadDocument } from './import/upload.model.js';
import {
  type ClaimLink,
  type ImportCounts,
  type ImportPlan,
  applyUpload,
  findOwnUpload,
  newClaimLink,
  planUpload,
  storeImportUpload,
} from './importService.js';
import { platformLabel } from './view.js';

declare module 'express-serve-static-core' {
  interface Request {
    importUpload?: ImportUploadDocument;
  }
}

const actorOf = (req: Request) => req.user as SessionUser;
const maxMegabytes = maxImportBytes / 1024 / 1024;

/** An absolute link for the officer to copy (the public address when PUBLIC_URL is set). */
const absolute = (path: string) => (mailConfigured() ? mailLink(path) : path);

function renderUploadForm(req: Request, res: Response, status: number, error?: string) {
  res.status(status).render('registry/office/import', {
    title: req.t('registryImport.title'),
    maxMegabytes,
    maxRows: maxImportRows,
    errors: error ? { file: { msg: error } } : undefined,
  });
}

/** GET /office/import — officers and admins: the upload form and the templates. */
export const showImportForm: RequestHandler = (req, res) => {
  renderUploadForm(req, res, 200);
};

/** POST /office/import — officers and admins (multipart): stores the file, then shows its dry run. */
export const uploadImportHandler: RequestHandler = async (req, res) => {
  const refusal = uploadRefusalOf(req);
  if (refusal === 'too_large' || (req.file && req.file.size > maxImportBytes))
    return renderUploadForm(req, res, 422, req.t('registryImport.tooLarge', { max: `${maxMegabytes} MB` }));
  if (refusal || !req.file || req.file.size === 0)
    return renderUploadForm(req, res, 422, req.t('registryImport.fileMissing'));
  const upload = await storeImportUpload(actorOf(req), req.file.buffer, req.file.originalname);
  res.redirect(303, `/office/import/${upload.id}`);
};

/** /office/import/:uploadId: the signed-in officer's own upload (anyone else's is a 404). */
export const loadOwnUpload: RequestHandler = async (req, _res, next) => {
  const upload = await findOwnUpload(actorOf(req), req.params.uploadId);
  if (!upload) throw new AppError(404, 'errors.notFound');
  req.importUpload = upload;
  next();
};

function errorRows(req: Request, errors: ImportError[]) {
  return errors.map((error) => ({
    row: error.row === 0 ? '' : error.row,
    column: error.column ? req.t(`registry.import.columns.${error.column}`) : '',
    message: req.t(error.messageKey, {
      ...error.params,
      ...(typeof error.params?.platform === 'string'
        ? { platform: platformLabel(req, error.params.platform) }
        : {}),
    }),
  }));
}

function accountRows(req: Request, plan: ImportPlan) {
  return plan.creators.flatMap((creator) =>
    creator.accounts.map((account) => ({
      row: account.row,
      creator: creator.displayName,
      street: req.t(`streets.${creator.street}`),
      platform: platformLabel(req, account.platform),
      platformId: account.platformId,
      followers: account.followers,
      outcome: account.outcome,
      outcomeLabel: req.t(`registryImport.outcomes.${account.outcome}`),
    })),
  );
}

function renderPlan(req: Request, res: Response, status: number, plan: ImportPlan) {
  const upload = req.importUpload as ImportUploadDocument;
  res.status(status).render('registry/office/importPreview', {
    title: req.t('registryImport.previewTitle'),
    uploadId: upload.id,
    fileName: upload.fileName,
    plan,
    errorRows: errorRows(req, plan.errors),
    errorColumns: ['registryImport.row', 'registryImport.column', 'registryImport.problem'].map((key) =>
      req.t(key),
    ),
    accountRows: accountRows(req, plan),
    rowColumns: [
      'registryImport.row',
      'registry.import.columns.display_name',
      'registry.import.columns.street',
      'registry.import.columns.platform',
      'registry.accounts.platformId',
      'registry.import.columns.followers',
      'registryImport.outcome',
    ].map((key) => req.t(key)),
  });
}

function renderResult(
  req: Request,
  res: Response,
  counts: ImportCounts,
  claimLinks: ClaimLink[],
  again: boolean,
) {
  res.render('registry/office/importResult', {
    title: req.t('registryImport.resultTitle'),
    counts,
    again,
    claimLinks: claimLinks.map((link) => ({ ...link, url: absolute(link.path) })),
  });
}

/** GET /office/import/:uploadId — the uploading officer: the dry run (nothing is written). */
export const showImportPreview: RequestHandler = async (req, res) => {
  const upload = req.importUpload as ImportUploadDocument;
  if (upload.appliedAt) return renderResult(req, res, upload.counts as ImportCounts, [], true);
  renderPlan(req, res, 200, await planUpload(actorOf(req), upload));
};

/**
 * POST /office/import/:uploadId — the uploading officer: imports the stored file. The page shows
 * the claim links once (they are stored only as hashes), so it is rendered, not redirected to.
 */
export const applyImportHandler: RequestHandler = async (req, res) => {
  res.set('Cache-Control', 'no-store');
  const result = await applyUpload(actorOf(req), req.importUpload as ImportUploadDocument);
  if (result.outcome === 'refused') return renderPlan(req, res, 422, result.plan);
  if (result.outcome === 'already_applied') return renderResult(req, res, result.counts, [], true);
  renderResult(req, res, result.counts, result.claimLinks, false);
};

/** POST /office/creators/:creatorId/claim-link — officers covering the creator: a new link (the old one ends). */
export const reissueClaimLinkHandler: RequestHandler = async (req, res) => {
  res.set('Cache-Control', 'no-store');
  const creator = req.creator as CreatorDocument;
  const token = await newClaimLink(actorOf(req), creator);
  if (!token) {
    req.flash('info', req.t('registryImport.alreadyClaimed'));
    return res.redirect(303, `/office/creators/${creator.id}`);
  }
  res.render('registry/office/claimLink', {
    title: req.t('registryImport.claimLinkTitle'),
    creator: { id: creator.id, displayName: creator.displayName },
    url: absolute(`/claim/${token}`),
  });
};
