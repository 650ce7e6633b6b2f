/**
 * The native transport: uWebSockets.js's own addon, loaded straight from the package's
 * `binaries/` folder. The package's entry point is never required: where its addon does not
 * load it prints several lines and switches silently to a slow shim of its own, which is
 * neither this project's fallback nor tested here. Only the native addon exports `getParts`
 * and `SSLApp`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Uws from 'uWebSockets.js';
import type { App, ListenHandle, Transport } from './types.js';

export type UwsModule = typeof Uws;

/** The package the native build comes from, as installed (see package.json's `uWebSockets.js` alias). */
export interface UwsPackage {
  name: string;
  version: string;
  /** the addon this process would need: binaries/uws_<platform>_<arch>_<ABI>.node */
  binary: string;
  /** Node.js ABI versions (process.versions.modules) the package ships an addon for, on this platform */
  abis: number[];
}

export class UwsUnavailableError extends Error {
  constructor(
    readonly reason: string,
    readonly pkg: UwsPackage | null,
  ) {
    super(`uWebSockets.js native addon is not loaded: ${reason}`);
    this.name = 'UwsUnavailableError';
  }
}

/** Node.js major versions by ABI, for saying which runtime a build is for. */
export const NODE_OF_ABI: Readonly<Record<number, number>> = {
  93: 16,
  108: 18,
  115: 20,
  127: 22,
  131: 23,
  137: 24,
  141: 25,
};

export function uwsPackage(): UwsPackage | null {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('uWebSockets.js/package.json');
  } catch {
    return null;
  }
  const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
  const field = (key: string): string =>
    typeof parsed === 'object' && parsed !== null && key in parsed ? String(Reflect.get(parsed, key)) : '?';
  const dir = join(dirname(manifest), 'binaries');
  const prefix = `uws_${process.platform}_${process.arch}_`;
  let abis: number[] = [];
  try {
    abis = readdirSync(dir)
      .filter((f) => f.startsWith(prefix) && f.endsWith('.node'))
      .map((f) => Number(f.slice(prefix.length, -'.node'.length)))
      .filter((n) => Number.isInteger(n))
      .sort((a, b) => a - b);
  } catch {
    // no binaries folder: abis stays empty
  }
  return {
    name: field('name'),
    version: field('version'),
    binary: join(dir, `${prefix}${process.versions.modules}.node`),
    abis,
  };
}

/** Why `mod` is not uWS's native addon (the package's JavaScript shim, say), or null. */
export function nativeProblem(mod: object): string | null {
  const m = mod as Partial<UwsModule>;
  return typeof m.getParts === 'function' && typeof m.SSLApp === 'function'
    ? null
    : 'getParts/SSLApp missing: not the native addon';
}

let loaded: UwsModule | undefined;

/** The native addon, or UwsUnavailableError saying why it does not load here. */
export function loadNativeUws(): UwsModule {
  if (loaded) return loaded;
  const pkg = uwsPackage();
  if (!pkg) throw new UwsUnavailableError('the uWebSockets.js package is not installed', null);
  if (!existsSync(pkg.binary)) {
    const builds = pkg.abis.map((abi) => String(NODE_OF_ABI[abi] ?? `ABI ${abi}`)).join(', ');
    throw new UwsUnavailableError(
      `${pkg.name}@${pkg.version} has no build for Node.js ${process.versions.node} (ABI ${process.versions.modules}) on ${process.platform}-${process.arch}${builds ? `; it has builds for Node.js ${builds}` : ''}`,
      pkg,
    );
  }
  let mod: Partial<UwsModule>;
  try {
    mod = createRequire(import.meta.url)(pkg.binary) as Partial<UwsModule>;
  } catch (err) {
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw new UwsUnavailableError(`${pkg.name}@${pkg.version}'s build for this Node.js does not load (${first})`, pkg);
  }
  const problem = nativeProblem(mod);
  if (problem) throw new UwsUnavailableError(`${pkg.binary}: ${problem}`, pkg);
  return (loaded = mod as UwsModule);
}

export interface TlsFiles {
  cert: string;
  key: string;
}

/** A transport on the native addon; with `tls`, an SSLApp serving HTTPS and WSS. */
export function uwsTransport(uws: UwsModule, tls?: TlsFiles): Transport {
  let native: Uws.TemplatedApp;
  if (tls) {
    try {
      native = uws.SSLApp({ cert_file_name: tls.cert, key_file_name: tls.key });
    } catch (err) {
      throw new Error(
        `uWebSockets.js could not set up TLS with HUNT_TLS_CERT=${tls.cert} and HUNT_TLS_KEY=${tls.key} (${err instanceof Error ? err.message : String(err)}): check that both are PEM files and the key matches the certificate`,
        { cause: err },
      );
    }
  } else native = uws.App();
  const app: App = native;
  return {
    kind: 'uws',
    scheme: tls ? 'https' : 'http',
    app,
    listen: (host, port) =>
      new Promise<ListenHandle | null>((resolve) =>
        native.listen(host, port, (socket) => {
          if (!socket) return resolve(null);
          let open = true;
          resolve({
            port: uws.us_socket_local_port(socket),
            close: () => {
              if (open) uws.us_listen_socket_close(socket);
              open = false;
            },
          });
        }),
      ),
    // open connections end with the process, as they always have on uWS
    close: () => undefined,
  };
}
