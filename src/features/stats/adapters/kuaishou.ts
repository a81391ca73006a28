// Kuaishou needs a device cookie and answers anonymous callers with captchas: figures are entered by the creator with evidence
// (a dated screenshot) and confirmed by an officer. Never pulled: no signatures, cookies or captchas.
import { manualAdapter } from './types.js';

export const kuaishou = manualAdapter(
  'kuaishou',
  'Kuaishou needs a device cookie and answers anonymous callers with captchas',
);
