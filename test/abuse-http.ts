/** Raw HTTP for the abuse tests: any method, headers and body, from a chosen local address. */
import { Agent, request } from 'node:http';

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** the body as JSON, or undefined when it is not JSON */
  json: unknown;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  /** a string is sent as is; anything else as JSON */
  body?: unknown;
  /** the client socket's own address (127.0.0.2 to join from "another machine") */
  localAddress?: string;
  agent?: Agent;
}

export function raw(base: string, path: string, opts: RawRequest = {}): Promise<RawReply> {
  const url = new URL(path, base);
  const payload =
    opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: opts.method ?? 'GET',
        headers: {
          ...(payload === undefined ? {} : { 'content-length': String(Buffer.byteLength(payload)) }),
          ...opts.headers,
        },
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
        ...(opts.agent ? { agent: opts.agent } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text) as unknown;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A join as the player page sends it (JSON, no key), from `localAddress`. */
export function joinAs(
  base: string,
  hunt: string,
  body: unknown,
  opts: Omit<RawRequest, 'body' | 'method'> = {},
): Promise<RawReply> {
  return raw(base, `/api/hunts/${hunt}/players`, {
    ...opts,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...opts.headers },
  });
}

/** The error code of a contract error body, or undefined. */
export function codeOf(reply: RawReply): string | undefined {
  const body = reply.json as { error?: { code?: unknown } } | undefined;
  return typeof body?.error?.code === 'string' ? body.error.code : undefined;
}
