// The registry's uploads: the request's one file (parsed before the CSRF check, see
// files/upload.ts) through sniffing and re-encoding into GridFS, or the reason it was refused.
import type { Request } from 'express';
import { Types } from 'mongoose';
import { processImage } from '../files/image.js';
import { type ImageKind, type UploadRefusal, maxUploadBytes, uploadRefusalKey } from '../files/limits.js';
import { storeImage } from '../files/storage.js';
import { uploadRefusalOf } from '../files/upload.js';

export type StoredUpload = { ok: true; id: Types.ObjectId } | { ok: false; refusal: UploadRefusal };

export async function storeUpload(req: Request, kind: ImageKind, ownerUserId: string): Promise<StoredUpload> {
  const refusal = uploadRefusalOf(req);
  if (refusal) return { ok: false, refusal };
  const result = await processImage(req.file?.buffer, kind);
  if (!result.ok) return result;
  return { ok: true, id: await storeImage(result.image, new Types.ObjectId(ownerUserId), kind) };
}

export function refusalMessage(req: Request, refusal: UploadRefusal): string {
  return req.t(uploadRefusalKey(refusal), { max: `${maxUploadBytes / 1024 / 1024} MB` });
}
