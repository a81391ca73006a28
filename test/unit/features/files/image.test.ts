// The image pipeline: only real JPEG/PNG/WebP/GIF images get through, whatever they claim to be,
// and what comes out is re-encoded, bounded in size and free of metadata.
import { expect } from 'chai';
import exifReader from 'exif-reader';
import sharp from 'sharp';
import { processImage, sniffImage } from '../../../../src/features/files/image.js';
import { maxUploadBytes, renditions } from '../../../../src/features/files/limits.js';
import { jpegPhoto, jpegWithGps, photo, pngPhoto } from './images.js';

async function accepted(data: Buffer, kind: 'avatar' | 'evidence' = 'evidence') {
  const result = await processImage(data, kind);
  if (!result.ok) throw new Error(`refused: ${result.refusal}`);
  return result.image;
}

describe('files: image pipeline', function () {
  it('re-encodes a JPEG photo as WebP', async function () {
    const image = await accepted(await jpegPhoto());
    expect(image.contentType).to.equal('image/webp');
    expect(image.sourceType).to.equal('image/jpeg');
    expect([image.width, image.height]).to.deep.equal([400, 300]);
    expect((await sharp(image.data).metadata()).format).to.equal('webp');
  });

  it('re-encodes PNG, WebP and GIF images', async function () {
    for (const [data, type] of [
      [await pngPhoto(), 'image/png'],
      [await photo().webp().toBuffer(), 'image/webp'],
      [await photo(60, 40).gif().toBuffer(), 'image/gif'],
    ] as const) {
      const image = await accepted(data);
      expect(image.sourceType).to.equal(type);
      expect((await sharp(image.data).metadata()).format).to.equal('webp');
    }
  });

  it('re-encodes as JPEG on request, flattening transparency onto white', async function () {
    const transparent = await sharp({
      create: { width: 40, height: 30, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const result = await processImage(transparent, 'avatar', 'jpeg');
    if (!result.ok) throw new Error(result.refusal);
    expect(result.image.contentType).to.equal('image/jpeg');
    const { data, info } = await sharp(result.image.data).raw().toBuffer({ resolveWithObject: true });
    expect([info.format, info.channels]).to.deep.equal(['raw', 3]);
    expect([...data.subarray(0, 3)]).to.deep.equal([255, 255, 255]);
    expect((await sharp(await jpegWithGps()).metadata()).exif).not.to.equal(undefined);
    const photo = await processImage(await jpegWithGps(), 'evidence', 'jpeg');
    expect(photo.ok && (await sharp(photo.image.data).metadata()).exif).to.equal(undefined);
  });

  it('strips EXIF (GPS position, device) and applies the orientation to the pixels', async function () {
    const original = await jpegWithGps();
    const before = exifReader((await sharp(original).metadata()).exif ?? Buffer.alloc(0));
    expect(before.GPSInfo?.GPSLatitude).to.deep.equal([22, 41, 30]);
    expect(before.Image?.Make).to.equal('PhoneMaker');

    const image = await accepted(original);
    const after = await sharp(image.data).metadata();
    expect(after.exif).to.equal(undefined);
    expect(after.xmp).to.equal(undefined);
    expect(after.orientation).to.equal(undefined);
    expect(image.data.includes(Buffer.from('PhoneMaker'))).to.equal(false);
    // orientation 6 is "rotate 90° clockwise": the stored image is upright, so taller than wide
    expect([image.width, image.height]).to.deep.equal([300, 400]);
  });

  it('caps the dimensions of each kind of image without enlarging small ones', async function () {
    const big = await jpegPhoto(3000, 1500);
    const avatar = await accepted(big, 'avatar');
    expect([avatar.width, avatar.height]).to.deep.equal([renditions.avatar.maxDimension, 256]);
    const evidence = await accepted(big, 'evidence');
    expect([evidence.width, evidence.height]).to.deep.equal([renditions.evidence.maxDimension, 1280]);
    const small = await accepted(await jpegPhoto(120, 80), 'avatar');
    expect([small.width, small.height]).to.deep.equal([120, 80]);
  });

  it('refuses a file that is not an image', async function () {
    expect(await processImage(Buffer.from('name,platform\n坪山之眼,weibo\n'), 'evidence')).to.deep.equal({
      ok: false,
      refusal: 'not_an_image',
    });
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer <<>>\n%%EOF\n');
    expect(await processImage(pdf, 'evidence')).to.deep.equal({ ok: false, refusal: 'not_an_image' });
  });

  it('refuses formats outside the list even when they are images (SVG can carry script, TIFF)', async function () {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    expect(await processImage(svg, 'avatar')).to.deep.equal({ ok: false, refusal: 'not_an_image' });
    const tiff = await photo(20, 20).tiff().toBuffer();
    expect(await sniffImage(tiff)).to.equal(undefined);
    expect(await processImage(tiff, 'avatar')).to.deep.equal({ ok: false, refusal: 'not_an_image' });
  });

  it('refuses a truncated image', async function () {
    const jpeg = await jpegPhoto();
    expect(await processImage(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), 'evidence')).to.deep.equal({
      ok: false,
      refusal: 'unreadable',
    });
    const png = await pngPhoto();
    expect(await processImage(png.subarray(0, Math.floor(png.length * 0.6)), 'evidence')).to.deep.equal({
      ok: false,
      refusal: 'unreadable',
    });
  });

  it('refuses an image whose pixel count would exhaust memory', async function () {
    // a PNG of 8000 × 8000 single-colour pixels is small on disk and 64 megapixels decoded
    const bomb = await sharp({ create: { width: 8000, height: 8000, channels: 3, background: '#fff' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).to.be.below(maxUploadBytes);
    expect(await processImage(bomb, 'evidence')).to.deep.equal({ ok: false, refusal: 'too_many_pixels' });
  });

  it('refuses an empty upload and one over the size limit', async function () {
    expect(await processImage(undefined, 'avatar')).to.deep.equal({ ok: false, refusal: 'missing' });
    expect(await processImage(Buffer.alloc(0), 'avatar')).to.deep.equal({ ok: false, refusal: 'missing' });
    const oversized = Buffer.concat([await jpegPhoto(), Buffer.alloc(maxUploadBytes)]);
    expect(await processImage(oversized, 'avatar')).to.deep.equal({ ok: false, refusal: 'too_large' });
  });
});
