// Bad input on the offline lane's wire protocol: raw sockets send garbage, unknown opcodes,
// oversized headers, truncated or corrupt BSON, and hang up mid-message. Each time that
// connection is closed with a logged warning, and the server keeps serving its data intact.
// Offline lane only (a real mongod is not ours to feed garbage).
import net from 'node:net';
import { expect } from 'chai';
import { BSON, MongoClient } from 'mongodb';
import { OfflineMongoServer } from '../../../../src/db/offline/index.js';

const offlineLane = !process.env.MONGODB_URI && (process.env.MONGO_LANE ?? 'offline') === 'offline';

const OP_MSG = 2013;
const OP_QUERY = 2004;

function header(length: number, requestId: number, opCode: number): Buffer {
  const head = Buffer.alloc(16);
  head.writeInt32LE(length, 0);
  head.writeInt32LE(requestId, 4);
  head.writeInt32LE(0, 8);
  head.writeInt32LE(opCode, 12);
  return head;
}

/** A well-formed OP_MSG with one body section. */
function opMsg(body: Buffer, requestId = 1, flags = 0): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32LE(flags, 0);
  prefix.writeUInt8(0, 4);
  return Buffer.concat([header(16 + 5 + body.length, requestId, OP_MSG), prefix, body]);
}

interface Warning {
  object: Record<string, unknown>;
  message: string;
}

