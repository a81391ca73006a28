// A real SMTP server on a loopback port (the smtp-server package) that keeps what it receives,
// for tests of mail delivery:
//
//   const smtp = await startSmtpServer();
//   const portal = await startTestApp({ SMTP_URL: smtp.url, SCHEDULER_POLL_MS: '100' });
//   const mail = await smtp.waitFor((m) => m.to.includes('a@example.org'));
//   expect(mail.subject).to.equal('…'); expect(linkIn(mail.text, '/password/reset/')).to.exist;
//   await smtp.stop();          // the server is down: every connection is reset (an outage) …
//   await smtp.restart();       // … and it accepts mail again, at the same address
//   await smtp.close();         // the end of the test file
//
// The URL points at a small TCP relay in front of the server. It keeps its port for the whole
// test, so that an outage never frees the port for another process on the machine to take; it
// resets connections while the server is down, and plays a misbehaving server while `fault` is set: 'silent' accepts connections and never says a word (no greeting),
// 'hangInData' stops relaying once the message is being sent (the server falls silent mid-DATA),
// 'dropInData' relays part of the message and then drops the connection.
import { type AddressInfo, Socket, createServer } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  /** Envelope recipients (RCPT TO): a Bcc smuggled into a header would show up here. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: ParsedMail['headers'];
}

export type SmtpFault = 'silent' | 'hangInData' | 'dropInData';

export interface TestSmtpServer {
  /** smtp://127.0.0.1:<port> */
  url: string;
  received: ReceivedMail[];
  /** Resolves with the first received mail that matches (waiting for it if need be). */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Answers every message with a permanent or temporary refusal while set. */
  refuseWith: { code: number; message: string } | undefined;
  /** A server that never answers, hangs mid-message, or drops the connection mid-message. */
  fault: SmtpFault | undefined;
  /** Connections the relay accepted (each delivery attempt opens one). */
  connections: number;
  /** The server goes down: connections are reset until restart(). */
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Shuts the relay and the server. */
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startSmtpServer(): Promise<TestSmtpServer> {
  let server: SMTPServer | undefined;
  /** The SMTP server's own port, while it is up. */
  let upstream: number | undefined;
  const sockets = new Set<Socket>();
  const state: TestSmtpServer = {
    url: '',
    received: [],
    refuseWith: undefined,
    fault: undefined,
    connections: 0,
    waitFor: async (match, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = state.received.find(match);
        if (found) return found;
        if (Date.now() > deadline) {
          const subjects = state.received.map((mail) => `${mail.to.join(',')}: ${mail.subject}`);
          throw new Error(`no matching mail within ${timeoutMs} ms; received: ${subjects.join(' | ')}`);
        }
        await sleep(25);
      }
    },
    stop: async () => {
      const running = server;
      server = undefined;
      upstream = undefined;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => (running ? running.close(() => resolve()) : resolve()));
    },
    restart: async () => {
      await state.stop();
      await listen();
    },
    close: async () => {
      await state.stop();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };

  const listen = async (): Promise<void> => {
    const instance = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        simpleParser(stream)
          .then((parsed) => {
            if (state.refuseWith) {
              const error = new Error(state.refuseWith.message) as Error & { responseCode: number };
              error.responseCode = state.refuseWith.code;
              callback(error);
              return;
            }
            state.received.push({
              from: parsed.from?.text ?? '',
              to: recipients,
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              messageId: parsed.messageId ?? '',
              headers: parsed.headers,
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve, reject) => {
      instance.once('error', reject);
      instance.listen(0, '127.0.0.1', () => resolve());
    });
    server = instance;
    upstream = (instance.server.address() as AddressInfo).port;
  };

  /** One client connection through the relay, misbehaving as `state.fault` says. */
  const relayConnection = (client: Socket): void => {
    state.connections += 1;
    const fault = state.fault;
    client.on('error', () => client.destroy());
    if (upstream === undefined) {
      client.resetAndDestroy(); // the server is down
      return;
    }
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (fault === 'silent') return; // accepted, and not a word: the client's greeting timeout
    const target = createConnection(upstream, client);
    let commands = '';
    let inData = false;
    client.on('data', (chunk: Buffer) => {
      if (inData && fault === 'hangInData') return; // the message goes nowhere; no reply comes
      if (inData && fault === 'dropInData') {
        target.write(chunk.subarray(0, Math.floor(chunk.length / 2)));
        client.destroy();
        target.destroy();
        return;
      }
      target.write(chunk);
      if (!inData) {
        commands = (commands + chunk.toString('latin1')).slice(-64);
        // After DATA (and the server's 354) the client sends the message itself.
        inData = /(^|\r\n)DATA\r\n$/i.test(commands);
      }
    });
  };

  const createConnection = (upstream: number, client: Socket): Socket => {
    const target = new Socket();
    sockets.add(target);
    target.connect(upstream, '127.0.0.1');
    target.on('data', (chunk: Buffer) => client.write(chunk));
    target.on('close', () => {
      sockets.delete(target);
      client.destroy();
    });
    target.on('error', () => target.destroy());
    client.on('close', () => target.destroy());
    return target;
  };
  const relay = createServer((client) => relayConnection(client));
  await new Promise<void>((resolve, reject) => {
    relay.once('error', reject);
    relay.listen(0, '127.0.0.1', () => resolve());
  });
  state.url = `smtp://127.0.0.1:${(relay.address() as AddressInfo).port}`;
  await listen();
  return state;
}

/** The first link in a mail's text that contains `pathPart`, as a path (for supertest). */
export function linkIn(text: string, pathPart: string): string | undefined {
  const url = text.match(/https?:\/\/\S+/g)?.find((link) => link.includes(pathPart));
  return url ? new URL(url).pathname : undefined;
}
