// Douyin needs a signed request (a_bogus) and a login cookie: figures are entered by the creator with evidence
// (a dated screenshot) and confirmed by an officer. Never pulled: no signatures, cookies or captchas.
import { manualAdapter } from './types.js';

export const douyin = manualAdapter('douyin', 'Douyin needs a signed request (a_bogus) and a login cookie');
