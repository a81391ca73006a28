// Mails from Handlebars templates under views/mail/: `<name>.text.hbs` and `<name>.html.hbs`
// (wrapped in views/mail/layout.html.hbs), the subject from the catalogue (`mail.<name>.subject`),
// all in the recipient's language. Templates use {{t "key"}} like pages do.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { i18n } from 'i18next';
import type { Language } from '../../config.js';
import { t } from '../../views/helpers/t.js';
import { viewsDir } from '../../views/engine.js';

export const mailTemplates = [
  'verifyEmail',
  'alreadyRegistered',
  'passwordReset',
  'emailChange',
  'emailChangedNotice',
  'notification',
  'officerDigest',
  'claimInvite',
] as const;
export type MailTemplate = (typeof mailTemplates)[number];

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const mailDir = path.join(viewsDir, 'mail');
const handlebars = Handlebars.create();
handlebars.registerHelper('t', t);

type Compiled = Handlebars.TemplateDelegate;
const cache = new Map<string, Compiled>();

function compiled(file: string, escape: boolean): Compiled {
  const key = `${file}:${escape}`;
  let template = cache.get(key);
  if (!template) {
    const source = readFileSync(path.join(mailDir, file), 'utf8');
    // Plain text is never HTML-escaped; HTML is, as pages are.
    template = handlebars.compile(source, { noEscape: !escape, strict: false });
    cache.set(key, template);
  }
  return template;
}

/** Subject lines are one line: a line break from a parameter can never start a header. */
export function oneLine(value: string): string {
  return value.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
}

export function renderMail(
  i18next: i18n,
  template: MailTemplate,
  language: Language,
  params: Record<string, unknown>,
): RenderedMail {
  const translate = i18next.getFixedT(language);
  const context = { ...params, t: translate, lang: language };
  const body = compiled(`${template}.html.hbs`, true)(context);
  return {
    subject: oneLine(translate(`mail.${template}.subject`, params)),
    text: compiled(`${template}.text.hbs`, false)(context),
    html: compiled('layout.html.hbs', true)({ ...context, body: new Handlebars.SafeString(body) }),
  };
}
