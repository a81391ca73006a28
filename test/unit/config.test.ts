// Settings are validated at boot and a wrong one is named in the message.
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config.js';
import { productionMailEnv } from '../support/app.js';

describe('config', function () {
  it('has working defaults for development', function () {
    const config = loadConfig({});
    expect(config.env).to.equal('development');
    expect(config.port).to.equal(3000);
    expect(config.defaultLanguage).to.equal('zh-CN');
    expect(config.sessionSecret).to.have.length.of.at.least(32);
    expect(config.database.lane).to.equal(undefined);
    expect(config.database.allowDownload).to.equal(false);
  });

  it('names each wrong setting', function () {
    expect(() => loadConfig({ PORT: 'eighty', MONGO_LANE: 'cloud', DEFAULT_LANGUAGE: 'fr' }))
      .to.throw(ConfigError)
      .with.property('message')
      .that.matches(/PORT/)
      .and.matches(/MONGO_LANE/)
      .and.matches(/DEFAULT_LANGUAGE/);
  });

  it('requires a session secret of at least 32 characters in production', function () {
    expect(() => loadConfig({ NODE_ENV: 'production' })).to.throw(ConfigError, /SESSION_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'short' })).to.throw(
      ConfigError,
      /SESSION_SECRET/,
    );
    expect(
      loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'k'.repeat(32), ...productionMailEnv })
        .isProduction,
    ).to.equal(true);
  });

  it('refuses to load the demo district (published passwords) in production', function () {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        SESSION_SECRET: 'k'.repeat(32),
        SEED_DEMO: '1',
        ...productionMailEnv,
      }),
    ).to.throw(ConfigError, /SEED_DEMO/);
  });

  it('refuses a MONGODB_URI that is not a MongoDB URI', function () {
    expect(() => loadConfig({ MONGODB_URI: 'http://example.org' })).to.throw(ConfigError, /MONGODB_URI/);
  });

  it('logs readable lines in development and JSON elsewhere, unless LOG_FORMAT says otherwise', function () {
    expect(loadConfig({ NODE_ENV: 'development' }).logFormat).to.equal('pretty');
    expect(
      loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'k'.repeat(32), ...productionMailEnv }).logFormat,
    ).to.equal('json');
    expect(loadConfig({ NODE_ENV: 'test' }).logFormat).to.equal('json');
    expect(loadConfig({ NODE_ENV: 'development', LOG_FORMAT: 'json' }).logFormat).to.equal('json');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).to.throw(ConfigError, /LOG_FORMAT/);
  });

  describe('stats puller', function () {
    it('points every pulled platform at the local fixture server outside production', function () {
      const { puller, platforms } = loadConfig({});
      for (const [platform, settings] of Object.entries(puller.platforms)) {
        expect(settings.baseUrl).to.equal(`http://127.0.0.1:4010/${platform}`);
        expect(settings.minIntervalMs).to.equal(5000);
      }
      expect(puller.breakerCooldownMs).to.equal(24 * 60 * 60_000);
      // The fixture server takes any key, so the demo pulls YouTube and X without a real one.
      expect(platforms.youtubeApiKey).to.equal('fixture-key');
    });

    it('uses the real hosts only in production, and no placeholder credentials there', function () {
      const config = loadConfig({
        NODE_ENV: 'production',
        SESSION_SECRET: 'k'.repeat(32),
        ...productionMailEnv,
      });
      expect(config.puller.platforms.bilibili.baseUrl).to.equal('https://api.bilibili.com');
      expect(config.puller.platforms.youtube.baseUrl).to.equal('https://www.googleapis.com');
      expect(config.platforms.youtubeApiKey).to.equal(undefined);
      expect(config.platforms.xBearerToken).to.equal(undefined);
    });

    it('runs the fixture server in the portal in development only, on a free port unless told', function () {
      expect(loadConfig({ NODE_ENV: 'development' }).puller.fixtureServer).to.deep.equal({
        inProcess: true,
        port: 0,
      });
      expect(loadConfig({ NODE_ENV: 'test' }).puller.fixtureServer.inProcess).to.equal(false);
      const pinned = loadConfig({ NODE_ENV: 'development', PULLER_FIXTURE_PORT: '4011' }).puller;
      expect(pinned.fixtureServer).to.deep.equal({ inProcess: true, port: 4011 });
      expect(pinned.platforms.x).to.include({ baseUrl: 'http://127.0.0.1:4011/x', fixture: true });
      const own = loadConfig({ NODE_ENV: 'development', PULLER_X_BASE_URL: 'http://10.0.0.2/x' });
      expect(own.puller.platforms.x.fixture).to.equal(false);
    });

    it('refuses the fixture server and base URLs on this machine in production, unless the puller is off', function () {
      const production = { NODE_ENV: 'production', SESSION_SECRET: 'k'.repeat(32), ...productionMailEnv };
      expect(() => loadConfig({ ...production, PULLER_FIXTURE_SERVER: '1' })).to.throw(
        ConfigError,
        /PULLER_FIXTURE_SERVER/,
      );
      expect(() =>
        loadConfig({ ...production, PULLER_WEIBO_BASE_URL: 'http://127.0.0.1:4010/weibo' }),
      ).to.throw(ConfigError, /PULLER_WEIBO_BASE_URL: points at this machine/);
      expect(() =>
        loadConfig({
          ...production,
          PULLER_ENABLED: '0',
          PULLER_WEIBO_BASE_URL: 'http://localhost:4010/weibo',
        }),
      ).to.not.throw();
      expect(loadConfig(production).puller.fixtureServer.inProcess).to.equal(false);
    });

    it('takes a base URL and a minimum interval per platform', function () {
      const config = loadConfig({
        PULLER_FIXTURE_PORT: '4999',
        PULLER_WEIBO_BASE_URL: 'http://127.0.0.1:5000/weibo',
        PULLER_X_MIN_INTERVAL_MS: '1000',
        PULLER_MIN_INTERVAL_MS: '7000',
      });
      expect(config.puller.platforms.weibo.baseUrl).to.equal('http://127.0.0.1:5000/weibo');
      expect(config.puller.platforms.toutiao.baseUrl).to.equal('http://127.0.0.1:4999/toutiao');
      expect(config.puller.platforms.x.minIntervalMs).to.equal(1000);
      expect(config.puller.platforms.bilibili.minIntervalMs).to.equal(7000);
    });

    it('names a wrong puller setting', function () {
      expect(() =>
        loadConfig({
          PULLER_BILIBILI_BASE_URL: 'ftp://example.org',
          PULLER_RETRIES: '99',
          PULLER_JITTER_MS: '-1',
        }),
      )
        .to.throw(ConfigError)
        .with.property('message')
        .that.matches(/PULLER_BILIBILI_BASE_URL/)
        .and.matches(/PULLER_RETRIES/)
        .and.matches(/PULLER_JITTER_MS/);
    });
  });

  it('refuses to start production without a mail server, a sender and a public URL for links', function () {
    const base = { NODE_ENV: 'production', SESSION_SECRET: 'k'.repeat(32) };
    expect(() => loadConfig(base))
      .to.throw(ConfigError)
      .with.property('message')
      .that.matches(/SMTP_URL: required in production/)
      .and.matches(/MAIL_FROM/)
      .and.matches(/PUBLIC_URL/);
    expect(loadConfig({ ...base, ...productionMailEnv }).mail).to.include({
      smtpUrl: 'smtp://127.0.0.1:2525',
      outboxPage: false,
    });
    // Development keeps mails in the outbox, shown to admins.
    expect(loadConfig({}).mail).to.include({ smtpUrl: undefined, outboxPage: true });
  });

  it('refuses a sender with a line break (header injection) and a URL that is not SMTP', function () {
    expect(() => loadConfig({ MAIL_FROM: 'a@example.org\r\nBcc: x@example.org' })).to.throw(
      ConfigError,
      /MAIL_FROM/,
    );
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.org' })).to.throw(ConfigError, /SMTP_URL/);
  });

  it('takes the SMTP timeouts in milliseconds, with defaults, and refuses values that would hold a mail too long', function () {
    expect(loadConfig({}).mail.timeouts).to.deep.equal({
      connectionMs: 10_000,
      greetingMs: 10_000,
      socketMs: 20_000,
    });
    expect(
      loadConfig({
        SMTP_CONNECTION_TIMEOUT_MS: '500',
        SMTP_GREETING_TIMEOUT_MS: '300',
        SMTP_SOCKET_TIMEOUT_MS: '700',
      }).mail.timeouts,
    ).to.deep.equal({ connectionMs: 500, greetingMs: 300, socketMs: 700 });
    expect(() => loadConfig({ SMTP_GREETING_TIMEOUT_MS: 'soon' })).to.throw(
      ConfigError,
      /SMTP_GREETING_TIMEOUT_MS/,
    );
    expect(() => loadConfig({ SMTP_SOCKET_TIMEOUT_MS: '0' })).to.throw(ConfigError, /SMTP_SOCKET_TIMEOUT_MS/);
    expect(() => loadConfig({ SMTP_CONNECTION_TIMEOUT_MS: '60000' })).to.throw(
      ConfigError,
      /SMTP_CONNECTION_TIMEOUT_MS/,
    );
    expect(() =>
      loadConfig({
        SMTP_CONNECTION_TIMEOUT_MS: '20000',
        SMTP_GREETING_TIMEOUT_MS: '20000',
        SMTP_SOCKET_TIMEOUT_MS: '20000',
      }),
    ).to.throw(ConfigError, /at most 50000 ms together/);
  });
});
