// The OpenAPI 3.1 description of the open-data API (api.ts), written by hand and checked by
// test/integration/features/directory/api.test.ts, which validates every response the tests see
// against the schema of its path and status. Schemas are JSON Schema 2020-12 (OpenAPI 3.1's).
import { categories, streets } from '../registry/catalogue.js';
import { figurePrecisions, figureSources } from '../registry/account.model.js';
import { platformKeys } from '../registry/platforms/index.js';
import { directorySorts } from './service.js';
import { directoryLimits } from './validation.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: Record<string, unknown>) => ({ oneOf: [schema, { type: 'null' }] });
const dateTime = { type: 'string', format: 'date-time' };

const json = (schema: Record<string, unknown>) => ({ 'application/json': { schema } });
const errorResponse = (description: string) => ({
  description,
  content: json(ref('Error')),
});
const notModified = {
  description: 'Not modified: the ETag sent in If-None-Match still matches.',
};
const common = {
  '304': notModified,
  '406': errorResponse('The Accept header asks for something other than JSON.'),
  '429': errorResponse('Too many requests from this address; see the RateLimit headers.'),
};

const total = {
  type: 'object',
  required: ['members', 'accounts', 'followers', 'asOf'],
  additionalProperties: false,
  properties: {
    members: { type: 'integer', minimum: 0 },
    accounts: { type: 'integer', minimum: 0 },
    followers: { type: 'integer', minimum: 0, description: 'Sum of the shown follower figures.' },
    asOf: { ...nullable(dateTime), description: 'The newest as-of date of the figures summed.' },
  },
};

const memberRequired = [
  'slug',
  'name',
  'kind',
  'street',
  'categories',
  'memberNumber',
  'memberSince',
  'followers',
  'asOf',
  'url',
  'avatar',
  'badge',
  'accounts',
];

const memberProperties = {
  slug: { type: 'string' },
  name: { type: 'string' },
  kind: { type: 'string', enum: ['person', 'organisation'] },
  street: nullable({ type: 'string', enum: [...streets] }),
  categories: { type: 'array', items: { type: 'string', enum: [...categories] } },
  memberNumber: { type: 'string', examples: ['LH-2026-0042'] },
  memberSince: nullable(dateTime),
  followers: { type: 'integer', minimum: 0 },
  asOf: nullable(dateTime),
  url: { type: 'string', format: 'uri', description: 'The member page.' },
  avatar: nullable({ type: 'string', format: 'uri' }),
  badge: { type: 'string', format: 'uri', description: 'The embeddable membership badge (SVG).' },
  accounts: { type: 'array', items: ref('Account') },
};

