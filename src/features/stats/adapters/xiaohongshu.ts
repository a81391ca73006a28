// Xiaohongshu needs a login cookie and x-s signatures: figures are entered by the creator with evidence
// (a dated screenshot) and confirmed by an officer. Never pulled: no signatures, cookies or captchas.
import { manualAdapter } from './types.js';

export const xiaohongshu = manualAdapter(
  'xiaohongshu',
  'Xiaohongshu needs a login cookie and x-s signatures',
);
