/**
 * The browser pages' scripts: bundled with esbuild from `client/pages/*.ts` when the node runs
 * from its sources, or read as `npm run build` bundled them (`dist/client/pages/assets/`) when
 * it runs from `dist/`, where there are no TypeScript sources to bundle.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { build } from 'esbuild';

/** The pages' folder beside this module's folder: `client/pages/` from sources, `dist/client/pages/` when built. */
export const PAGES_DIR = new URL('../client/pages/', import.meta.url);
/** Where a build keeps the bundled scripts, inside the built pages' folder. */
export const PREBUILT_DIR = 'assets/';

export interface PageScript {
  /** file name, e.g. `player.js` */
  name: string;
  contents: Uint8Array;
}

/** Bundles the pages' entry points found in `dir` (the player app and the console). */
export async function bundlePageScripts(dir: URL = PAGES_DIR): Promise<PageScript[]> {
  const out = await build({
    entryPoints: { player: new URL('player.ts', dir).pathname, gm: new URL('gm.ts', dir).pathname },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    sourcemap: false,
    write: false,
    outdir: '/assets',
    logLevel: 'silent',
  });
  return out.outputFiles.map((f) => ({ name: f.path.slice(f.path.lastIndexOf('/') + 1), contents: f.contents }));
}

/** The scripts to serve: bundled now from sources, else the build's. */
export async function pageScripts(): Promise<PageScript[]> {
  if (existsSync(new URL('player.ts', PAGES_DIR))) return bundlePageScripts();
  const prebuilt = new URL(PREBUILT_DIR, PAGES_DIR);
  if (!existsSync(prebuilt))
    throw new Error(
      `no page sources in ${PAGES_DIR.pathname} and no bundled pages in ${prebuilt.pathname}: run npm run build`,
    );
  const names = (await readdir(prebuilt)).filter((n) => n.endsWith('.js')).sort();
  return Promise.all(names.map(async (name) => ({ name, contents: await readFile(new URL(name, prebuilt)) })));
}
