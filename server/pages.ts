/**
 * The browser pages: the player app at `/` and the game-master console at `/gm`. Their
 * TypeScript is bundled with esbuild when the node starts, or by `npm run build` for `dist/`
 * (page-scripts.ts; nothing comes from a CDN), and
 * served from memory with content types, ETags and caching: HTML is revalidated, assets are
 * versioned by hash and cached for a year.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Logger } from 'pino';
import type { App, HttpRequest, HttpResponse } from './transport/index.js';
import { COMMON_HEADERS, guardHttp, PAGE_HEADERS } from './http.js';
import { pageScripts, PAGES_DIR } from './page-scripts.js';

/** OpenStreetMap's tile server: the console's maps use it unless the operator sets another. */
export const DEFAULT_MAP_TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

export interface PagesOptions {
  /**
   * Tile URL template for the console's maps (`{z}/{x}/{y}`), `none` for a plain background.
   * @default DEFAULT_MAP_TILES
   */
  mapTiles?: string | undefined;
}

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
  cache: string;
}

function asset(body: Buffer | string, type: string, cache: string): Asset {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return { body: buf, type, cache, etag: `"${createHash('sha1').update(buf).digest('base64url').slice(0, 16)}"` };
}

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Bundles the pages; returns path -> asset. */
export async function buildPages(options: PagesOptions = {}): Promise<Map<string, Asset>> {
  const scripts = await pageScripts();
  const assets = new Map<string, Asset>();
  const versions = new Map<string, string>();
  const immutable = 'public, max-age=31536000, immutable';
  for (const file of scripts) {
    const { name } = file;
    const a = asset(Buffer.from(file.contents), 'text/javascript; charset=utf-8', immutable);
    assets.set(`/assets/${name}`, a);
    versions.set(name, a.etag.slice(1, 9));
  }
  const css = asset(await readFile(new URL('style.css', PAGES_DIR)), 'text/css; charset=utf-8', immutable);
  assets.set('/assets/style.css', css);
  versions.set('style.css', css.etag.slice(1, 9));
  // Leaflet's own stylesheet for the console's maps (its markers here are vector shapes, so no images)
  const leaflet = asset(
    await readFile(createRequire(import.meta.url).resolve('leaflet/dist/leaflet.css')),
    'text/css; charset=utf-8',
    immutable,
  );
  assets.set('/assets/leaflet.css', leaflet);
  versions.set('leaflet.css', leaflet.etag.slice(1, 9));
  // one icon for every page, so no first visit logs a 404 for /favicon.ico
  const icon = asset(await readFile(new URL('favicon.svg', PAGES_DIR)), 'image/svg+xml', 'public, max-age=86400');
  assets.set('/favicon.svg', icon);
  assets.set('/favicon.ico', icon);
  for (const [route, file] of [
    ['/', 'player.html'],
    ['/gm', 'gm.html'],
  ] as const) {
    let html = await readFile(new URL(file, PAGES_DIR), 'utf8');
    html = html.replace(/\/assets\/([\w.]+)/g, (whole, name: string) =>
      versions.has(name) ? `${whole}?v=${versions.get(name)}` : whole,
    );
    html = html.replace(
      '<meta name="map-tiles" content="">',
      `<meta name="map-tiles" content="${attribute(options.mapTiles ?? DEFAULT_MAP_TILES)}">`,
    );
    assets.set(route, asset(html, 'text/html; charset=utf-8', 'no-cache'));
  }
  return assets;
}

/** Serves the built pages on the app. */
export function servePages(app: App, assets: Map<string, Asset>, closing: () => boolean, logger: Logger): void {
  const handler = (res: HttpResponse, req: HttpRequest): void => {
    const path = req.getUrl();
    const etag = req.getHeader('if-none-match');
    const a = assets.get(path === '/index.html' ? '/' : path);
    res.cork(() => {
      const headers = (): void => {
        for (const [name, value] of COMMON_HEADERS) res.writeHeader(name, value);
        if (a?.type.startsWith('text/html')) for (const [name, value] of PAGE_HEADERS) res.writeHeader(name, value);
      };
      if (closing()) {
        res.writeStatus('503 Service Unavailable');
        headers();
        res.end();
      } else if (!a) {
        res.writeStatus('404 Not Found').writeHeader('content-type', 'text/plain; charset=utf-8');
        headers();
        res.end('not found');
      } else if (etag === a.etag) {
        res.writeStatus('304 Not Modified').writeHeader('etag', a.etag).writeHeader('cache-control', a.cache);
        headers();
        res.endWithoutBody();
      } else {
        res.writeHeader('content-type', a.type).writeHeader('etag', a.etag).writeHeader('cache-control', a.cache);
        headers();
        res.end(a.body);
      }
    });
  };
  for (const path of ['/', '/index.html', '/gm', '/favicon.ico', '/favicon.svg', '/assets/:file'])
    app.get(path, guardHttp(logger, handler));
}
