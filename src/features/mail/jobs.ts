// The mail jobs, registered with the scheduler when this module loads (src/jobs.ts lists it):
// one durable `mail.send` per message, retried with exponential backoff (first after
// MAIL_RETRY_SECONDS, doubling up to six hours, 16 retries: about two days), and a sweep that
// re-enqueues queued mails whose job went missing.
import { defineJob } from '../../scheduler/index.js';
import { deliverMail, mailRetrySeconds, resumeQueuedMail, sendMailJob } from './service.js';

const maxRetries = 16;
const sixHoursMs = 6 * 60 * 60 * 1000;

defineJob<{ mailId: string }>(
  sendMailJob,
  async (data, job) => {
    // failCount counts the failures before this run: the last allowed retry marks the mail failed.
    await deliverMail(data.mailId, (job.attrs.failCount ?? 0) >= maxRetries);
  },
  {
    backoff: ({ attempt }) =>
      attempt > maxRetries ? null : Math.min(mailRetrySeconds() * 1000 * 2 ** (attempt - 1), sixHoursMs),
    lockLifetimeMs: 60_000,
    concurrency: 5,
  },
);

defineJob(
  'mail.resume',
  async () => {
    await resumeQueuedMail(new Date(Date.now() - 60_000));
  },
  { every: '5 minutes' },
);
