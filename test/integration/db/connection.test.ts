// The connection module picks the lane in order and never reaches beyond this machine on its own.
import { stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { loadConfig } from '../../../src/config.js';
import { DatabaseLaneError, connectMongoose, openDatabaseLane } from '../../../src/db/connection.js';

const quiet = { info: () => undefined, warn: () => undefined };

/** Records every host a socket connects to while `work` runs. */
async function connectionsDuring(work: () => Promise<void>): Promise<string[]> {
  const hosts: string[] = [];
  // Wrapped and restored below; `this` is passed through with apply.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const first = args[0];
    const options = (Array.isArray(first) ? first[0] : first) as
      { host?: string; path?: string } | number | string;
    if (typeof options === 'object' && options !== null)
      hosts.push(options.host ?? options.path ?? 'localhost');
    else hosts.push(typeof args[1] === 'string' ? args[1] : 'localhost');
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  };
  try {
    await work();
  } finally {
    net.Socket.prototype.connect = original;
  }
  return hosts;
}

describe('database lanes', function () {
  const withoutRealMongo =
    process.env.MONGODB_URI === undefined &&
    process.env.MONGO_LANE === undefined &&
    process.env.MONGOMS_SYSTEM_BINARY === undefined;

  it('falls through to the offline lane on a private Unix socket when there is no URI and no mongod', async function () {
    if (!withoutRealMongo) this.skip();
    let socketPath = '';
    const hosts = await connectionsDuring(async () => {
      const lane = await openDatabaseLane(
        loadConfig({ NODE_ENV: 'test', MONGO_DB_NAME: 'lane_test' }),
        quiet,
      );
      try {
        expect(lane.lane).to.equal('offline');
        expect(lane.inMemory).to.equal(true);
        socketPath = lane.socketPath ?? '';
        expect(socketPath).to.match(/\/mongodb\.sock$/);
        // The driver's socket form: the path, percent-encoded, as the host.
        expect(lane.uri).to.equal(`mongodb://${encodeURIComponent(socketPath)}/lane_test`);
        // Only this OS user may enter the directory, so no other local user reaches the socket.
        const dir = await stat(path.dirname(socketPath));
        expect(dir.mode & 0o777).to.equal(0o700);
        expect(dir.uid).to.equal(process.getuid?.());
        expect((await stat(socketPath)).isSocket()).to.equal(true);
        await connectMongoose(lane);
        const Note = mongoose.model('LaneNote', new mongoose.Schema({ text: String }));
        await Note.create({ text: '灯塔' });
        expect((await Note.findOne().lean())?.text).to.equal('灯塔');
      } finally {
        await mongoose.disconnect();
        mongoose.deleteModel('LaneNote');
        await lane.stop();
      }
    });
    expect(hosts.length, 'the driver connected').to.be.greaterThan(0);
    // Every connection went to the socket: no TCP port, loopback or otherwise.
    for (const host of hosts) expect(host).to.equal(socketPath);
    // stop() leaves nothing behind.
    const gone = await stat(path.dirname(socketPath)).catch(() => undefined);
    expect(gone).to.equal(undefined);
  });

  it('refuses the offline lane in production', async function () {
    const config = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'k'.repeat(32),
      MONGO_LANE: 'offline',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      MAIL_FROM: 'Lighthouse <no-reply@example.org>',
      PUBLIC_URL: 'https://lighthouse.example.org',
    });
    try {
      await openDatabaseLane(config, quiet);
      expect.fail('started in production without a real MongoDB');
    } catch (error) {
      expect(error).to.be.instanceOf(DatabaseLaneError);
      expect((error as Error).message).to.match(/NODE_ENV=production needs a real MongoDB: set MONGODB_URI/);
    }
  });

  it('explains what the embedded lane needs when no mongod binary is here (and downloads nothing)', async function () {
    if (!withoutRealMongo) this.skip();
    const hosts = await connectionsDuring(async () => {
      try {
        await openDatabaseLane(loadConfig({ NODE_ENV: 'test', MONGO_LANE: 'embedded' }), quiet);
        expect.fail('the embedded lane started without a binary');
      } catch (error) {
        expect(error).to.be.instanceOf(DatabaseLaneError);
        expect((error as Error).message).to.contain('MONGOMS_SYSTEM_BINARY');
      }
    });
    expect(hosts).to.deep.equal([]);
  });

  describe("the database name of a MONGODB_URI (the driver's own parser, no connection made)", function () {
    const production = (uri: string) =>
      loadConfig({
        NODE_ENV: 'production',
        SESSION_SECRET: 'k'.repeat(32),
        MONGODB_URI: uri,
        // production also needs mail settings; they play no part here
        SMTP_URL: 'smtp://127.0.0.1:2525',
        MAIL_FROM: 'Lighthouse <no-reply@example.org>',
        PUBLIC_URL: 'https://lighthouse.example.org',
      });
    const cases: [string, string, string][] = [
      [
        'a replica set with credentials and ports',
        'mongodb://u:p%40ss@db1:27017,db2:27017/lighthouse?replicaSet=rs0&authSource=admin',
        'lighthouse',
      ],
      [
        'an SRV record',
        'mongodb+srv://u:p%40ss@cluster0.example.net/lighthouse?retryWrites=true',
        'lighthouse',
      ],
      ['a single host', 'mongodb://db1:27017/portal', 'portal'],
      ['several hosts and no path', 'mongodb://db1:27017,db2:27017', 'lighthouse'],
      ['several hosts and an empty path with options', 'mongodb://db1,db2/?replicaSet=rs0', 'lighthouse'],
      ['a percent-encoded name', 'mongodb://db1/light%20house', 'light house'],
    ];
    for (const [form, uri, expected] of cases) {
      it(`resolves ${expected} from ${form} in production`, async function () {
        const hosts = await connectionsDuring(async () => {
          const lane = await openDatabaseLane(production(uri), quiet);
          expect(lane.lane).to.equal('uri');
          expect(lane.dbName).to.equal(expected);
          expect(lane.uri).to.equal(uri);
          expect(lane.inMemory).to.equal(false);
        });
        expect(hosts).to.deep.equal([]);
      });
    }

    it('refuses a URI the driver could not use, with the reason', async function () {
      try {
        await openDatabaseLane(production('mongodb://u:p@ss:x@db1/lighthouse'), quiet);
        expect.fail('an unusable URI was accepted');
      } catch (error) {
        expect(error).to.be.instanceOf(DatabaseLaneError);
        expect((error as Error).message).to.match(/^MONGODB_URI is not a MongoDB connection string: /);
      }
    });
  });

  it('needs MONGODB_URI when the uri lane is forced', async function () {
    try {
      await openDatabaseLane(loadConfig({ NODE_ENV: 'test', MONGO_LANE: 'uri' }), quiet);
      expect.fail('no error');
    } catch (error) {
      expect((error as Error).message).to.equal('MONGO_LANE=uri needs MONGODB_URI.');
    }
  });
});
