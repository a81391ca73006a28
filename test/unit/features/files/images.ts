// Test images made with sharp itself: a noisy photo (so that compression leaves real scan data to
// truncate), with or without a phone's EXIF (make, model, GPS position, orientation).
import sharp, { type Sharp } from 'sharp';

/** Deterministic noise: flat colours compress to almost nothing and hide truncation. */
function noise(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = (i * 7919) % 251;
  return pixels;
}

export function photo(width = 400, height = 300): Sharp {
  return sharp(noise(width, height), { raw: { width, height, channels: 3 } });
}

export const jpegPhoto = (width?: number, height?: number) => photo(width, height).jpeg().toBuffer();
export const pngPhoto = (width?: number, height?: number) => photo(width, height).png().toBuffer();

/** A phone photo: EXIF with the device, the place (Pingshan) and a "rotate 90°" orientation. */
export function jpegWithGps(): Promise<Buffer> {
  return photo(400, 300)
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExifMerge({
      IFD0: { Make: 'PhoneMaker', Model: 'Phone 15' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '22/1 41/1 30/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '114/1 20/1 50/1',
      },
    })
    .toBuffer();
}
