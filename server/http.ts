/**
 * Request handling over the node's transport (uWebSockets.js, or its fallback): copies what it needs out of `req` before any await,
 * registers onAborted first, reads bodies with a size cap, turns HuntErrors into the
 * contract's error body, and writes replies corked.
 */
import { STATUS_CODES } from 'node:http';
import type { App, HttpRequest, HttpResponse } from './transport/index.js';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { BODY_BOUNDS, describeIssues, HuntError, inputProblem } from '../protocol/index.js';

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  params: string[];
  authorization: string;
  accept: string;
  /** the peer's address as text */
  remote: string;
  body: unknown;
}

export interface Reply {
  status?: number;
  body?: unknown;
  /** raw text instead of JSON */
  text?: string;
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
}

function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? 'Status'}`;
}

export function send(res: HttpResponse, reply: Reply): void {
  const status = reply.status ?? 200;
  const payload = reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
  res.cork(() => {
    res.writeStatus(statusLine(status));
    res.writeHeader('content-type', reply.contentType ?? (reply.text === undefined ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8'));
    res.writeHeader('cache-control', 'no-store');
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
export function guardHttp<A extends unknown[]>(logger: Logger, handler: (res: HttpResponse, req: HttpRequest, ...rest: A) => void | Promise<void>): (res: HttpResponse, req: HttpRequest, ...rest: A) => void {
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
    const retry = err.details && typeof err.details === 'object' && 'retryAfterMs' in err.details ? Number((err.details as { retryAfterMs: unknown }).retryAfterMs) : undefined;
    return { status: err.status, body: err.toBody(), ...(retry === undefined ? {} : { headers: { 'retry-after': String(Math.max(1, Math.ceil(retry / 1000))) } }) };
  }
  logger.error({ err }, 'unhandled error in request');
  const internal = new HuntError('INTERNAL');
  return { status: internal.status, body: internal.toBody() };
}

/** Parses a body with a zod schema; a mismatch is VALIDATION_FAILED with the issues as details. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new HuntError('VALIDATION_FAILED', `the body does not match its schema: ${describeIssues(parsed.error.issues)}`, parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.map((p) => String(p).slice(0, 32)).join('.'), message: i.code === 'unrecognized_keys' ? 'unrecognized key' : i.message.slice(0, 120) })));
  }
  return parsed.data;
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
  return JSON.parse(text) as unknown;
}

/** Registers a route whose handler gets a plain, copied request and returns a reply. */
export function route(ctx: HttpContext, method: Method, pattern: string, handler: Handler): void {
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
        remote: Buffer.from(res.getRemoteAddressAsText()).toString(),
        body: undefined,
      };
      let reply: Reply;
      try {
        if (ctx.closing()) throw new HuntError('SHUTTING_DOWN');
        request.params = rawParams.map(decodeParam);
        if (withBody) {
          const raw = await readBody(res, ctx.maxBodyBytes(), state);
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
      }
      sendOnce(res, reply, state);
    }),
  );
}
