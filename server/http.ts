/**
 * Request handling over the node's transport (uWebSockets.js, or its fallback): copies what it needs out of `req` before any await,
 * registers onAborted first, reads bodies with a size cap, turns HuntErrors into the
 * contract's error body, and writes replies corked.
 */
import { STATUS_CODES } from 'node:http';
import type { App, HttpRequest, HttpResponse } from './transport/index.js';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { BODY_BOUNDS, describeIssues, HuntError, inputProblem, type ErrorCode } from '../protocol/index.js';
import type { Principal } from './accounts.js';
import type { Access, Who } from './access.js';
import type { RouteRegistry } from './route-registry.js';

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  params: string[];
  authorization: string;
  accept: string;
  /** the `content-type` header as sent */
  contentType: string;
  /** the Host header (for links the node hands out) */
  host: string;
  /** the peer's address as text */
  remote: string;
  /** the `x-forwarded-for` header as sent (trusted only from HUNT_TRUSTED_PROXIES; see client-address.ts) */
  forwardedFor: string;
  /** who the caller is, on routes that declare `who` (null elsewhere) */
  principal: Principal | null;
  body: unknown;
}

/** What a route asks before it reads its body. */
export interface RouteOptions {
  /** the key the caller must hold (checked before the body is read); absent: anyone */
  who?: Who;
  /** a check of its own before the body is decoded (a rate limit, say); what it returns becomes `principal` */
  admit?: (req: Request) => Promise<Principal | null>;
  /** the body must be `Content-Type: application/json` (else 415 UNSUPPORTED_MEDIA_TYPE, before it is read) */
  jsonOnly?: boolean;
  /** told the code of every error this route answers (for metrics) */
  refused?: (code: ErrorCode) => void;
  /** the largest body this route takes, bytes (a photo upload); else `limits.maxBodyBytes` */
  maxBodyBytes?: () => number;
}

export interface Reply {
  status?: number;
  body?: unknown;
  /** raw text instead of JSON */
  text?: string;
  /** raw bytes instead of JSON (a photo) */
  bytes?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export type Handler = (req: Request) => Promise<Reply> | Reply;
export type Method = 'get' | 'post' | 'put' | 'patch' | 'del';

export interface HttpContext {
  app: App;
  logger: Logger;
  maxBodyBytes: () => number;
  /** true once the node is shutting down: new requests get 503 */
  closing: () => boolean;
  /** the key checks of routes that declare `who` */
  access: Access;
  /** where `route()` notes what it knows of each route (for the OpenAPI document) */
  routes?: RouteRegistry;
}

/** Headers on every answer: no content sniffing, no referrer leaking hunt ids or tokens in URLs. */
export const COMMON_HEADERS: readonly (readonly [string, string])[] = [
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'no-referrer'],
];

/**
 * The policy of every HTML answer: scripts only from this origin's bundled files (no inline
 * script, no eval), never framed (clickjacking), sockets and fetches to this origin only. Inline
 * style attributes stay allowed (the puzzle grids size themselves with them); images may come
 * from https map tiles.
 */
export const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of an HTML answer, beside COMMON_HEADERS. */
export const PAGE_HEADERS: readonly (readonly [string, string])[] = [
  ['content-security-policy', PAGE_POLICY],
  ['x-frame-options', 'DENY'],
];

