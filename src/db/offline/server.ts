// The offline MongoDB lane: an in-process server speaking MongoDB's wire protocol, so the official
// driver (and mongoose, connect-mongo, agenda, mongosh) talk to it as to a standalone mongod. It
// listens on a Unix domain socket in a private directory (the portal) or on a loopback port (the
// db:offline command). Data lives in memory and is gone when the process ends.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Long } from 'bson';
import { CursorRegistry } from './cursors.js';
import type { ServerState } from './context.js';
import { runCommand } from './engine.js';
import { protoKeysIn, protoKeysOut } from './protokeys.js';
import { Store } from './store.js';
import {
  HEADER_BYTES,
  MAX_INTERNAL_BSON_BYTES,
  MAX_MESSAGE_BYTES,
  MORE_TO_COME,
  ProtocolError,
  encodeOpMsg,
  encodeOpReply,
  parseMessage,
  tooLargeReply,
} from './wire.js';

export interface OfflineLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

const silent: OfflineLogger = { info: () => undefined, warn: () => undefined };

export interface OfflineServerOptions {
  logger?: OfflineLogger;
  /** How often idle cursors are closed (ms); mongod checks every minute. */
  cursorSweepMs?: number;
  cursorTimeoutMs?: number;
}

export class OfflineMongoServer {
  readonly state: ServerState;
  private readonly logger: OfflineLogger;
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly timers: NodeJS.Timeout[] = [];
  private ttlTimer: NodeJS.Timeout | undefined;
  private nextConnectionId = 1;
  private nextResponseId = 1;
  private address: { host: string; port: number } | { socketPath: string } | undefined;
  private privateDir: string | undefined;
  private protoKeysSeen = false;

  constructor(private readonly options: OfflineServerOptions = {}) {
    this.logger = options.logger ?? silent;
    this.state = {
      store: new Store(),
      cursors: new CursorRegistry(options.cursorTimeoutMs),
      startedAt: new Date(),
      parameters: { ttlMonitorSleepSecs: 60 },
      connections: { current: 0, totalCreated: 0 },
    };
    this.server = net.createServer((socket) => this.accept(socket));
  }

  /**
   * Listens on a TCP port (loopback by default; port 0 picks a free one) and resolves with the
   * connection URI. There is no authentication: any local user can connect to a port, so the
   * portal uses startPrivate() instead.
   */
  async start(options: { host?: string; port?: number } = {}): Promise<string> {
    const host = options.host ?? '127.0.0.1';
    await this.listen((done) => this.server.listen(options.port ?? 0, host, done));
    const bound = this.server.address() as net.AddressInfo;
    this.address = { host, port: bound.port };
    return this.started();
  }

