// WeChat Channels publishes no follower count: figures are entered by the creator with evidence
// (a dated screenshot) and confirmed by an officer. Never pulled: no signatures, cookies or captchas.
import { manualAdapter } from './types.js';

export const wechatChannels = manualAdapter('wechat_channels', 'WeChat Channels publishes no follower count');
