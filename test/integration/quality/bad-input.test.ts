// The bad-input corpus over real HTTP: every form (every POST route of the app, taken from the
// authorization matrix's rows, which must list every route) and every API endpoint (GET /api…)
// gets the same generated cases — empty, huge (10 kB), wrong types, arrays and objects in scalars
// (`field=a&field=b`, `field[]=…`, `field[$ne]=…`), regex metacharacters, invalid UTF-8 percent
// sequences, script tags, NUL bytes — and must answer without a 5xx:
//   - refused (anything but a 303 to a success page): the form back with a message (a field
//     error, an error flash, or an error page) and no document changed;
//   - accepted (303): only where the form's empty submission is accepted too (action buttons:
//     withdraw, mark read, …), and nothing stored may hold an operator key or the 10 kB value.
// Field names come from the form itself: each actor's pages are read once and every <form>'s
// fields are indexed by action, so a new field is covered as soon as the page shows it.
// Compared: every collection except sessions and rate-limit counters (bookkeeping that a refused
// request may touch: a flash message, a per-IP count) and the scheduler's jobs; mails by which
// exist (a refused request must not queue one), not by delivery status.
import { expect } from 'chai';
import { EJSON } from 'bson';
import { type TestApp, page, startTestApp } from '../../support/app.js';
import {
  type Actor,
  type Snapshot,
  type World,
  buildWorld,
  changedCollections,
} from '../../support/world.js';
import { type Row, fillPath, matrix } from './authorization-matrix.table.js';

interface Form {
  fields: string[];
  multipart: boolean;
}

/**
 * One generated case. `text`: a value a free-text field may well accept (it is stored as text and
 * escaped on output); the others must be refused unless the form accepts an empty submission.
 */
interface Case {
  name: string;
  text?: boolean;
  pairs(field: string): [string, string][];
  /** Already percent-encoded (invalid UTF-8 must reach the parser as it is). */
  raw?: (field: string) => string;
}

const huge = 'x'.repeat(10_240);
const scalar = (name: string, value: string, text = true): Case => ({
  name,
  text,
  pairs: (field) => [[field, value]],
});
const corpus: Case[] = [
  scalar('empty', '', false),
  scalar('huge (10 kB)', huge, false),
  scalar('a wrong type (a number out of range)', '-1e309'),
  scalar('regex metacharacters', '.*(a+)+$[\\^{}|'),
  scalar('a script tag', '<script>alert(1)</script>'),
  scalar('a NUL byte and control characters', 'a\u0000b\u0007\u202e'),
  {
    name: 'duplicated parameters (an array)',
    pairs: (field) => [
      [field, 'a'],
      [field, 'b'],
    ],
  },
  {
    name: 'array brackets',
    pairs: (field) => [
      [`${field}[]`, 'a'],
      [`${field}[]`, 'b'],
    ],
  },
  {
    name: 'operator and nested objects',
    pairs: (field) => [
      [`${field}[$ne]`, 'x'],
      [`${field}[$gt]`, ''],
      [`${field}[a][b]`, 'c'],
    ],
  },
  {
    name: 'invalid UTF-8',
    text: true,
    pairs: (field) => [[field, '\ufffd']],
    raw: (field) => `${encodeURIComponent(field)}=%C3%28%FF%FE%ED%A0%80`,
  },
];

/** The case's value in every field, as a urlencoded body or query string. */
function encode(sample: Case, fields: string[]): string {
  return fields
    .map((field) =>
      sample.raw
        ? sample.raw(field)
        : sample
            .pairs(field)
            .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
            .join('&'),
    )
    .join('&');
}

/** Who posts a form: the first actor the matrix lets through (not refused). */
const posters: Actor[] = ['creatorA', 'officerX', 'admin', 'anonymous', 'creatorB', 'officerY'];
function posterOf(row: Row): Actor | undefined {
  return posters.find((actor) => !['login', 'flash', 403, 404].includes(row.expect[actor]));
}

const formRows = Object.entries(matrix).filter(([key]) => key.startsWith('POST '));
const apiRows = Object.entries(matrix).filter(([key]) => key.startsWith('GET /api'));
const apiParams = ['q', 'page', 'limit', 'sort', 'platform', 'street', 'category', 'cursor'];
const caseCount = (formRows.length + apiRows.length) * corpus.length;

