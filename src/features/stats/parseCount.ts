// Follower counts arrive as integers, numeric strings, "1,234", or abbreviated as 1.2万, 3.4萬,
// 169.8w, 6335.8万, 1亿, 1.5億, 10万+, 12.3k, 1.2M. Every form becomes an integer with how precise
// it is, and the raw text is kept so an officer can see what the platform really said. Anything
// else is refused with a reason, never guessed.

/** exact: the platform gave every digit; abbreviated: 万/亿/k/M forms; rounded: the platform rounds (YouTube). */
export type CountPrecision = 'exact' | 'rounded' | 'abbreviated';

export interface ParsedCount {
  ok: true;
  value: number;
  precision: CountPrecision;
  /** The input as text, exactly as received. */
  raw: string;
  /** "10万+": the platform only says "at least". */
  atLeast: boolean;
}

export interface RefusedCount {
  ok: false;
  raw: string;
  reason: string;
}

export type CountResult = ParsedCount | RefusedCount;

// Powers of ten per unit. 萬/億 are the Traditional forms; w is the pinyin shorthand of 万.
const unitExponents: Record<string, number> = {
  k: 3,
  千: 3,
  w: 4,
  万: 4,
  萬: 4,
  m: 6,
  亿: 8,
  億: 8,
};

const plainInteger = /^\d+$/;
const groupedInteger = /^\d{1,3}(?:,\d{3})+$/;
const abbreviated = /^(\d+)(?:\.(\d+))?\s*(k|千|w|万|萬|m|亿|億)(\+?)$/i;
// A huge digit string or an unsafe product would lose digits silently in a double.
const maxDigits = 16;

function refuse(raw: string, reason: string): RefusedCount {
  return { ok: false, raw, reason };
}

function accept(raw: string, value: number, precision: CountPrecision, atLeast = false): CountResult {
  if (!Number.isSafeInteger(value)) return refuse(raw, 'too large');
  return { ok: true, value, precision, raw, atLeast };
}

/** Integer × 10^exponent computed on digits, so 1.2万 is 12000 and not 12000.000000000002. */
function scaleDigits(whole: string, fraction: string, exponent: number): number {
  const digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '');
  const shift = exponent - fraction.length;
  if (shift >= 0) return Number(`${digits}${'0'.repeat(shift)}`);
  // More decimals than the unit has zeros (1.23456万): round to the nearest follower.
  return Math.round(Number(digits) / 10 ** -shift);
}

function parseText(raw: string): CountResult {
  // NFKC folds full-width digits and commas (１２，３４５) into ASCII; spaces around units are noise.
  const text = raw.normalize('NFKC').trim();
  if (text === '') return refuse(raw, 'empty');
  if (plainInteger.test(text)) {
    if (text.length > maxDigits) return refuse(raw, 'too large');
    return accept(raw, Number(text), 'exact');
  }
  if (groupedInteger.test(text)) {
    const digits = text.replaceAll(',', '');
    if (digits.length > maxDigits) return refuse(raw, 'too large');
    return accept(raw, Number(digits), 'exact');
  }
  const match = abbreviated.exec(text);
  if (!match) return refuse(raw, 'not a count');
  const [, whole = '', fraction = '', unit = '', plus = ''] = match;
  if (whole.length + fraction.length > maxDigits) return refuse(raw, 'too large');
  const exponent = unitExponents[unit.toLowerCase()];
  if (exponent === undefined) return refuse(raw, 'unknown unit');
  return accept(raw, scaleDigits(whole, fraction, exponent), 'abbreviated', plus === '+');
}

/** Parses a follower (or like/post) count from whatever a platform sent. */
export function parseCount(input: unknown): CountResult {
  if (typeof input === 'number') {
    const raw = String(input);
    if (!Number.isInteger(input)) return refuse(raw, 'not a whole number');
    if (input < 0) return refuse(raw, 'negative');
    return accept(raw, input, 'exact');
  }
  if (typeof input === 'string') return parseText(input);
  if (typeof input === 'bigint') return parseText(input.toString());
  return refuse(
    input === undefined ? '' : (JSON.stringify(input) ?? ''),
    `not a number or string (${typeof input})`,
  );
}
