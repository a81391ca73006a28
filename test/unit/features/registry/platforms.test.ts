// The profile-address parser, table-driven: every address form each platform really uses, and the
// addresses that must be refused with the reason the creator will read.
import { expect } from 'chai';
import {
  detectPlatform,
  parseProfileUrl,
  platformKeys,
  platforms,
  profileUrl,
  validatePlatformId,
  type PlatformKey,
  type ProfileRefusal,
} from '../../../../src/features/registry/platforms/index.js';

const secUid = 'MS4wLjABAAAAv7iSuuXDJGDvJkmH_vz1qkDZYo1apxgzaxdBSeIuPiM';
const secUid2 = 'MS4wLjABAAAAj9Bq3n8JjXwYvPq1N2r-k5YQ6cC0xG8hVt7y2mUaLsPd4eFgHiJkLmNoPqRsTuVw';
const xhsId = '5f2b7c9e000000000101a3c4';
const ucId = 'UC_x5XG1OV2P6uZZ5FSM9Ttw';

/** [address, platform, platformId] */
const accepted: [string, PlatformKey, string][] = [
  // Weibo
  ['https://weibo.com/u/1195230310', 'weibo', '1195230310'],
  ['https://www.weibo.com/u/5044281310?refer_flag=1005055013_&is_all=1', 'weibo', '5044281310'],
  ['https://weibo.com/1195230310', 'weibo', '1195230310'],
  ['https://weibo.com/1195230310/O9xYzAbCd', 'weibo', '1195230310'],
  ['https://weibo.com/p/1005051195230310/home?from=page_100505', 'weibo', '1195230310'],
  ['https://m.weibo.cn/u/5044281310?uid=5044281310&luicode=10000011&lfid=231093', 'weibo', '5044281310'],
  ['https://m.weibo.cn/profile/5044281310', 'weibo', '5044281310'],
  ['https://m.weibo.cn/p/index?containerid=1005055044281310', 'weibo', '5044281310'],
  ['weibo.com/u/1195230310', 'weibo', '1195230310'],
  ['HTTPS://WEIBO.COM/u/1195230310/', 'weibo', '1195230310'],
  // Douyin
  [`https://www.douyin.com/user/${secUid}`, 'douyin', secUid],
  [`https://www.douyin.com/user/${secUid}?from_tab_name=main&vid=7301234567890123456`, 'douyin', secUid],
  [`https://douyin.com/user/${secUid2}?modal_id=7301234567890123456`, 'douyin', secUid2],
  [`https://www.iesdouyin.com/share/user/98765432101?sec_uid=${secUid}&u_code=1&did=0`, 'douyin', secUid],
  [`www.douyin.com/user/${secUid}/`, 'douyin', secUid],
  // Bilibili
  ['https://space.bilibili.com/546195', 'bilibili', '546195'],
  ['https://space.bilibili.com/3493118494116797/dynamic', 'bilibili', '3493118494116797'],
  ['https://space.bilibili.com/546195/video?tid=0&pn=2', 'bilibili', '546195'],
  ['https://space.bilibili.com/546195?spm_id_from=333.1007.tianma.1-1-1.click', 'bilibili', '546195'],
  ['https://m.bilibili.com/space/546195', 'bilibili', '546195'],
  [
    'http://m.bilibili.com/space/3493118494116797?share_source=copy_link&share_medium=iphone',
    'bilibili',
    '3493118494116797',
  ],
  ['space.bilibili.com/546195', 'bilibili', '546195'],
  // Xiaohongshu
  [`https://www.xiaohongshu.com/user/profile/${xhsId}`, 'xiaohongshu', xhsId],
  [
    `https://www.xiaohongshu.com/user/profile/${xhsId}?xsec_token=ABcd1234efGH&xsec_source=pc_search`,
    'xiaohongshu',
    xhsId,
  ],
  [
    `https://xiaohongshu.com/user/profile/${xhsId.toUpperCase()}?channel_type=web_note_detail_r10`,
    'xiaohongshu',
    xhsId,
  ],
  [
    `https://www.xiaohongshu.com/user/profile/${xhsId}?share_from_user_hidden=true&appuid=${xhsId}`,
    'xiaohongshu',
    xhsId,
  ],
  // Kuaishou
  ['https://www.kuaishou.com/profile/3xv78fxycm35nn4', 'kuaishou', '3xv78fxycm35nn4'],
  ['https://www.kuaishou.com/profile/3xqbgg5rrpui69c?source=NewReco', 'kuaishou', '3xqbgg5rrpui69c'],
  ['https://live.kuaishou.com/profile/3xv78fxycm35nn4', 'kuaishou', '3xv78fxycm35nn4'],
  ['https://m.kuaishou.com/fw/user/3xv78fxycm35nn4?fid=1&cc=share_copylink', 'kuaishou', '3xv78fxycm35nn4'],
  // Toutiao
  [`https://www.toutiao.com/c/user/token/${secUid}/`, 'toutiao', secUid],
  [`https://www.toutiao.com/c/user/token/${secUid}/?source=tuwen_detail&tab=article`, 'toutiao', secUid],
  ['https://www.toutiao.com/c/user/50502346296/', 'toutiao', '50502346296'],
  ['https://toutiao.com/c/user/50502346296/?wid=1700000000000', 'toutiao', '50502346296'],
  ['https://m.toutiao.com/profile/50502346296/', 'toutiao', '50502346296'],
  // YouTube
  ['https://www.youtube.com/@PingshanVoice', 'youtube', '@pingshanvoice'],
  ['https://youtube.com/@pingshan.voice/videos', 'youtube', '@pingshan.voice'],
  ['https://m.youtube.com/@PingshanVoice?si=Xy12AbCdEfGhIjKl', 'youtube', '@pingshanvoice'],
  ['https://www.youtube.com/%40%E5%9D%AA%E5%B1%B1%E4%B9%8B%E7%9C%BC', 'youtube', '@坪山之眼'],
  [`https://www.youtube.com/channel/${ucId}`, 'youtube', ucId],
  [`https://www.youtube.com/channel/${ucId}/featured?sub_confirmation=1`, 'youtube', ucId],
  ['https://www.youtube.com/c/PingshanTV', 'youtube', 'c/PingshanTV'],
  ['https://www.youtube.com/user/pingshantv/videos', 'youtube', 'user/pingshantv'],
  ['youtube.com/@PingshanVoice', 'youtube', '@pingshanvoice'],
  // X
  ['https://x.com/PingshanEye', 'x', 'pingshaneye'],
  ['https://twitter.com/pingshan_eye?s=21&t=AbCdEfGhIj', 'x', 'pingshan_eye'],
  ['https://www.twitter.com/PingshanEye/status/1790000000000000000', 'x', 'pingshaneye'],
  ['https://mobile.twitter.com/pingshan_eye/media', 'x', 'pingshan_eye'],
  ['https://x.com/@PingshanEye', 'x', 'pingshaneye'],
  ['x.com/pingshan_eye', 'x', 'pingshan_eye'],
];