describe(`bad-input corpus (${formRows.length} forms and ${apiRows.length} API endpoints × ${corpus.length} cases = ${caseCount} requests)`, function () {
  this.timeout(120_000);
  let portal: TestApp;
  let world: World;
  let base: Snapshot;
  const forms = new Map<string, Form>();
  let sent = 0;

  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
    world = await buildWorld(portal);
    await world.settle();
    base = await world.snapshot();
    // Every page each actor may see, read once: its forms, indexed by method and action.
    for (const [key, row] of Object.entries(matrix)) {
      const [method, path = ''] = key.split(' ');
      if (method !== 'GET' || /\.(csv|svg)$|^\/(files|healthz|readyz)|\/html$/.test(path)) continue;
      for (const actor of posters) {
        if (row.expect[actor] !== 200) continue;
        const res = await world.send(actor, 'GET', fillPath(key, path, row, world));
        const $ = page(res);
        $('form').each((_i, element) => {
          const form = $(element);
          const action = new URL(form.attr('action') ?? path, portal.url).pathname;
          const formKey = `${(form.attr('method') ?? 'get').toUpperCase()} ${action}|${actor}`;
          const fields = form
            .find('input[name], select[name], textarea[name]')
            .map((_j, input) => $(input).attr('name'))
            .get()
            .filter((name) => name !== '_csrf');
          const known = forms.get(formKey);
          forms.set(formKey, {
            fields: [...new Set([...(known?.fields ?? []), ...fields])],
            multipart: form.attr('enctype') === 'multipart/form-data',
          });
        });
      }
    }
    await world.reset(base);
  });
  after(async function () {
    await portal?.stop();
  });

  function post(actor: Actor, url: string, form: Form, fields: string[], sample: Case) {
    const req = world.send(actor, 'POST', url);
    if (form.multipart) {
      let multipart = req.field('_csrf', world.csrf[actor]);
      for (const field of fields)
        for (const [name, value] of sample.pairs(field)) multipart = multipart.field(name, value);
      return multipart;
    }
    return req.type('form').send(`_csrf=${encodeURIComponent(world.csrf[actor])}&${encode(sample, fields)}`);
  }

  /** What a refused answer shows: a field error, an error flash, or an error page. */
  function showsMessage(res: { status: number; text: string }): boolean {
    const $ = page(res);
    if ($('.field-error, .flash-error, [role=alert]').length > 0) return true;
    return res.status >= 400 && $('main h1, h1').first().text().trim().length > 0;
  }

  for (const [key, row] of formRows) {
    it(key, async function () {
      const actor = posterOf(row);
      if (!actor) this.skip();
      const [, path = ''] = key.split(' ');
      const url = fillPath(key, path, row, world);
      const form = forms.get(`POST ${url}|${actor}`) ?? { fields: [], multipart: false };
      // A form without fields of its own (an action button) still gets junk in a field.
      const fields = form.fields.length ? form.fields : ['field'];
      const acceptsBlank = row.expect[actor] === 303;
      const wrong: string[] = [];
      for (const sample of corpus) {
        const res = await post(actor, url, form, fields, sample);
        sent += 1;
        const location: string | undefined = res.headers.location;
        const after = await world.snapshot();
        const changed = changedCollections(base, after);
        if (res.status >= 500) wrong.push(`${sample.name}: ${res.status} (a server error)`);
        else if (res.status === 303 && !location?.startsWith('/login')) {
          if (!acceptsBlank && !sample.text) wrong.push(`${sample.name}: accepted (303 → ${location})`);
          const stored = changed.map((name) => EJSON.stringify(after.get(name))).join('\n');
          if (stored.includes(huge)) wrong.push(`${sample.name}: stored the 10 kB value`);
          if (/"\$(ne|gt)"/.test(stored)) wrong.push(`${sample.name}: stored an operator key`);
          if (stored.includes('["a","b"]')) wrong.push(`${sample.name}: stored an array from one field`);
        } else {
          if (changed.length)
            wrong.push(`${sample.name}: refused (${res.status}) yet changed ${changed.join(', ')}`);
          if (!showsMessage(res)) wrong.push(`${sample.name}: ${res.status} without a message`);
        }
        await world.reset(base, after);
      }
      expect(wrong, `${key} as ${actor}, fields ${fields.join(', ')}`).to.deep.equal([]);
    });
  }

  for (const [key, row] of apiRows) {
    it(key, async function () {
      const actor = posterOf(row) ?? 'anonymous';
      const [, path = ''] = key.split(' ');
      const url = fillPath(key, path, row, world);
      const wrong: string[] = [];
      for (const sample of corpus) {
        const res = await world.send(actor, 'GET', `${url}?${encode(sample, apiParams)}`);
        sent += 1;
        if (res.status >= 500) wrong.push(`${sample.name}: ${res.status} (a server error)`);
        const after = await world.snapshot();
        const changed = changedCollections(base, after);
        if (changed.length) wrong.push(`${sample.name}: changed ${changed.join(', ')}`);
        await world.reset(base, after);
      }
      expect(wrong, `${key} as ${actor}`).to.deep.equal([]);
    });
  }

  it('found the fields of the forms on the pages', function () {
    const withFields = formRows.filter(([key, row]) => {
      const actor = posterOf(row);
      const [, path = ''] = key.split(' ');
      return actor && forms.get(`POST ${fillPath(key, path, row, world)}|${actor}`)?.fields.length;
    });
    console.log(
      `      bad-input corpus: ${sent} requests; ${withFields.length} of ${formRows.length} forms with fields read from their page`,
    );
    // the registration, sign-in and profile forms at least (a broken page crawl would find none)
    expect(withFields.map(([key]) => key)).to.include.members([
      'POST /register',
      'POST /login',
      'POST /me/profile',
    ]);
  });
});
