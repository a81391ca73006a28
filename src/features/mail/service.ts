// Queuing and delivering mail. queueMail() renders the mail in the recipient's language, stores
// it (the outbox and the durable queue are one collection) and stores one agenda job for it;
// deliverMail() is that job: it hands the mail to the SMTP server at most once, and a failure is
// retried with backoff (see jobs.ts). Without SMTP_URL (development, tests, the offline lane)
// mails are kept in the outbox only, readable by admins at /admin/outbox.
import type { TFunction, i18n } from 'i18next';
import mongoose from 'mongoose';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Language, MailConfig } from '../../config.js';
import type { Logger } from '../../logger.js';
import { enqueueJob } from '../../scheduler/index.js';
import { MailModel, type MailDocument } from './model.js';
import { type MailTemplate, oneLine, renderMail } from './templates.js';

export const sendMailJob = 'mail.send';

interface MailContext {
  config: MailConfig;
  i18n: i18n;
  logger: Logger;
  transport: Transporter | undefined;
  /** Origin of links in mails, without a trailing slash. */
  baseUrl: string;
  defaultLanguage: Language;
}

let context: MailContext | undefined;

/** Called by startPortal once the language catalogues are loaded, before the scheduler starts. */
export function configureMail(options: {
  config: MailConfig;
  i18n: i18n;
  logger: Logger;
  defaultLanguage: Language;
}): void {
  context?.transport?.close();
  const { config } = options;
  context = {
    config: options.config,
    i18n: options.i18n,
    logger: options.logger,
    transport: config.smtpUrl
      ? nodemailer.createTransport({
          url: config.smtpUrl,
          // An SMTP server that hangs must not hold a job (or shutdown) for minutes; together
          // they stay well inside claimLeaseMs (the config module checks), so a slow send is
          // never claimed by a second worker.
          connectionTimeout: config.timeouts.connectionMs,
          greetingTimeout: config.timeouts.greetingMs,
          socketTimeout: config.timeouts.socketMs,
        })
      : undefined,
    baseUrl: config.publicUrl ?? '',
    defaultLanguage: options.defaultLanguage,
  };
}

/** Links point at the listening address unless PUBLIC_URL names the public one. */
export function useListeningUrl(url: string): void {
  if (context && !context.config.publicUrl) context.baseUrl = url;
}

export function closeMail(): void {
  context?.transport?.close();
  context = undefined;
}

/** Whether mail is set up: false outside a started portal (e.g. `npm run seed`). */
export function mailConfigured(): boolean {
  return context !== undefined;
}

function current(): MailContext {
  if (!context) throw new Error('mail is not configured (start the portal first)');
  return context;
}

/** The language of a person's mails: theirs, or the portal's default. */
export function languageOf(person: { language?: Language | null | undefined }): Language {
  return person.language ?? current().defaultLanguage;
}

/** Messages in a recipient's language, outside any request (mails, digests). */
export function translatorFor(language: Language): TFunction {
  return current().i18n.getFixedT(language);
}

/** An absolute link for a mail: mailLink('/password/reset/abc'). */
export function mailLink(pathname: string): string {
  return `${current().baseUrl}${pathname}`;
}

export interface OutgoingMail {
  /** Idempotency: a second queueMail with the same key stores and sends nothing. */
  key: string;
  to: string;
  toName?: string | undefined;
  language: Language;
  template: MailTemplate;
  params: Record<string, unknown>;
}

/** Stores the mail and its delivery job; returns the mail (the existing one for a known key). */
export async function queueMail(mail: OutgoingMail): Promise<MailDocument> {
  const { i18n } = current();
  const rendered = renderMail(i18n, mail.template, mail.language, { ...mail.params, name: mail.toName });
  let stored: MailDocument;
  try {
    stored = await MailModel.create({
      key: mail.key,
      to: mail.to,
      toName: mail.toName ? oneLine(mail.toName) : undefined,
      language: mail.language,
      template: mail.template,
      ...rendered,
    });
  } catch (error) {
    if (!(error instanceof mongoose.mongo.MongoServerError && error.code === 11000)) throw error;
    const existing = await MailModel.findOne({ key: { $eq: mail.key } });
    if (!existing) throw error;
    stored = existing;
  }
  // If the process stops between the two writes, the resume job finds the queued mail.
  if (stored.status === 'queued') await enqueueDelivery(stored.id);
  return stored;
}

