// Password strength through zxcvbn-ts with its common-password and English dictionaries, plus the
// words a guesser of this portal tries first (its name, the district, the published demo
// password). Score 0–4; below 3 is "too easy to guess" (zxcvbn's "safely unguessable" is 3+).
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

const minimumScore = 3;

/** What anyone would try against this portal first; the demo password is published in the README. */
const portalWords = ['lighthouse', 'pingshan', 'shenzhen', 'lighthouse-demo-2026', 'demo', 'admin'];

const estimator = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...english.dictionary, portal: portalWords },
  graphs: common.adjacencyGraphs,
  translations: english.translations,
});

/** True when the password is among the first a guesser would try (`ownWords`: the person's email, name). */
export function isWeakPassword(password: string, ownWords: readonly string[] = []): boolean {
  const words = ownWords.flatMap((word) => [word, ...word.toLowerCase().split(/[@.\s_-]+/)]).filter(Boolean);
  return estimator.check(password, words).score < minimumScore;
}
