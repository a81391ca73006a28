// The one normalisation shared by stored search keys and queries: whatever is done to a name on
// write is done to a query on read, so the two always meet (坪山之眼, 坪山之眼 typed in Traditional,
// ｐｉｎｇｓｈａｎ and PingShan all become the same strings).
import type { ConverterFunction, ConverterOptions } from 'opencc-js/core';
import { Converter as untypedConverter } from 'opencc-js/t2cn';
import { pinyin } from 'pinyin-pro';

// opencc-js's entry typings import './core' without an extension, which NodeNext cannot resolve;
// its core typings are complete, so the factory is given their signature.
const Converter = untypedConverter as (options: ConverterOptions) => ConverterFunction;

// Hong Kong and Taiwan variants first go to Simplified through their own tables (龍→龙, 裏→里,
// 臺→台); chaining both makes text from either region land on the same Simplified form.
const fromHongKong = Converter({ from: 'hk', to: 'cn' });
const fromTaiwan = Converter({ from: 'tw', to: 'cn' });

const whitespace = /\s+/gu;
const notPinyinKey = /[^a-z0-9]+/gu;
const han = /\p{Script=Han}/u;

/** The first `max` code points (never splitting a surrogate pair the way `slice` would). */
export function codePoints(text: string, max: number): string {
  let result = '';
  let count = 0;
  for (const char of text) {
    if (count++ >= max) break;
    result += char;
  }
  return result;
}

/** Traditional (incl. HK and TW variants) → Simplified; full-width → half-width; lowercase. */
export function simplify(text: string): string {
  return fromTaiwan(fromHongKong(text.normalize('NFKC'))).toLowerCase();
}

/** Simplified, lowercased and without any whitespace: the form names are compared in. */
export function compact(text: string): string {
  return simplify(text).replace(whitespace, '');
}

/** Only the letters and digits of an already simplified string ("ping shan", "Ping-Shan" → "pingshan"). */
export function alphanumeric(text: string): string {
  return text.toLowerCase().replace(notPinyinKey, '');
}

export function containsHan(text: string): boolean {
  return han.test(text);
}

/**
 * Full pinyin (every spelling of ü: 绿 → lv and lu, the IME and the keyboard-less habit) and pinyin
 * initials of a simplified text, letters and digits only. Latin letters and digits pass through
 * (IN坪山 → inpingshan / inps). With `surname`, the first character is read as a surname
 * (单 → shan, 曾 → zeng), which is how a person's name is pronounced.
 */
export function pinyinForms(text: string, surname = false): { full: string[]; initials: string } {
  const options = { toneType: 'none', type: 'array', surname: surname ? 'head' : 'off' } as const;
  const joined = pinyin(text, options).join('');
  const spellings = joined.includes('ü')
    ? [joined.replaceAll('ü', 'v'), joined.replaceAll('ü', 'u')]
    : [joined];
  const initials = pinyin(text, { ...options, pattern: 'first' }).join('');
  return { full: spellings.map(alphanumeric), initials: alphanumeric(initials) };
}
