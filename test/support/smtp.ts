// A real SMTP server on a loopback port (the smtp-server package) that keeps what it receives,
// for tests of mail delivery:
//
//   const smtp = await startSmtpServer();
//   const portal = await startTestApp({ SMTP_URL: smtp.url, SCHEDULER_POLL_MS: '100' });
//   const mail = await smtp.waitFor((m) => m.to.includes('a@example.org'));
//   expect(mail.subject).to.equal('…'); expect(linkIn(mail.text, '/password/reset/')).to.exist;
//   await smtp.stop();          // the port refuses connections (an outage) …
//   await smtp.restart();       // … and accepts them again, on the same port
import type { AddressInfo } from 'node:net';
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

export interface TestSmtpServer {
  /** smtp://127.0.0.1:<port> */
  url: string;
  received: ReceivedMail[];
  /** Resolves with the first received mail that matches (waiting for it if need be). */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Answers every message with a permanent or temporary refusal while set. */
  refuseWith: { code: number; message: string } | undefined;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startSmtpServer(): Promise<TestSmtpServer> {
  let port = 0;
  let server: SMTPServer | undefined;
  const state: TestSmtpServer = {
    url: '',
    received: [],
    refuseWith: undefined,
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
      instance.listen(port, '127.0.0.1', () => resolve());
    });
    port = (instance.server.address() as AddressInfo).port;
    state.url = `smtp://127.0.0.1:${port}`;
    server = instance;
  };
  await listen();
  return state;
}

/** The first link in a mail's text that contains `pathPart`, as a path (for supertest). */
export function linkIn(text: string, pathPart: string): string | undefined {
  const url = text.match(/https?:\/\/\S+/g)?.find((link) => link.includes(pathPart));
  return url ? new URL(url).pathname : undefined;
}
