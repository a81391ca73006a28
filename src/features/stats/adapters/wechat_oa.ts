// WeChat official accounts publish no follower count; only the account itself can read it: figures are entered by the creator with evidence
// (a dated screenshot) and confirmed by an officer. Never pulled: no signatures, cookies or captchas.
import { manualAdapter } from './types.js';

export const wechatOa = manualAdapter(
  'wechat_oa',
  'WeChat official accounts publish no follower count; only the account itself can read it',
);