/** [address, reason, platform the address belongs to] */
const refused: [string, ProfileRefusal, PlatformKey?][] = [
  ['', 'empty'],
  ['   ', 'empty'],
  [`https://weibo.com/u/${'1'.repeat(2100)}`, 'too_long'],
  ['javascript:alert(1)', 'scheme_not_allowed'],
  ['JaVaScRiPt:alert(document.cookie)', 'scheme_not_allowed'],
  ['java\nscript:alert(1)', 'scheme_not_allowed'],
  ['data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'scheme_not_allowed'],
  ['vbscript:msgbox(1)', 'scheme_not_allowed'],
  ['ftp://space.bilibili.com/546195', 'scheme_not_allowed'],
  ['file:///etc/passwd', 'scheme_not_allowed'],
  ['https://', 'malformed'],
  ['https://user:pass@weibo.com/u/1195230310', 'malformed'],
  ['https://weibo.com:8443/u/1195230310', 'malformed'],
  ['https://space.bilibili.com/%E0%A4%A', 'malformed', 'bilibili'],
  ['https://example.com/u/1195230310', 'unknown_site'],
  ['https://weibo.com.evil.example/u/1195230310', 'unknown_site'],
  ['https://evilweibo.com/u/1195230310', 'unknown_site'],
  ['https://v.douyin.com/iRNBho6u/', 'short_link', 'douyin'],
  ['https://b23.tv/BV1xx411c7mD', 'short_link', 'bilibili'],
  ['https://b23.tv/aBcD123', 'short_link', 'bilibili'],
  ['http://xhslink.com/a/AbCdEfGh1234', 'short_link', 'xiaohongshu'],
  ['https://t.cn/A6Abcdef', 'short_link', 'weibo'],
  ['https://v.kuaishou.com/Ab1Cd2', 'short_link', 'kuaishou'],
  ['https://m.toutiao.com/is/iRNAbCdE/', 'short_link', 'toutiao'],
  ['https://t.co/AbCdEf123', 'short_link', 'x'],
  ['https://weibo.com/pingshanzhiyan', 'custom_name', 'weibo'],
  ['https://weibo.com/n/坪山之眼', 'custom_name', 'weibo'],
  ['https://mp.weixin.qq.com/s/AbCdEfGhIjKlMnOpQrStUv', 'no_profile_urls', 'wechat_oa'],
  ['https://channels.weixin.qq.com/platform', 'no_profile_urls', 'wechat_channels'],
  ['https://weibo.com/', 'not_a_profile', 'weibo'],
  ['https://weibo.com/hot/search', 'not_a_profile', 'weibo'],
  ['https://www.douyin.com/video/7301234567890123456', 'not_a_profile', 'douyin'],
  ['https://www.douyin.com/user/self', 'not_a_profile', 'douyin'],
  ['https://www.bilibili.com/video/BV1xx411c7mD', 'not_a_profile', 'bilibili'],
  [`https://www.xiaohongshu.com/explore/${xhsId}`, 'not_a_profile', 'xiaohongshu'],
  ['https://www.kuaishou.com/short-video/3xabcdefg', 'not_a_profile', 'kuaishou'],
  ['https://www.toutiao.com/article/7301234567890123456/', 'not_a_profile', 'toutiao'],
  ['https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'not_a_profile', 'youtube'],
  ['https://youtu.be/dQw4w9WgXcQ?si=AbCdEfGh', 'not_a_profile', 'youtube'],
  ['https://www.youtube.com/shorts/AbCdEfGhIjK', 'not_a_profile', 'youtube'],
  ['https://m.weibo.cn/status/4987654321098765', 'not_a_profile', 'weibo'],
  // a Cyrillic е in the host: the parser sees xn--wibo-v4d.com
  ['https://w\u0435ibo.com/u/1195230310', 'unknown_site'],
  ['https://x.com/home', 'not_a_profile', 'x'],
  ['https://twitter.com/search?q=pingshan', 'not_a_profile', 'x'],
  ['https://space.bilibili.com/0', 'invalid_id', 'bilibili'],
  ['https://space.bilibili.com/abc', 'invalid_id', 'bilibili'],
  ['https://www.douyin.com/user/123456', 'invalid_id', 'douyin'],
  ['https://www.xiaohongshu.com/user/profile/12345', 'invalid_id', 'xiaohongshu'],
  ['https://www.kuaishou.com/profile/12345678', 'invalid_id', 'kuaishou'],
  ['https://www.youtube.com/channel/UCshort', 'invalid_id', 'youtube'],
  ['https://x.com/this_handle_is_far_too_long', 'invalid_id', 'x'],
  ['https://m.weibo.cn/u/12', 'invalid_id', 'weibo'],
];

describe('registry platform catalogue', function () {
  it('describes all ten platforms with a label, an id hint and how figures come in', function () {
    expect(Object.keys(platforms))
      .to.have.members([...platformKeys])
      .and.have.length(10);
    for (const key of platformKeys) {
      expect(platforms[key].labelKey).to.equal(`registry.platforms.${key}`);
      expect(platforms[key].idHintKey).to.equal(`registry.platformIdHints.${key}`);
    }
    expect(platforms.bilibili.figures).to.equal('automatic');
    expect(platforms.weibo.figures).to.equal('best_effort');
    expect(platforms.douyin.figures).to.equal('manual');
    expect(platforms.wechat_oa.figures).to.equal('manual');
  });

  describe('parseProfileUrl accepts every real address form', function () {
    for (const [address, platform, platformId] of accepted) {
      it(`${address.slice(0, 90)} → ${platform} ${platformId}`, function () {
        expect(parseProfileUrl(address)).to.deep.equal({ ok: true, platform, platformId });
        expect(parseProfileUrl(address, platform)).to.deep.equal({ ok: true, platform, platformId });
      });
    }
  });

  describe('parseProfileUrl refuses, saying why', function () {
    for (const [address, reason, platform] of refused) {
      it(`${JSON.stringify(address.slice(0, 70))} → ${reason}`, function () {
        const expected = platform ? { ok: false, reason, platform } : { ok: false, reason };
        expect(parseProfileUrl(address)).to.deep.equal(expected);
      });
    }
  });

  it('refuses another platform’s address when a platform was chosen, naming the other one', function () {
    expect(parseProfileUrl('https://space.bilibili.com/546195', 'weibo')).to.deep.equal({
      ok: false,
      reason: 'wrong_platform',
      platform: 'bilibili',
    });
    expect(parseProfileUrl('https://b23.tv/aBcD123', 'douyin')).to.deep.equal({
      ok: false,
      reason: 'wrong_platform',
      platform: 'bilibili',
    });
  });

  it('builds canonical addresses that parse back to the same account', function () {
    for (const [, platform, platformId] of accepted) {
      const url = profileUrl(platform, platformId);
      expect(url, `${platform} ${platformId}`).to.be.a('string');
      expect(parseProfileUrl(url ?? '')).to.deep.equal({ ok: true, platform, platformId });
    }
    expect(profileUrl('bilibili', '546195')).to.equal('https://space.bilibili.com/546195');
    expect(profileUrl('toutiao', '50502346296')).to.equal('https://www.toutiao.com/c/user/50502346296/');
    expect(profileUrl('wechat_oa', 'gh_0123456789ab')).to.equal(undefined);
    expect(profileUrl('wechat_channels', 'sphAbC123xyz')).to.equal(undefined);
  });

  describe('validatePlatformId checks typed ids per platform', function () {
    const typed: [PlatformKey, string, string | undefined][] = [
      ['wechat_oa', 'gh_0123456789ab', 'gh_0123456789ab'],
      ['wechat_oa', ' GH_0123456789AB ', 'gh_0123456789ab'],
      ['wechat_oa', 'PingshanEye2024', 'pingshaneye2024'],
      ['wechat_oa', 'ps-news_01', 'ps-news_01'],
      ['wechat_oa', '12345678', undefined],
      ['wechat_oa', 'abc', undefined],
      ['wechat_oa', 'gh_0123', 'gh_0123'],
      ['wechat_oa', 'a'.repeat(21), undefined],
      ['wechat_oa', '坪山之眼', undefined],
      ['wechat_channels', 'sphAbC123xyz', 'sphAbC123xyz'],
      ['wechat_channels', 'sph12', undefined],
      ['wechat_channels', 'channel-name', undefined],
      ['bilibili', '546195', '546195'],
      ['bilibili', 'UID:546195', '546195'],
      ['bilibili', '-5', undefined],
      ['weibo', '1195230310', '1195230310'],
      ['weibo', '01195230310', undefined],
      ['douyin', secUid, secUid],
      ['douyin', 'dy_pingshan', undefined],
      ['xiaohongshu', xhsId.toUpperCase(), xhsId],
      ['xiaohongshu', '9527001234', undefined],
      ['kuaishou', '3XV78FXYCM35NN4', '3xv78fxycm35nn4'],
      ['toutiao', secUid, secUid],
      ['toutiao', '50502346296', '50502346296'],
      ['youtube', '@PingshanVoice', '@pingshanvoice'],
      ['youtube', ucId, ucId],
      ['youtube', '@ab', undefined],
      ['x', '@PingshanEye', 'pingshaneye'],
      ['x', 'pingshan eye', undefined],
    ];
    for (const [platform, raw, platformId] of typed) {
      it(`${platform} ${JSON.stringify(raw.slice(0, 40))} → ${platformId ?? 'invalid'}`, function () {
        const expected = platformId
          ? { ok: true, platform, platformId }
          : { ok: false, reason: 'invalid_id', platform };
        expect(validatePlatformId(platform, raw)).to.deep.equal(expected);
      });
    }
  });

  describe('detectPlatform takes an address, or a bare id with the platform chosen', function () {
    it('reads the platform from an address', function () {
      expect(detectPlatform('https://space.bilibili.com/546195')).to.deep.equal({
        ok: true,
        platform: 'bilibili',
        platformId: '546195',
      });
    });

    it('takes a bare id for the chosen platform', function () {
      expect(detectPlatform('gh_0123456789ab', 'wechat_oa')).to.deep.equal({
        ok: true,
        platform: 'wechat_oa',
        platformId: 'gh_0123456789ab',
      });
      expect(detectPlatform('@pingshan.voice', 'youtube')).to.deep.equal({
        ok: true,
        platform: 'youtube',
        platformId: '@pingshan.voice',
      });
    });

    it('asks for the platform when a bare id comes alone', function () {
      expect(detectPlatform('546195')).to.deep.equal({ ok: false, reason: 'platform_required' });
      expect(detectPlatform('', 'weibo')).to.deep.equal({ ok: false, reason: 'empty', platform: 'weibo' });
    });

    it('refuses unknown platforms, ids that do not fit and addresses of another platform', function () {
      expect(detectPlatform('546195', 'myspace')).to.deep.equal({ ok: false, reason: 'unknown_platform' });
      expect(detectPlatform('546195', ['bilibili'])).to.deep.equal({ ok: false, reason: 'unknown_platform' });
      expect(detectPlatform(['https://space.bilibili.com/546195'], 'bilibili')).to.deep.equal({
        ok: false,
        reason: 'malformed',
      });
      expect(detectPlatform({ $ne: null }, 'bilibili')).to.deep.equal({ ok: false, reason: 'malformed' });
      expect(detectPlatform('not an id', 'bilibili')).to.deep.equal({
        ok: false,
        reason: 'invalid_id',
        platform: 'bilibili',
      });
      expect(detectPlatform('https://weibo.com/u/1195230310', 'douyin')).to.deep.equal({
        ok: false,
        reason: 'wrong_platform',
        platform: 'weibo',
      });
      expect(detectPlatform('javascript:alert(1)', 'x')).to.deep.equal({
        ok: false,
        reason: 'scheme_not_allowed',
      });
      expect(detectPlatform('https://v.douyin.com/iRNBho6u/', 'douyin')).to.deep.equal({
        ok: false,
        reason: 'short_link',
        platform: 'douyin',
      });
    });
  });
});
