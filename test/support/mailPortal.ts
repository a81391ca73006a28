// A test portal that sends its mail to a real SMTP server on loopback, for a describe() block:
//
//   const mail = useMailPortal({ DEFAULT_LANGUAGE: 'en' });
//   it('…', async () => { await postForm(mail.portal.agent(), …); await mail.smtp.waitFor(…); });
//
// It registers the block's hooks: both start before the tests and stop after them, and before
// each test the database is emptied and the received mails forgotten.
import { type TestApp, startTestApp } from './app.js';
import { resetDatabase } from './database.js';
import { type TestSmtpServer, startSmtpServer } from './smtp.js';

export interface MailPortal {
  smtp: TestSmtpServer;
  portal: TestApp;
}

export function useMailPortal(env: NodeJS.ProcessEnv = {}): MailPortal {
  const handle = {} as MailPortal;
  before(async function () {
    handle.smtp = await startSmtpServer();
    handle.portal = await startTestApp({ SCHEDULER_POLL_MS: '100', ...env, SMTP_URL: handle.smtp.url });
  });
  after(async function () {
    await handle.portal?.stop();
    await handle.smtp?.close();
  });
  beforeEach(async function () {
    await resetDatabase();
    handle.smtp.received.length = 0;
    handle.smtp.refuseWith = undefined;
    handle.smtp.fault = undefined;
  });
  return handle;
}
