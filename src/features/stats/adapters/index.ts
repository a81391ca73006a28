// Every platform's adapter by platform id: the one place that says which platforms are pulled.
import { bilibili } from './bilibili.js';
import { douyin } from './douyin.js';
import { kuaishou } from './kuaishou.js';
import { toutiao } from './toutiao.js';
import type { PlatformAdapter } from './types.js';
import { wechatChannels } from './wechat_channels.js';
import { wechatOa } from './wechat_oa.js';
import { weibo } from './weibo.js';
import { x } from './x.js';
import { xiaohongshu } from './xiaohongshu.js';
import { youtube } from './youtube.js';
import type { AutomaticPlatform, StatsPlatform } from '../outcomes.js';
import type { AutomaticAdapter } from './types.js';

export const automaticAdapters: Record<AutomaticPlatform, AutomaticAdapter> = {
  bilibili,
  youtube,
  x,
  weibo,
  toutiao,
};

export const adapters: Record<StatsPlatform, PlatformAdapter> = {
  ...automaticAdapters,
  douyin,
  kuaishou,
  xiaohongshu,
  wechat_oa: wechatOa,
  wechat_channels: wechatChannels,
};
