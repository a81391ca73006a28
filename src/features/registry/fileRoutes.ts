// /files/:fileId (anyone signed in; the guard is in app.ts): avatars and evidence are served only
// to the person who uploaded them and to officers whose street scope covers that creator. Anyone
// else gets the same 404 as for a file that does not exist.
import { Router } from 'express';
import { AppError } from '../../http/errors.js';
import { findStoredImage, sendStoredImage } from '../files/storage.js';
import type { SessionUser } from '../users/model.js';
import { findCreatorOfUser } from './creatorService.js';
import { coversCreator } from './loaders.js';

async function mayRead(user: SessionUser, owner: string): Promise<boolean> {
  if (owner === user.id) return true;
  if (user.role === 'creator') return false;
  const creator = await findCreatorOfUser(owner);
  return creator !== null && coversCreator(user, creator);
}

export function registryFileRoutes(): Router {
  const files = Router();
  /** GET /files/:fileId — the uploader, and officers covering the uploader's street. */
  files.get('/:fileId', async (req, res) => {
    const image = await findStoredImage(req.params.fileId);
    if (!image || !(await mayRead(req.user as SessionUser, image.owner.toHexString())))
      throw new AppError(404, 'errors.notFound');
    await sendStoredImage(res, image);
  });
  return files;
}
