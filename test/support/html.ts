// HTML assertions through a parser (cheerio), not regular expressions:
//
//   const $ = page(res);
//   expect($('h1').text()).to.equal('登录');
//   expect($('#error-email').text()).to.contain('…');
//   expect($('input[name=email]').attr('maxlength')).to.equal('254');
import { type CheerioAPI, load } from 'cheerio';

/** The parsed page of a response (or of an HTML string). */
export function page(res: { text: string } | string): CheerioAPI {
  return load(typeof res === 'string' ? res : res.text);
}

/** The CSRF token of the first form on a page (`<input name="_csrf" value="…">`). */
export function csrfFrom(html: string): string {
  const token = page(html)('input[name="_csrf"]').first().attr('value');
  if (!token) throw new Error('no _csrf field on this page');
  return token;
}
