// Id formats shared by more than one platform.

/**
 * ByteDance's public user ids (Douyin sec_uid, Toutiao token) are base64url strings that start with
 * "MS4wLjABAAAA" (the encoded header); the rest is typically 43 or 64 characters.
 */
export const byteDanceSecUid = /^MS4wLjABAAAA[A-Za-z0-9_-]{20,100}$/;

/** Positive decimal integer ids (Bilibili mid, Weibo uid, Toutiao legacy user id). */
export function isDecimalId(id: string, minDigits: number, maxDigits: number): boolean {
  return new RegExp(`^[1-9][0-9]{${minDigits - 1},${maxDigits - 1}}$`).test(id);
}

/** Trims and drops one leading @ (people paste handles with it). */
export function trimHandle(raw: string): string {
  const trimmed = raw.trim();
  return trimmed.startsWith('@') || trimmed.startsWith('＠') ? trimmed.slice(1) : trimmed;
}