  /**
   * Listens on a Unix domain socket inside a fresh directory only this OS user may enter (0700),
   * so no other local user can read or rewrite the data. Resolves with the driver's socket URI
   * (`mongodb://%2Ftmp%2F…%2Fmongodb.sock`); stop() removes the directory.
   */
  async startPrivate(): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lighthouse-mongo-'));
    this.privateDir = dir;
    // mkdtemp already creates 0700; say so explicitly rather than rely on it.
    await chmod(dir, 0o700);
    const socketPath = path.join(dir, 'mongodb.sock');
    await this.listen((done) => this.server.listen(socketPath, done));
    this.address = { socketPath };
    return this.started();
  }

  private async listen(begin: (done: () => void) => void): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      begin(() => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  private started(): string {
    this.scheduleTtlMonitor();
    const sweep = setInterval(() => this.state.cursors.sweep(), this.options.cursorSweepMs ?? 60_000);
    sweep.unref();
    this.timers.push(sweep);
    this.logger.info({ uri: this.uri }, 'offline MongoDB lane listening');
    return this.uri;
  }

  get uri(): string {
    if (!this.address) throw new Error('the offline MongoDB lane is not started');
    if ('socketPath' in this.address) return `mongodb://${encodeURIComponent(this.address.socketPath)}`;
    return `mongodb://${this.address.host}:${this.address.port}`;
  }

  /** The Unix domain socket after startPrivate(); undefined on a TCP port. */
  get socketPath(): string | undefined {
    return this.address && 'socketPath' in this.address ? this.address.socketPath : undefined;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    if (this.ttlTimer) clearTimeout(this.ttlTimer);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.privateDir) await rm(this.privateDir, { recursive: true, force: true });
  }

  /**
   * TTL monitor: sweeps every ttlMonitorSleepSecs. It wakes each half second to compare, so a
   * setParameter (60 → 1 in tests) takes effect at once rather than after the current 60 s.
   */
  private scheduleTtlMonitor(lastSweep = Date.now()): void {
    this.ttlTimer = setTimeout(() => {
      let swept = lastSweep;
      if (Date.now() - lastSweep >= this.state.parameters.ttlMonitorSleepSecs * 1000) {
        swept = Date.now();
        const removed = this.state.store.sweepExpired();
        if (removed)
          this.logger.info({ removed }, 'offline MongoDB lane: TTL monitor removed expired documents');
      }
      this.scheduleTtlMonitor(swept);
    }, 500);
    this.ttlTimer.unref();
  }

  private accept(socket: net.Socket): void {
    const connection = {
      id: this.nextConnectionId++,
      remote: socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : 'unix socket',
    };
    this.sockets.add(socket);
    this.state.connections.current += 1;
    this.state.connections.totalCreated += 1;
    socket.setNoDelay(true);
    let pending: Buffer[] = [];
    let pendingBytes = 0;

    const fail = (reason: string): void => {
      this.logger.warn(
        { connection: connection.id, remote: connection.remote, reason },
        'offline MongoDB lane: closing connection',
      );
      pending = [];
      pendingBytes = 0;
      socket.destroy();
    };

    socket.on('data', (chunk: Buffer) => {
      pending.push(chunk);
      pendingBytes += chunk.length;
      while (pendingBytes >= 4) {
        let head = pending[0]!;
        if (head.length < 4) {
          head = Buffer.concat(pending, pendingBytes);
          pending = [head];
        }
        const length = head.readInt32LE(0);
        if (length < HEADER_BYTES || length > MAX_MESSAGE_BYTES) {
          fail(`message length ${length} outside ${HEADER_BYTES}..${MAX_MESSAGE_BYTES}`);
          return;
        }
        // Join the chunks only once the whole message is here (a 48 MB message arrives in many).
        if (pendingBytes < length) return;
        const buffered = pending.length === 1 ? head : Buffer.concat(pending, pendingBytes);
        const message = buffered.subarray(0, length);
        const rest = buffered.subarray(length);
        pending = rest.length ? [rest] : [];
        pendingBytes = rest.length;
        try {
          this.handle(socket, message, connection);
        } catch (error) {
          fail(
            error instanceof ProtocolError ? error.message : `malformed message: ${(error as Error).message}`,
          );
          return;
        }
      }
    });
    socket.on('error', (error) =>
      this.logger.warn(
        { connection: connection.id, err: error.message },
        'offline MongoDB lane: socket error',
      ),
    );
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.state.connections.current -= 1;
      if (pendingBytes > 0) {
        this.logger.warn(
          { connection: connection.id, remote: connection.remote, pendingBytes },
          'offline MongoDB lane: client hung up in the middle of a message',
        );
      }
    });
  }

  private handle(socket: net.Socket, message: Buffer, connection: { id: number; remote: string }): void {
    const request = parseMessage(message);
    const responseId = this.nextResponseId++;
    if (request.kind === 'query') {
      const name = Object.keys(request.command)[0] ?? '';
      const isHandshake =
        request.collection.endsWith('.$cmd') && ['hello', 'isMaster', 'ismaster'].includes(name);
      const reply = isHandshake
        ? runCommand(this.state, { ...request.command, $db: request.collection.split('.')[0] }, connection)
        : {
            ok: 0,
            errmsg: `Unsupported OP_QUERY command: ${name}. The client driver may require an upgrade.`,
            code: 352,
            codeName: 'UnsupportedOpQueryCommand',
          };
      socket.write(encodeOpReply(reply, request.header.requestId, responseId));
      return;
    }
    // Own `__proto__` keys are renamed on the way in and back on the way out (see protokeys.ts);
    // replies are walked for them only once any command has carried one.
    const carriesProto = message.includes('__proto__');
    if (carriesProto) this.protoKeysSeen = true;
    const command = carriesProto ? protoKeysIn(request.command) : request.command;
    // mongod parses no command body over 16 MB + 16 KB (a document that large cannot be stored).
    let reply =
      request.bodyBytes > MAX_INTERNAL_BSON_BYTES
        ? tooLargeReply(request.bodyBytes, Object.entries(command)[0])
        : runCommand(this.state, command, connection);
    if (this.protoKeysSeen) reply = protoKeysOut(reply);
    if (request.flags & MORE_TO_COME) return; // unacknowledged write: the client wants no answer
    socket.write(
      encodeOpMsg(reply, request.header.requestId, responseId, (refused) => this.closeCursor(refused)),
    );
  }

  /** A reply that could not be sent must not leave its cursor open. */
  private closeCursor(reply: Record<string, unknown>): void {
    const cursor = reply.cursor as { id?: unknown } | undefined;
    if (cursor?.id instanceof Long && !cursor.id.isZero()) this.state.cursors.kill([cursor.id]);
  }
}
