// An XLSX file is a zip: 2 MB on the wire can declare gigabytes of XML, and the reader allocates
// what the archive's central directory declares. The directory is read first and the file refused
// when it declares more than a spreadsheet of maxImportRows could need.

/** 2,000 rows of a dozen short columns are a few MB of sheet XML; 50 MB is generous. */
export const maxXlsxUnpackedBytes = 50 * 1024 * 1024;
const maxEntries = 200;

const endOfDirectory = 0x06054b50;
const directoryEntry = 0x02014b50;

/** Total declared uncompressed size, or undefined when the directory is missing or malformed. */
export function declaredUnpackedBytes(zip: Buffer): number | undefined {
  // the end record is 22 bytes plus a comment of up to 65535 bytes, at the very end
  const earliest = Math.max(0, zip.length - 22 - 0xffff);
  let end = -1;
  for (let at = zip.length - 22; at >= earliest; at -= 1) {
    if (zip.readUInt32LE(at) === endOfDirectory) {
      end = at;
      break;
    }
  }
  if (end < 0) return undefined;
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  if (entries > maxEntries) return Number.POSITIVE_INFINITY;
  let total = 0;
  for (let i = 0; i < entries; i += 1) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== directoryEntry) return undefined;
    const size = zip.readUInt32LE(at + 24);
    // 0xffffffff means "see the zip64 record": no spreadsheet of ours needs one
    if (size === 0xffffffff) return Number.POSITIVE_INFINITY;
    total += size;
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return total;
}

export function isReasonableXlsx(zip: Buffer): boolean {
  const total = declaredUnpackedBytes(zip);
  return total !== undefined && total <= maxXlsxUnpackedBytes;
}