function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? 'Status'}`;
}

export function send(res: HttpResponse, reply: Reply): void {
  const status = reply.status ?? 200;
  const payload = reply.bytes ?? reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
  const type =
    reply.contentType ??
    (reply.text === undefined && reply.bytes === undefined
      ? 'application/json; charset=utf-8'
      : 'text/plain; charset=utf-8');
  res.cork(() => {
    res.writeStatus(statusLine(status));
    res.writeHeader('content-type', type);
    res.writeHeader('cache-control', 'no-store');
    for (const [name, value] of COMMON_HEADERS) res.writeHeader(name, value);
    if (type.startsWith('text/html')) for (const [name, value] of PAGE_HEADERS) res.writeHeader(name, value);
    if (reply.headers) for (const [name, value] of Object.entries(reply.headers)) res.writeHeader(name, value);
    res.end(payload);
  });
}

/** Marks a response answered, so the guard never writes to it twice. */
const answered = new WeakSet<HttpResponse>();

/**
 * The one wrapper of every HTTP callback: a throw (sync or async) becomes a 500 INTERNAL
 * reply and one logged error, never an exception inside uWS. The handler may return a promise.
 */
export function guardHttp<A extends unknown[]>(
  logger: Logger,
  handler: (res: HttpResponse, req: HttpRequest, ...rest: A) => void | Promise<void>,
): (res: HttpResponse, req: HttpRequest, ...rest: A) => void {
  const fail = (res: HttpResponse, err: unknown): void => {
    logger.error({ err }, 'unhandled error in an HTTP callback');
    if (answered.has(res)) return;
    answered.add(res);
    try {
      send(res, errorReply(new HuntError('INTERNAL'), logger));
    } catch {
      // aborted meanwhile: nothing left to answer
    }
  };
  return (res, req, ...rest) => {
    try {
      const out = handler(res, req, ...rest);
      if (out instanceof Promise) out.catch((err: unknown) => fail(res, err));
    } catch (err) {
      fail(res, err);
    }
  };
}

/** Sends once; later calls (after an abort, or a second reply) do nothing. */
function sendOnce(res: HttpResponse, reply: Reply, state: { aborted: boolean }): void {
  if (state.aborted || answered.has(res)) return;
  answered.add(res);
  send(res, reply);
}

function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HuntError('BAD_REQUEST', 'a path segment is not valid percent-encoded UTF-8');
  }
}

export function errorReply(err: unknown, logger: Logger): Reply {
  if (err instanceof HuntError) {
    const retry =
      err.details && typeof err.details === 'object' && 'retryAfterMs' in err.details
        ? Number(err.details.retryAfterMs)
        : undefined;
    return {
      status: err.status,
      body: err.toBody(),
      ...(retry === undefined ? {} : { headers: { 'retry-after': String(Math.max(1, Math.ceil(retry / 1000))) } }),
    };
  }
  logger.error({ err }, 'unhandled error in request');
  const internal = new HuntError('INTERNAL');
  return { status: internal.status, body: internal.toBody() };
}

/** Parses a body with a zod schema; a mismatch is VALIDATION_FAILED with the issues as details. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new HuntError(
      'VALIDATION_FAILED',
      `the body does not match its schema: ${describeIssues(parsed.error.issues)}`,
      parsed.error.issues.slice(0, 20).map((i) => ({
        path: i.path.map((p) => String(p).slice(0, 32)).join('.'),
        message: i.code === 'unrecognized_keys' ? 'unrecognized key' : i.message.slice(0, 120),
      })),
    );
  }
  return parsed.data;
}

/** True for `application/json`, with or without parameters (`; charset=utf-8`). */
export function isJsonType(contentType: string): boolean {
  return contentType.split(';', 1)[0]?.trim().toLowerCase() === 'application/json';
}

function readBody(res: HttpResponse, limit: number, state: { aborted: boolean }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    res.onData((chunk, isLast) => {
      if (failed) return;
      size += chunk.byteLength;
      if (size > limit) {
        failed = true;
        reject(new HuntError('BODY_TOO_LARGE', `the body is larger than ${limit} bytes`));
        return;
      }
      chunks.push(Buffer.from(chunk.slice(0))); // uWS reuses the chunk's memory
      if (isLast) resolve(Buffer.concat(chunks));
    });
    if (state.aborted) reject(new Error('aborted'));
  });
}

function decodeJson(buf: Buffer): unknown {
  if (buf.length === 0) return undefined;
  const text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  const value: unknown = JSON.parse(text);
  return value;
}

/**
 * Registers a route whose handler gets a plain, copied request and returns a reply. With
 * `who`, the key is checked before the body is decoded (the body is buffered meanwhile, as uWS
 * hands it over only once), so a caller without the key costs no parse.
 */
export function route(
  ctx: HttpContext,
  method: Method,
  pattern: string,
  handler: Handler,
  options: RouteOptions = {},
): void {
  const paramCount = (pattern.match(/:/g) ?? []).length;
  const withBody = method === 'post' || method === 'put' || method === 'patch';
  ctx.app[method](
    pattern,
    guardHttp(ctx.logger, async (res: HttpResponse, req: HttpRequest) => {
      const state = { aborted: false };
      res.onAborted(() => {
        state.aborted = true;
      });
      // copied before any await: uWS reuses req once this callback returns
      const rawParams = Array.from({ length: paramCount }, (_, i) => req.getParameter(i) ?? '');
      const request: Request = {
        method: req.getMethod(),
        path: req.getUrl(),
        query: new URLSearchParams(req.getQuery() ?? ''),
        params: [],
        authorization: req.getHeader('authorization'),
        accept: req.getHeader('accept'),
        contentType: req.getHeader('content-type'),
        host: req.getHeader('host'),
        remote: Buffer.from(res.getRemoteAddressAsText()).toString(),
        forwardedFor: req.getHeader('x-forwarded-for'),
        principal: null,
        body: undefined,
      };
      let reply: Reply;
      try {
        if (ctx.closing()) throw new HuntError('SHUTTING_DOWN');
        request.params = rawParams.map(decodeParam);
        if (withBody && options.jsonOnly && !isJsonType(request.contentType))
          throw new HuntError('UNSUPPORTED_MEDIA_TYPE', 'send the body as `Content-Type: application/json`');
        // the body is taken in from the start (uWS gives it once) but decoded only once the key is checked
        const body = withBody ? readBody(res, (options.maxBodyBytes ?? ctx.maxBodyBytes)(), state) : undefined;
        body?.catch(() => undefined);
        if (options.who)
          request.principal = await ctx.access.check(request.authorization, options.who, request.params[0]);
        if (options.admit) request.principal = await options.admit(request);
        if (body) {
          const raw = await body;
          try {
            request.body = decodeJson(raw);
          } catch {
            throw new HuntError('INVALID_JSON', 'the body is not valid UTF-8 JSON');
          }
          const problem = inputProblem(request.body, BODY_BOUNDS);
          if (problem) throw new HuntError('VALIDATION_FAILED', `the body cannot be stored: ${problem}`);
        }
        reply = await handler(request);
      } catch (err) {
        if (state.aborted) return;
        reply = errorReply(err, ctx.logger);
        if (options.refused && err instanceof HuntError) options.refused(err.code);
      }
      sendOnce(res, reply, state);
    }),
  );
  ctx.routes?.describe(method, pattern, { who: options.who });
}
