// Turns uploaded bytes into a safe image: the real format sniffed from the content (the file name
// and the declared type are the uploader's claims, not facts), then decoded and re-encoded by
// sharp, which drops every piece of metadata (EXIF with GPS position and device, XMP, ICC comments)
// after applying the EXIF orientation to the pixels.
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import {
  type AcceptedImageMime,
  type ImageKind,
  type OutputFormat,
  type UploadRefusal,
  acceptedImageMimes,
  maxInputPixels,
  maxUploadBytes,
  renditions,
} from './limits.js';

export interface ProcessedImage {
  data: Buffer;
  contentType: 'image/webp' | 'image/jpeg';
  width: number;
  height: number;
  /** What the bytes were before re-encoding, for the record. */
  sourceType: AcceptedImageMime;
}

export type ImageResult = { ok: true; image: ProcessedImage } | { ok: false; refusal: UploadRefusal };

function isAccepted(mime: string | undefined): mime is AcceptedImageMime {
  return (acceptedImageMimes as readonly string[]).includes(mime ?? '');
}

/** The image format the bytes really have, or undefined when they are no accepted image. */
export async function sniffImage(data: Uint8Array): Promise<AcceptedImageMime | undefined> {
  const type = await fileTypeFromBuffer(data);
  return isAccepted(type?.mime) ? type.mime : undefined;
}

/**
 * Re-encodes an upload for its use (avatar or evidence), or says why it cannot. `format` overrides
 * the kind's output format (JPEG for places that cannot show WebP, such as some mail clients).
 */
export async function processImage(
  data: Buffer | undefined,
  kind: ImageKind,
  format: OutputFormat = renditions[kind].format,
): Promise<ImageResult> {
  if (!data || data.length === 0) return { ok: false, refusal: 'missing' };
  // multer enforces the limit on the wire; this guards callers that bring their own bytes
  if (data.length > maxUploadBytes) return { ok: false, refusal: 'too_large' };
  const sourceType = await sniffImage(data);
  if (!sourceType) return { ok: false, refusal: 'not_an_image' };
  const rendition = renditions[kind];
  try {
    // failOn 'truncated': a cut-off upload is refused rather than stored half grey
    const input = sharp(data, { failOn: 'truncated', limitInputPixels: maxInputPixels, animated: false });
    const pipeline = input.rotate().resize({
      width: rendition.maxDimension,
      height: rendition.maxDimension,
      fit: 'inside',
      withoutEnlargement: true,
    });
    const encoded =
      format === 'webp'
        ? pipeline.webp({ quality: rendition.quality })
        : pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: rendition.quality, mozjpeg: true });
    const { data: output, info } = await encoded.toBuffer({ resolveWithObject: true });
    return {
      ok: true,
      image: {
        data: output,
        contentType: format === 'webp' ? 'image/webp' : 'image/jpeg',
        width: info.width,
        height: info.height,
        sourceType,
      },
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    return { ok: false, refusal: /pixel limit/i.test(message) ? 'too_many_pixels' : 'unreadable' };
  }
}
