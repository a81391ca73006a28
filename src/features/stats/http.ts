// One axios instance per platform and the reading of its raw answer. Bodies are taken as text and
// parsed here, so malformed JSON, HTML where JSON was expected and empty 200s are told apart
// instead of arriving as a string where an object was expected. Redirects are not followed: a
// redirect to a login page is a block, not a profile. Bodies are capped, and a hard deadline
// (AbortSignal) backs axios's socket timeout, so a server that trickles bytes cannot hold a slot.
import axios, { type AxiosInstance, type AxiosRequestConfig, isAxiosError } from 'axios';
import { type AdapterOutcome, blocked, type Figure, type FigureSource, transient } from './outcomes.js';
import { parseCount } from './parseCount.js';

export interface PlatformHttpOptions {
  baseURL: string;
  timeoutMs: number;
  maxBodyBytes: number;
  userAgent: string;
  headers?: Record<string, string>;
}

export function createPlatformHttp(options: PlatformHttpOptions): AxiosInstance {
  return axios.create({
    baseURL: options.baseURL,
    timeout: options.timeoutMs,
    maxContentLength: options.maxBodyBytes,
    maxRedirects: 0,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    headers: { 'User-Agent': options.userAgent, Accept: 'application/json', ...options.headers },
  });
}

export interface JsonAnswer {
  status: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

type RawAnswer =
  | { kind: 'json'; answer: JsonAnswer }
  | { kind: 'failed'; outcome: AdapterOutcome }
  | { kind: 'empty' | 'html' | 'malformed'; status: number }
  | { kind: 'redirect'; status: number; location: string };

const loginWords = /passport|login|signin|sso|visitor|captcha|verify/i;

function headersOf(raw: unknown): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  if (raw && typeof raw === 'object') {
    for (const [key, value] of Object.entries(raw)) {
      headers[key.toLowerCase()] = typeof value === 'string' ? value : undefined;
    }
  }
  return headers;
}

function networkFailure(error: unknown): AdapterOutcome {
  if (isAxiosError(error)) {
    if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT' || error.code === 'ERR_CANCELED') {
      return transient('timeout');
    }
    if (error.message.includes('maxContentLength')) return transient('answer too large');
    return transient(`network error${error.code ? ` (${error.code})` : ''}`);
  }
  return transient('network error');
}

async function fetchRaw(http: AxiosInstance, config: AxiosRequestConfig): Promise<RawAnswer> {
  const timeoutMs = http.defaults.timeout ?? 10_000;
  let response;
  try {
    response = await http.request<string>({ ...config, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    return { kind: 'failed', outcome: networkFailure(error) };
  }
  const { status } = response;
  const headers = headersOf(response.headers);
  if (status >= 300 && status < 400) return { kind: 'redirect', status, location: headers.location ?? '' };
  const text = typeof response.data === 'string' ? response.data.trim() : '';
  if (text === '') return { kind: 'empty', status };
  try {
    return { kind: 'json', answer: { status, headers, body: JSON.parse(text) as unknown } };
  } catch {
    return { kind: text.startsWith('<') ? 'html' : 'malformed', status };
  }
}

/**
 * Sends one request and returns its JSON answer, or the outcome that any platform's answer of
 * that shape means. `statusOutcome` lets an adapter name its own ban statuses (Bilibili's 412,
 * Weibo's 432) before the generic reading applies.
 */
export async function requestJson(
  http: AxiosInstance,
  config: AxiosRequestConfig,
  statusOutcome: (status: number) => AdapterOutcome | undefined = () => undefined,
): Promise<JsonAnswer | AdapterOutcome> {
  const raw = await fetchRaw(http, config);
  if (raw.kind === 'failed') return raw.outcome;
  const own = statusOutcome(raw.kind === 'json' ? raw.answer.status : raw.status);
  if (own) return own;
  switch (raw.kind) {
    case 'redirect':
      return loginWords.test(raw.location)
        ? blocked(`redirected to a login page (HTTP ${raw.status})`)
        : transient(`unexpected redirect (HTTP ${raw.status})`);
    case 'empty':
      // An empty 200 is how several platforms refuse an unsigned or flagged caller.
      return raw.status === 200 ? blocked('empty answer') : genericStatus(raw.status, 'empty answer');
    case 'html':
      return genericStatus(raw.status, 'HTML where JSON was expected');
    case 'malformed':
      return genericStatus(raw.status, 'malformed JSON');
    case 'json':
      // A 5xx or 429 means the same whatever its body says.
      return raw.answer.status >= 500 || raw.answer.status === 429 ? statusFallback(raw.answer) : raw.answer;
  }
}

function genericStatus(status: number, detail: string): AdapterOutcome {
  if (status === 429) return blocked(`rate limited (HTTP 429)`);
  return transient(status === 200 ? detail : `HTTP ${status}: ${detail}`);
}

/** True when requestJson gave an outcome rather than an answer to read. */
export function isOutcome(value: JsonAnswer | AdapterOutcome): value is AdapterOutcome {
  return 'kind' in value;
}

/** The outcome of a JSON answer's status when the adapter found nothing more specific in it. */
export function statusFallback(answer: JsonAnswer): AdapterOutcome {
  if (answer.status === 429) return blocked('rate limited (HTTP 429)');
  if (answer.status >= 500) return transient(`HTTP ${answer.status}`);
  return transient(`unexpected answer (HTTP ${answer.status})`);
}

/** A figure from a raw follower count, or a transient outcome naming why the count was unreadable. */
export function figureOutcome(
  rawFollowers: unknown,
  source: FigureSource,
  extras: Pick<Figure, 'likes' | 'posts'> = {},
): { kind: 'figure'; figure: Figure } | AdapterOutcome {
  const count = parseCount(rawFollowers);
  if (!count.ok) return transient(`unreadable follower count "${count.raw}": ${count.reason}`);
  const figure: Figure = {
    followers: count.value,
    precision: count.precision,
    raw: count.raw,
    atLeast: count.atLeast,
    source,
  };
  if (extras.likes !== undefined) figure.likes = extras.likes;
  if (extras.posts !== undefined) figure.posts = extras.posts;
  return { kind: 'figure', figure };
}

/** An optional secondary count (likes, posts): its value when it parses, otherwise nothing. */
export function optionalCount(raw: unknown): number | undefined {
  const count = parseCount(raw);
  return count.ok ? count.value : undefined;
}
