// A real SMTP server on a loopback port (the smtp-server package) that keeps what it receives,
// for tests of mail delivery:
//
//   const smtp = await startSmtpServer();
//   const portal = await startTestApp({ SMTP_URL: smtp.url, SCHEDULER_POLL_MS: '100' });
//   const mail = await smtp.waitFor((m) => m.to.includes('a@example.org'));
//   expect(mail.subject).to.equal('…'); expect(linkIn(mail.text, '/password/reset/')).to.exist;
//   await smtp.stop();          // the port refuses connections (an outage) …
//   await smtp.restart();       // … and accepts them again, on the same port
//
// The URL points at a small TCP relay in front of the server, which plays a misbehaving server
// while `fault` is set: 'silent' accepts connections and never says a word (no greeting),
// 'hangInData' stops relaying once the message is being sent (the server falls silent mid-DATA),
// 'dropInData' relays part of the message and then drops the connection.
import { type AddressInfo, type Server, Socket, createServer } from 'node:net';
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
  stop(): Promise<void>;
  restart(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startSmtpServer(): Promise<TestSmtpServer> {
  let port = 0;
  let server: SMTPServer | undefined;
  let relay: Server | undefined;
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
      const [running, relaying] = [server, relay];
      server = undefined;
      relay = undefined;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => (relaying ? relaying.close(() => resolve()) : resolve()));
      await new Promise<void>((resolve) => (running ? running.close(() => resolve()) : resolve()));
    },
    restart: async () => {
      await state.stop();
      await listen();
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
    const upstream = (instance.server.address() as AddressInfo).port;
    const front = createServer((client) => relayConnection(client, upstream));
    await new Promise<void>((resolve, reject) => {
      front.once('error', reject);
      front.listen(port, '127.0.0.1', () => resolve());
    });
    port = (front.address() as AddressInfo).port;
    state.url = `smtp://127.0.0.1:${port}`;
    relay = front;
  };

  /** One client connection through the relay, misbehaving as `state.fault` says. */
  const relayConnection = (client: Socket, upstream: number): void => {
    state.connections += 1;
    const fault = state.fault;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
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
  await listen();
  return state;
}

/** The first link in a mail's text that contains `pathPart`, as a path (for supertest). */
export function linkIn(text: string, pathPart: string): string | undefined {
  const url = text.match(/https?:\/\/\S+/g)?.find((link) => link.includes(pathPart));
  return url ? new URL(url).pathname : undefined;
}
