/**
 * Which transport a node serves through: the native uWebSockets.js build where it loads,
 * else the `ws` fallback with one warning line (which build is missing, what it costs, how
 * to get the fast one). `HUNT_TRANSPORT` (`auto`, `uws`, `ws`) forces one.
 */
import type { Logger } from 'pino';
import { loadNativeUws, NODE_OF_ABI, UwsUnavailableError, uwsTransport, type TlsFiles } from './uws.js';
import { wsTransport } from './ws-app.js';
import type { Transport } from './types.js';

export type {
  App,
  HttpRequest,
  HttpResponse,
  ListenHandle,
  Transport,
  TransportKind,
  UpgradeContext,
  WebSocket,
  WebSocketBehavior,
} from './types.js';
export {
  loadNativeUws,
  nativeProblem,
  uwsPackage,
  UwsUnavailableError,
  type TlsFiles,
  type UwsModule,
  type UwsPackage,
} from './uws.js';

export const TRANSPORT_CHOICES = ['auto', 'uws', 'ws'] as const;
export type TransportChoice = (typeof TRANSPORT_CHOICES)[number];

/**
 * What the fallback costs, measured with `npm run bench:transport` on this project's 2-core box
 * (docs/benchmarks.md, "Transports"): said in the warning line.
 */
export const FALLBACK_COST =
  'about 2.3-2.5x the server CPU per WebSocket message and some 15 KiB more memory per connection (npm run bench:transport)';

/** Why TLS cannot be served, or why the node stops: one line, said at start. */
export class TransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransportError';
  }
}

function howToGetNative(err: UwsUnavailableError): string {
  const nodes = (err.pkg?.abis ?? []).map((abi) => NODE_OF_ABI[abi]).filter((n): n is number => n !== undefined);
  const newest = nodes.at(-1);
  return newest === undefined
    ? 'use a platform that uWebSockets.js has a build for'
    : `run it on Node.js ${newest}, the newest Node.js that ${err.pkg?.name ?? 'the package'} has a build for`;
}

export interface OpenTransportOptions {
  /** @default 'auto' */
  choice?: TransportChoice;
  /** serve HTTPS and WSS (native build only) */
  tls?: TlsFiles;
  logger: Logger;
}

/** The transport to serve through; throws TransportError when the choice cannot be had. */
export function openTransport(options: OpenTransportOptions): Transport {
  const choice = options.choice ?? 'auto';
  if (choice === 'ws') {
    if (options.tls)
      throw new TransportError(
        'HUNT_TLS_CERT/HUNT_TLS_KEY: TLS needs the native uWebSockets.js transport, and HUNT_TRANSPORT=ws asks for the fallback; unset HUNT_TRANSPORT, or serve TLS from a reverse proxy (docs/operations.md#tls-and-a-reverse-proxy)',
      );
    return wsTransport();
  }
  let native;
  try {
    native = loadNativeUws();
  } catch (err) {
    if (!(err instanceof UwsUnavailableError)) throw err;
    if (choice === 'uws') throw new TransportError(`HUNT_TRANSPORT=uws: ${err.reason}; ${howToGetNative(err)}`);
    if (options.tls)
      throw new TransportError(
        `HUNT_TLS_CERT/HUNT_TLS_KEY: TLS needs the native uWebSockets.js build, which does not load here (${err.reason}); ${howToGetNative(err)}, or serve TLS from a reverse proxy (docs/operations.md#tls-and-a-reverse-proxy)`,
      );
    options.logger.warn(
      { transport: 'ws', missing: err.pkg?.binary },
      `uWebSockets.js: ${err.reason}. Serving on the ws fallback transport: ${FALLBACK_COST}. For the fast one, ${howToGetNative(err)}.`,
    );
    return wsTransport();
  }
  try {
    return uwsTransport(native, options.tls);
  } catch (err) {
    throw new TransportError(err instanceof Error ? err.message : String(err));
  }
}
