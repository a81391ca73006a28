// Settings are validated at boot and a wrong one is named in the message.
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config.js';

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
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'k'.repeat(32) }).isProduction).to.equal(
      true,
    );
  });

  it('refuses to load the demo district (published passwords) in production', function () {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'k'.repeat(32), SEED_DEMO: '1' }),
    ).to.throw(ConfigError, /SEED_DEMO/);
  });

  it('refuses a MONGODB_URI that is not a MongoDB URI', function () {
    expect(() => loadConfig({ MONGODB_URI: 'http://example.org' })).to.throw(ConfigError, /MONGODB_URI/);
  });

  it('logs readable lines in development and JSON elsewhere, unless LOG_FORMAT says otherwise', function () {
    expect(loadConfig({ NODE_ENV: 'development' }).logFormat).to.equal('pretty');
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'k'.repeat(32) }).logFormat).to.equal('json');
    expect(loadConfig({ NODE_ENV: 'test' }).logFormat).to.equal('json');
    expect(loadConfig({ NODE_ENV: 'development', LOG_FORMAT: 'json' }).logFormat).to.equal('json');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).to.throw(ConfigError, /LOG_FORMAT/);
  });
});