export async function enqueueDelivery(mailId: string): Promise<void> {
  await enqueueJob(sendMailJob, { mailId }, { uniqueBy: { name: sendMailJob, 'data.mailId': mailId } });
}

/** A worker that held a mail this long without finishing has died: another may take it. */
const claimLeaseMs = 2 * 60_000;

/**
 * Hands one mail to the SMTP server (or to the outbox only). Idempotent: a mail that was sent
 * is never sent again. Throws when the server refuses or cannot be reached, so the job is
 * retried; `lastAttempt` marks the mail failed instead (it stays in the outbox).
 */
export async function deliverMail(mailId: string, lastAttempt: boolean): Promise<void> {
  const { transport, config, logger } = current();
  const now = new Date();
  const mail = await MailModel.findOneAndUpdate(
    {
      _id: { $eq: mailId },
      status: 'queued',
      $or: [{ claimedAt: null }, { claimedAt: { $lt: new Date(now.getTime() - claimLeaseMs) } }],
    },
    { $set: { claimedAt: now }, $inc: { attempts: 1 } },
    { returnDocument: 'after' },
  );
  if (!mail) return; // sent already, failed for good, or in another worker's hands
  if (!transport) {
    await MailModel.updateOne(
      { _id: mail._id },
      { $set: { status: 'sent', via: 'outbox', sentAt: new Date() }, $unset: { claimedAt: 1 } },
    );
    return;
  }
  try {
    const info = (await transport.sendMail({
      from: config.from,
      to: mail.toName ? { name: mail.toName, address: mail.to } : mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      // The same Message-ID on every attempt: a receiving server that saw it can drop a repeat.
      messageId: `<${mail.id}@${domainOf(config.from)}>`,
    })) as { messageId?: string };
    await MailModel.updateOne(
      { _id: mail._id },
      {
        $set: { status: 'sent', via: 'smtp', sentAt: new Date(), messageId: info.messageId },
        $unset: { claimedAt: 1, lastError: 1 },
      },
    );
  } catch (error) {
    const message = oneLine((error as Error).message).slice(0, 500);
    await MailModel.updateOne(
      { _id: mail._id },
      {
        $set: { lastError: message, ...(lastAttempt ? { status: 'failed' } : {}) },
        $unset: { claimedAt: 1 },
      },
    );
    logger.warn({ mailId, attempt: mail.attempts, lastAttempt, err: message }, 'mail not sent yet');
    throw error;
  }
}

function domainOf(from: string): string {
  return /@([^\s>]+)/.exec(from)?.[1] ?? 'lighthouse.invalid';
}

/** Queued mails whose job may be missing (the process stopped between the two writes). */
export async function resumeQueuedMail(olderThan: Date): Promise<number> {
  const queued = await MailModel.find({ status: 'queued', updatedAt: { $lt: olderThan } }, { _id: 1 })
    .limit(500)
    .lean();
  for (const mail of queued) await enqueueDelivery(String(mail._id));
  return queued.length;
}

/** The mail stored under a key, if any (e.g. whether today's digest was queued already). */
export function findMailByKey(key: string): Promise<MailDocument | null> {
  return MailModel.findOne({ key: { $eq: key } }).exec();
}

/** Every mail, newest first (the admin outbox). */
export function listMail(limit = 200): Promise<MailDocument[]> {
  return MailModel.find().sort({ createdAt: -1 }).limit(limit).exec();
}

/** The first retry delay (MAIL_RETRY_SECONDS), for the send job's backoff. */
export function mailRetrySeconds(): number {
  return context?.config.retrySeconds ?? 60;
}
