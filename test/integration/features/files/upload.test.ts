// Uploads end to end over HTTP: multer → sniffing → sharp → GridFS → streamed back, against the
// test database lane. The registry's routes are not built yet, so a small app mounts the pipeline
// the way they will: upload middleware, processImage, storeImage, then an access-checked read.
import type { Server } from 'node:http';
import { expect } from 'chai';
import express, { type ErrorRequestHandler } from 'express';
import mongoose, { Types } from 'mongoose';
import request from 'supertest';
import sharp from 'sharp';
import { processImage } from '../../../../src/features/files/image.js';
import { maxUploadBytes } from '../../../../src/features/files/limits.js';
import {
  deleteStoredImage,
  imageBucketName,
  findStoredImage,
  readStoredImage,
  sendStoredImage,
  storeImage,
} from '../../../../src/features/files/storage.js';
import { singleImageUpload, uploadRefusalOf } from '../../../../src/features/files/upload.js';
import { AppError } from '../../../../src/http/errors.js';
import { type TestDatabase, startTestDatabase } from '../../../support/database.js';
import { jpegPhoto, jpegWithGps, pngPhoto } from '../../../unit/features/files/images.js';

const owner = new Types.ObjectId();
const stranger = new Types.ObjectId();

/** Who is asking comes from a header here; the real routes read the session. */
function testApp() {
  const app = express();
  app.post('/evidence', singleImageUpload('image'), async (req, res) => {
    const refusal = uploadRefusalOf(req) ?? null;
    if (refusal) return void res.status(422).json({ refusal });
    const result = await processImage(req.file?.buffer, 'evidence');
    if (!result.ok) return void res.status(422).json({ refusal: result.refusal });
    const id = await storeImage(result.image, owner, 'evidence');
    res.status(201).json({ id: id.toHexString(), caption: (req.body as { caption?: string }).caption });
  });
  app.get('/files/:id', async (req, res, next) => {
    const image = await findStoredImage(req.params.id);
    // someone else's file answers exactly like a missing one
    if (!image || req.get('x-user') !== image.owner.toHexString())
      return next(new AppError(404, 'errors.notFound'));
    await sendStoredImage(res, image);
  });
  const errors: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    res.status(error instanceof AppError ? error.status : 500).json({ error: String(error) });
  };
  app.use(errors);
  return app;
}

describe('files: uploads stored in GridFS', function () {
  let db: TestDatabase;
  let server: Server;

  before(async function () {
    db = await startTestDatabase();
    await mongoose.connect(db.uri, { serverSelectionTimeoutMS: 5000 });
    server = testApp().listen(0);
  });

  after(async function () {
    server.close();
    await mongoose.disconnect();
    await db.stop();
  });

  async function upload(data: Buffer, filename: string, contentType: string) {
    return request(server)
      .post('/evidence')
      .field('caption', '坪山之眼 粉丝截图')
      .attach('image', data, { filename, contentType });
  }

  it('stores a JPEG without its EXIF and streams it back to its owner only', async function () {
    const res = await upload(await jpegWithGps(), 'IMG_0042.jpg', 'image/jpeg');
    expect(res.status).to.equal(201);
    expect(res.body.caption).to.equal('坪山之眼 粉丝截图');

    const stored = await findStoredImage(res.body.id);
    expect(stored).to.include({ kind: 'evidence', contentType: 'image/webp', width: 300, height: 400 });
    expect(stored?.owner.toHexString()).to.equal(owner.toHexString());

    const read = await request(server)
      .get(`/files/${res.body.id}`)
      .set('x-user', owner.toHexString())
      .buffer(true);
    expect(read.status).to.equal(200);
    expect(read.headers['content-type']).to.equal('image/webp');
    expect(read.headers['cache-control']).to.equal('private, max-age=86400');
    expect(read.headers['x-content-type-options']).to.equal('nosniff');
    const body = read.body as Buffer;
    expect(body.length).to.equal(stored?.length);
    const metadata = await sharp(body).metadata();
    expect(metadata.format).to.equal('webp');
    expect(metadata.exif).to.equal(undefined);
    expect(body.includes(Buffer.from('PhoneMaker'))).to.equal(false);

    const other = await request(server).get(`/files/${res.body.id}`).set('x-user', stranger.toHexString());
    expect(other.status).to.equal(404);
  });

  it('stores a PNG, in a bucket whose chunks are indexed uniquely by file and position', async function () {
    const res = await upload(await pngPhoto(), 'screenshot.png', 'image/png');
    expect(res.status).to.equal(201);
    expect((await findStoredImage(res.body.id))?.contentType).to.equal('image/webp');
    const indexes = await mongoose.connection.collection(`${imageBucketName}.chunks`).indexes();
    expect(indexes.find((index) => index.unique)?.key).to.deep.equal({ files_id: 1, n: 1 });
  });

  it('refuses a text file, one that lies about its type, and a truncated image; stores nothing', async function () {
    const before = await mongoose.connection.collection(`${imageBucketName}.files`).countDocuments();
    const text = await upload(Buffer.from('not an image at all\n'), 'notes.txt', 'text/plain');
    expect([text.status, text.body.refusal]).to.deep.equal([422, 'not_an_image']);
    const liar = await upload(Buffer.from('<?php echo "hi"; ?>\n'), 'avatar.png', 'image/png');
    expect([liar.status, liar.body.refusal]).to.deep.equal([422, 'not_an_image']);
    const jpeg = await jpegPhoto();
    const truncated = await upload(jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'cut.jpg', 'image/jpeg');
    expect([truncated.status, truncated.body.refusal]).to.deep.equal([422, 'unreadable']);
    expect(await mongoose.connection.collection(`${imageBucketName}.files`).countDocuments()).to.equal(
      before,
    );
  });

  it('refuses an upload over the size limit, and a second file', async function () {
    const huge = Buffer.concat([await jpegPhoto(), Buffer.alloc(maxUploadBytes)]);
    const tooLarge = await upload(huge, 'huge.jpg', 'image/jpeg');
    expect([tooLarge.status, tooLarge.body.refusal]).to.deep.equal([422, 'too_large']);
    const photo = await jpegPhoto();
    const two = await request(server)
      .post('/evidence')
      .attach('image', photo, 'one.jpg')
      .attach('image', photo, 'two.jpg');
    expect([two.status, two.body.refusal]).to.deep.equal([422, 'too_many_files']);
  });

  it('answers 404 for malformed and unknown ids, and deletes files with their chunks', async function () {
    for (const id of ['nope', '123456789012', '0123456789abcdef01234567', '{"$ne":null}']) {
      const res = await request(server)
        .get(`/files/${encodeURIComponent(id)}`)
        .set('x-user', owner.toHexString());
      expect(res.status, id).to.equal(404);
    }
    const res = await upload(await jpegPhoto(), 'a.jpg', 'image/jpeg');
    const id = new Types.ObjectId((res.body as { id: string }).id);
    expect((await readStoredImage(id)).length).to.be.above(0);
    expect(await deleteStoredImage(id)).to.equal(true);
    expect(await findStoredImage(id.toHexString())).to.equal(undefined);
    expect(
      await mongoose.connection.collection(`${imageBucketName}.chunks`).countDocuments({ files_id: id }),
    ).to.equal(0);
    expect(await deleteStoredImage(id)).to.equal(false);
  });
});
