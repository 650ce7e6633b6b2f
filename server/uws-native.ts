/**
 * Loads uWebSockets.js and refuses the `ws` fallback that the package silently switches to
 * when its native addon fails to load. Only the native addon exports `getParts` and
 * `SSLApp`, and only it is loaded from the package's `binaries/` folder.
 */
import { createRequire } from 'node:module';
import type * as Uws from 'uWebSockets.js';

export type UwsModule = typeof Uws;

export class UwsFallbackError extends Error {
  constructor(reason: string) {
    super(`uWebSockets.js native addon is not loaded (${reason}); refusing to run on the slow ws fallback. Unset UWS_USE_FALLBACK and use Node.js 20 on glibc Linux x64.`);
    this.name = 'UwsFallbackError';
  }
}

export function loadNativeUws(): UwsModule {
  const require = createRequire(import.meta.url);
  const mod = require('uWebSockets.js') as Partial<UwsModule> & Record<string, unknown>;
  if (typeof mod.getParts !== 'function' || typeof mod.SSLApp !== 'function') throw new UwsFallbackError('getParts/SSLApp missing');
  const addon = Object.keys(require.cache).some((file) => /[\\/]binaries[\\/]uws_[^\\/]+\.node$/.test(file));
  if (!addon) throw new UwsFallbackError('no addon from binaries/ in the module cache');
  return mod as UwsModule;
}