export function openApiDocument(origin: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Lighthouse open data',
      version: '1.0.0',
      summary: "The Lighthouse alliance's public member directory and district totals.",
      description:
        'Read-only. Lists approved alliance members who agreed to be listed publicly, their verified ' +
        'accounts and follower figures (each with its source and as-of date), and district totals ' +
        'over them. Responses carry an ETag (send If-None-Match for 304) and Cache-Control; CORS is ' +
        'open for GET. Errors are {"error": {"code", "message"}}.',
      license: { name: 'CC BY 4.0', identifier: 'CC-BY-4.0' },
    },
    servers: [{ url: `${origin}/api/v1` }],
    paths: {
      '/members': {
        get: {
          operationId: 'listMembers',
          summary: 'Public members, searched, filtered, sorted and paginated.',
          parameters: [
            {
              name: 'q',
              in: 'query',
              description:
                'Name, handle or bio words; Simplified or Traditional Chinese, pinyin or pinyin initials.',
              schema: { type: 'string', maxLength: directoryLimits.rawQuery },
            },
            ...(
              [
                ['platform', platformKeys],
                ['category', categories],
                ['street', streets],
              ] as const
            ).map(([name, values]) => ({
              name,
              in: 'query',
              description: 'Repeat for any of several values.',
              style: 'form',
              explode: true,
              schema: { type: 'array', items: { type: 'string', enum: [...values] } },
            })),
            {
              name: 'sort',
              in: 'query',
              description: 'relevance (with q; the default then), followers (the default), name, newest.',
              schema: { type: 'string', enum: [...directorySorts] },
            },
            {
              name: 'page',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: directoryLimits.maxPage, default: 1 },
            },
            {
              name: 'perPage',
              in: 'query',
              schema: {
                type: 'integer',
                minimum: 1,
                maximum: directoryLimits.maxPerPage,
                default: directoryLimits.defaultPerPage,
              },
            },
          ],
          responses: {
            '200': { description: 'One page of members.', content: json(ref('MemberList')) },
            '400': errorResponse('A parameter is malformed or names an unknown value.'),
            '404': errorResponse('The page is past the last one.'),
            ...common,
          },
        },
      },
      '/members/{slug}': {
        get: {
          operationId: 'getMember',
          summary: 'One public member, with each account’s follower history.',
          parameters: [
            {
              name: 'slug',
              in: 'path',
              required: true,
              schema: { type: 'string', pattern: '^[a-z0-9-]{1,64}$' },
            },
          ],
          responses: {
            '200': {
              description: 'The member.',
              content: json({
                type: 'object',
                required: ['data'],
                additionalProperties: false,
                properties: { data: ref('MemberDetail') },
              }),
            },
            '404': errorResponse('No public member has this slug.'),
            ...common,
          },
        },
      },
      '/stats': {
        get: {
          operationId: 'getStats',
          summary: 'District totals over the public members: in all, by platform, street and category.',
          responses: {
            '200': { description: 'The totals.', content: json(ref('Stats')) },
            ...common,
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'getOpenApi',
          summary: 'This document.',
          responses: {
            '200': { description: 'The OpenAPI document.', content: json({ type: 'object' }) },
            ...common,
          },
        },
      },
    },
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          additionalProperties: false,
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              additionalProperties: false,
              properties: {
                code: {
                  type: 'string',
                  enum: [
                    'invalid_parameter',
                    'not_found',
                    'page_out_of_range',
                    'not_acceptable',
                    'method_not_allowed',
                    'too_many_requests',
                    'internal_error',
                  ],
                },
                message: { type: 'string', description: 'In the language of Accept-Language.' },
              },
            },
          },
        },
        Figure: {
          type: 'object',
          required: ['count', 'precision', 'source', 'asOf', 'shown'],
          additionalProperties: false,
          properties: {
            count: { type: 'integer', minimum: 0 },
            precision: { type: 'string', enum: [...figurePrecisions] },
            source: {
              type: 'string',
              enum: [...figureSources],
              description:
                'official_api, public_web (read from the public page) or manual (confirmed by an officer).',
            },
            asOf: dateTime,
            shown: {
              ...nullable({ type: 'string' }),
              description: 'As the platform showed it, e.g. "1.2万".',
            },
          },
        },
        HistoryPoint: {
          type: 'object',
          required: ['at', 'followers', 'source'],
          additionalProperties: false,
          properties: {
            at: dateTime,
            followers: { type: 'integer', minimum: 0 },
            source: { type: 'string', enum: [...figureSources] },
          },
        },
        Account: {
          type: 'object',
          required: ['platform', 'platformId', 'name', 'url', 'followers'],
          additionalProperties: false,
          properties: {
            platform: { type: 'string', enum: [...platformKeys] },
            platformId: { type: 'string' },
            name: { type: 'string' },
            url: nullable({ type: 'string', format: 'uri' }),
            followers: nullable(ref('Figure')),
            history: { type: 'array', items: ref('HistoryPoint') },
          },
        },
        Member: {
          type: 'object',
          required: memberRequired,
          additionalProperties: false,
          properties: memberProperties,
        },
        MemberDetail: {
          type: 'object',
          required: [...memberRequired, 'bio', 'pledge'],
          additionalProperties: false,
          properties: {
            ...memberProperties,
            accounts: {
              type: 'array',
              items: { allOf: [ref('Account')], required: ['history'] },
            },
            bio: { type: 'string' },
            pledge: nullable({
              type: 'object',
              required: ['version', 'signed'],
              additionalProperties: false,
              properties: { version: { type: 'integer', minimum: 1 }, signed: { type: 'boolean' } },
            }),
          },
        },
        MemberList: {
          type: 'object',
          required: ['data', 'meta', 'links'],
          additionalProperties: false,
          properties: {
            data: { type: 'array', items: ref('Member') },
            meta: {
              type: 'object',
              required: ['total', 'page', 'perPage', 'pages'],
              additionalProperties: false,
              properties: {
                total: { type: 'integer', minimum: 0 },
                page: { type: 'integer', minimum: 1 },
                perPage: { type: 'integer', minimum: 1 },
                pages: { type: 'integer', minimum: 1 },
              },
            },
            links: {
              type: 'object',
              required: ['self', 'first', 'last', 'prev', 'next'],
              additionalProperties: false,
              properties: {
                self: { type: 'string', format: 'uri' },
                first: { type: 'string', format: 'uri' },
                last: { type: 'string', format: 'uri' },
                prev: nullable({ type: 'string', format: 'uri' }),
                next: nullable({ type: 'string', format: 'uri' }),
              },
            },
          },
        },
        Total: total,
        Stats: {
          type: 'object',
          required: ['data'],
          additionalProperties: false,
          properties: {
            data: {
              type: 'object',
              required: ['totals', 'byPlatform', 'byStreet', 'byCategory'],
              additionalProperties: false,
              properties: {
                totals: ref('Total'),
                byPlatform: {
                  type: 'object',
                  propertyNames: { enum: [...platformKeys] },
                  additionalProperties: ref('Total'),
                },
                byStreet: {
                  type: 'object',
                  propertyNames: { enum: [...streets] },
                  additionalProperties: ref('Total'),
                },
                byCategory: {
                  type: 'object',
                  propertyNames: { enum: [...categories] },
                  additionalProperties: ref('Total'),
                },
              },
            },
          },
        },
      },
    },
  };
}
