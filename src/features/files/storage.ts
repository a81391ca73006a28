// Images live in MongoDB GridFS (one database to back up), with who owns them and what they are
// for in the file's metadata. Reading goes through findStoredImage + sendStoredImage so that the
// route decides who may see a file before a single byte leaves.
import type { Response } from 'express';
import mongoose, { type Connection, Types } from 'mongoose';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { ProcessedImage } from './image.js';
import type { ImageKind } from './limits.js';

export const imageBucketName = 'images';

export interface StoredImage {
  id: Types.ObjectId;
  owner: Types.ObjectId;
  kind: ImageKind;
  contentType: string;
  length: number;
  width: number;
  height: number;
  uploadedAt: Date;
}

interface ImageMetadata {
  owner: Types.ObjectId;
  kind: ImageKind;
  contentType: string;
  width: number;
  height: number;
}

function bucketOf(connection: Connection): mongoose.mongo.GridFSBucket {
  if (!connection.db) throw new Error('GridFS needs a connected database');
  return new mongoose.mongo.GridFSBucket(connection.db, { bucketName: imageBucketName });
}

/** Only a 24-hex string is an id here (ObjectId.isValid also takes any 12-character string). */
function toObjectId(id: unknown): Types.ObjectId | undefined {
  return typeof id === 'string' && /^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : undefined;
}

/** Stores a re-encoded image; never give this raw upload bytes (see processImage). */
export async function storeImage(
  image: ProcessedImage,
  owner: Types.ObjectId,
  kind: ImageKind,
  connection: Connection = mongoose.connection,
): Promise<Types.ObjectId> {
  const metadata: ImageMetadata = {
    owner,
    kind,
    contentType: image.contentType,
    width: image.width,
    height: image.height,
  };
  const extension = image.contentType === 'image/webp' ? 'webp' : 'jpg';
  const upload = bucketOf(connection).openUploadStream(`${kind}.${extension}`, { metadata });
  await pipeline(Readable.from([image.data]), upload);
  return upload.id;
}

/** The stored image's description, or undefined for a malformed or unknown id. */
export async function findStoredImage(
  id: unknown,
  connection: Connection = mongoose.connection,
): Promise<StoredImage | undefined> {
  const objectId = toObjectId(id);
  if (!objectId) return undefined;
  const [file] = await bucketOf(connection).find({ _id: objectId }).limit(1).toArray();
  const metadata = file?.metadata as ImageMetadata | undefined;
  if (!file || !metadata) return undefined;
  return {
    id: objectId,
    owner: metadata.owner,
    kind: metadata.kind,
    contentType: metadata.contentType,
    length: file.length,
    width: metadata.width,
    height: metadata.height,
    uploadedAt: file.uploadDate,
  };
}

/**
 * Streams an image the route has already allowed the requester to see. Private caching only:
 * evidence must not sit in a shared cache, and a replaced avatar gets a new id anyway.
 */
export async function sendStoredImage(
  res: Response,
  image: StoredImage,
  connection: Connection = mongoose.connection,
): Promise<void> {
  res.set({
    'Content-Type': image.contentType,
    'Content-Length': String(image.length),
    'Cache-Control': 'private, max-age=86400',
    'Content-Disposition': `inline; filename="${image.id.toHexString()}.${image.contentType === 'image/webp' ? 'webp' : 'jpg'}"`,
    'X-Content-Type-Options': 'nosniff',
  });
  await pipeline(bucketOf(connection).openDownloadStream(image.id), res);
}

/** Reads a whole stored image into memory (data downloads, tests). */
export async function readStoredImage(
  id: Types.ObjectId,
  connection: Connection = mongoose.connection,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of bucketOf(connection).openDownloadStream(id)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Removes an image and its chunks; false when there was none (already removed). */
export async function deleteStoredImage(
  id: Types.ObjectId,
  connection: Connection = mongoose.connection,
): Promise<boolean> {
  try {
    await bucketOf(connection).delete(id);
    return true;
  } catch (error) {
    if (error instanceof mongoose.mongo.MongoRuntimeError && /not found/i.test(error.message)) return false;
    throw error;
  }
}
