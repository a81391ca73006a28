// Ownership proof: the portal issues a short code that the creator puts in the account's bio; a
// reader of the public profile (the puller, or an officer) then looks for it.
import { randomInt } from 'node:crypto';

export const ownershipCodePrefix = 'LH';
/** 5 characters from 27 ≈ 14 million codes: the code proves control of a bio, it is no secret. */
export const ownershipCodeLength = 5;
/** Digits and capitals without the look-alikes 0/O, 1/I/L, 2/Z, 5/S (read aloud, typed on phones). */
export const ownershipCodeAlphabet = '346789ABCDEFGHJKMNPQRTUVWXY';

const codeShape = new RegExp(`^${ownershipCodePrefix}-[${ownershipCodeAlphabet}]{${ownershipCodeLength}}$`);

/** A new code such as LH-7K3Q9, from the operating system's random source. */
export function generateOwnershipCode(): string {
  let body = '';
  for (let i = 0; i < ownershipCodeLength; i += 1) {
    body += ownershipCodeAlphabet[randomInt(ownershipCodeAlphabet.length)];
  }
  return `${ownershipCodePrefix}-${body}`;
}

export function isOwnershipCode(value: unknown): value is string {
  return typeof value === 'string' && codeShape.test(value);
}

/**
 * Full-width forms (ＬＨ－７Ｋ３Ｑ９, typed by Chinese input methods) fold to ASCII, case is
 * ignored, and spaces and dashes of every kind vanish: "lh 7k3q9", "LH—7K3Q9" all match.
 */
function canonical(text: string): string {
  return text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\p{Pd}_·・.]/gu, '');
}

export function bioContainsCode(bio: string | null | undefined, code: string): boolean {
  if (!bio || !isOwnershipCode(code)) return false;
  return canonical(bio).includes(canonical(code));
}
