// What an uploaded image may be and what it becomes. One place for every limit of the pipeline.

/** The formats accepted, as file-type names them: what the bytes are, whatever the name says. */
export const acceptedImageMimes = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;
export type AcceptedImageMime = (typeof acceptedImageMimes)[number];

/** Phone screenshots and photos run to a few MB; 8 MB leaves room without inviting abuse. */
export const maxUploadBytes = 8 * 1024 * 1024;

/** Decoding a 30000×30000 "image" of a few kB would take gigabytes: refuse above 50 megapixels. */
export const maxInputPixels = 50_000_000;

export const imageKinds = ['avatar', 'evidence'] as const;
export type ImageKind = (typeof imageKinds)[number];

export type OutputFormat = 'webp' | 'jpeg';

export interface ImageRendition {
  /** The longest side after re-encoding; smaller images are not enlarged. */
  maxDimension: number;
  format: OutputFormat;
  quality: number;
}

/** Evidence screenshots must stay legible (figures, names); avatars are shown small. */
export const renditions: Readonly<Record<ImageKind, ImageRendition>> = {
  avatar: { maxDimension: 512, format: 'webp', quality: 82 },
  evidence: { maxDimension: 2560, format: 'webp', quality: 85 },
};

/** Why an upload was refused; each has a message under `files.errors.`. */
export type UploadRefusal =
  'missing' | 'too_large' | 'too_many_files' | 'not_an_image' | 'unreadable' | 'too_many_pixels';

export function uploadRefusalKey(refusal: UploadRefusal): `files.errors.${UploadRefusal}` {
  return `files.errors.${refusal}`;
}