describe('offline lane: malformed wire input', function () {
  if (!offlineLane) {
    it.skip('runs on the offline lane only (MONGODB_URI is set)');
    return;
  }

  let server: OfflineMongoServer;
  let uri: string;
  let client: MongoClient;
  const warnings: Warning[] = [];
  const logger = {
    info: () => undefined,
    warn: (object: object, message: string) =>
      warnings.push({ object: object as Record<string, unknown>, message }),
  };

  before(async function () {
    server = new OfflineMongoServer({ logger });
    uri = await server.start();
    client = await MongoClient.connect(`${uri}/wire`, { serverSelectionTimeoutMS: 5000 });
    await client
      .db('wire')
      .collection('kept')
      .insertMany([
        { _id: 1, name: 'first', tags: ['a', 'b'] },
        { _id: 2, name: 'second', nested: { deep: [1, 2, 3] } },
      ] as never[]);
  });

  after(async function () {
    await client?.close();
    await server?.stop();
  });

  beforeEach(function () {
    warnings.length = 0;
  });

  /** Connects a raw socket, waits until it is open. */
  async function rawSocket(): Promise<net.Socket> {
    const { port } = new URL(uri);
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return socket;
  }

  /** Writes bytes and resolves with how the server answered: closed, or the bytes it sent back. */
  async function send(bytes: Buffer, waitMs = 2000): Promise<{ closed: boolean; reply: Buffer }> {
    const socket = await rawSocket();
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const closed = new Promise<boolean>((resolve) => {
      socket.once('close', () => resolve(true));
      setTimeout(() => resolve(false), waitMs);
    });
    socket.write(bytes);
    const result = { closed: await closed, reply: Buffer.concat(chunks) };
    socket.destroy();
    return result;
  }

  /** The data is all there and the server answers a new client and an old one. */
  async function stillServing(): Promise<void> {
    const docs = await client
      .db('wire')
      .collection('kept')
      .find({}, { sort: { _id: 1 } })
      .toArray();
    expect(docs).to.deep.equal([
      { _id: 1, name: 'first', tags: ['a', 'b'] },
      { _id: 2, name: 'second', nested: { deep: [1, 2, 3] } },
    ]);
    const fresh = await MongoClient.connect(`${uri}/wire`, { serverSelectionTimeoutMS: 5000 });
    try {
      expect(await fresh.db('wire').collection('kept').countDocuments()).to.equal(2);
    } finally {
      await fresh.close();
    }
    // A raw, well-formed ping on a new socket is answered.
    const { closed, reply } = await send(
      opMsg(Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' })), 77),
      300,
    );
    expect(closed).to.equal(false);
    expect(reply.readInt32LE(0)).to.equal(reply.length);
    expect(reply.readInt32LE(8)).to.equal(77); // responseTo
    expect(reply.readInt32LE(12)).to.equal(OP_MSG);
    expect(BSON.deserialize(reply.subarray(21))).to.deep.include({ ok: 1 });
  }

  function expectClosedWithWarning(closed: boolean, reason: RegExp): void {
    expect(closed, 'the server closed the connection').to.equal(true);
    const closing = warnings.find((warning) => /closing connection/.test(warning.message));
    expect(closing, 'a warning was logged').to.not.equal(undefined);
    expect(String(closing!.object.reason)).to.match(reason);
  }

  it('answers a well-formed raw OP_MSG and a legacy OP_QUERY hello', async function () {
    await stillServing();
    const query = Buffer.from(BSON.serialize({ isMaster: 1 }));
    const collection = Buffer.from('admin.$cmd\0');
    const body = Buffer.concat([Buffer.alloc(4), collection, Buffer.alloc(8), query]);
    body.writeInt32LE(-1, collection.length + 8); // numberToReturn
    const { closed, reply } = await send(Buffer.concat([header(16 + body.length, 5, OP_QUERY), body]), 300);
    expect(closed).to.equal(false);
    expect(reply.readInt32LE(12)).to.equal(1); // OP_REPLY
    expect(reply.readInt32LE(8)).to.equal(5);
    expect(BSON.deserialize(reply.subarray(36))).to.deep.include({ ismaster: true, ok: 1 });
    expect(warnings).to.deep.equal([]);
  });

  it('garbage bytes close the connection', async function () {
    const { closed } = await send(Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'));
    expectClosedWithWarning(closed, /message length/);
    await stillServing();
  });

  it('a length below the header size closes the connection', async function () {
    const { closed } = await send(Buffer.from([3, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef]));
    expectClosedWithWarning(closed, /message length 3/);
    await stillServing();
  });

  it('an unknown opcode closes the connection', async function () {
    const body = Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' }));
    const { closed } = await send(
      Buffer.concat([header(16 + 5 + body.length, 9, 9999), Buffer.alloc(5), body]),
    );
    expectClosedWithWarning(closed, /opcode 9999/);
    await stillServing();
  });

  it('a header claiming more than 48 MB closes the connection before anything is buffered', async function () {
    const { closed } = await send(header(50_000_000, 10, OP_MSG));
    expectClosedWithWarning(closed, /message length 50000000/);
    await stillServing();
  });

  it('truncated BSON inside an OP_MSG closes the connection', async function () {
    const body = Buffer.from(BSON.serialize({ find: 'kept', filter: {}, $db: 'wire' }));
    const truncated = Buffer.from(body.subarray(0, 12));
    // The message is complete; the document inside claims more bytes than the message holds.
    const { closed } = await send(opMsg(truncated, 11));
    expectClosedWithWarning(closed, /BSON document size|truncated|runs past/);
    await stillServing();
  });

  it('corrupt BSON of the right size closes the connection', async function () {
    const body = Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' }));
    body.writeUInt8(0x7e, 4); // an element type that does not exist
    const { closed } = await send(opMsg(body, 12));
    expectClosedWithWarning(closed, /malformed|BSON|type/i);
    await stillServing();
  });

  it('an OP_MSG with an unknown required flag bit closes the connection', async function () {
    const body = Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' }));
    const { closed } = await send(opMsg(body, 13, 1 << 5));
    expectClosedWithWarning(closed, /flag/);
    await stillServing();
  });

  it('a message split over several writes is still understood', async function () {
    const message = opMsg(Buffer.from(BSON.serialize({ count: 'kept', $db: 'wire' })), 14);
    const socket = await rawSocket();
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    for (let i = 0; i < message.length; i += 3) {
      socket.write(message.subarray(i, i + 3));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.destroy();
    const reply = Buffer.concat(chunks);
    expect(BSON.deserialize(reply.subarray(21))).to.deep.include({ n: 2, ok: 1 });
  });

  it('an abrupt disconnect in the middle of a message leaves the server serving', async function () {
    const before = server.state.connections.current;
    const socket = await rawSocket();
    const message = opMsg(
      Buffer.from(BSON.serialize({ insert: 'kept', documents: [{ _id: 3 }], $db: 'wire' })),
      15,
    );
    socket.write(message.subarray(0, message.length - 7));
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.state.connections.current).to.equal(before);
    const hungUp = warnings.find((warning) => /hung up in the middle of a message/.test(warning.message));
    expect(hungUp?.object.pendingBytes).to.equal(message.length - 7);
    // The half-sent insert never ran.
    await stillServing();
  });
});
