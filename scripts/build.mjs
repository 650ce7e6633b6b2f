// `npm run build`: the server compiled to dist/ for `node dist/server/cli.js start` (no TypeScript
// loader at run time). Each source file becomes one ES module in the same place under dist/
// (esbuild, one file at a time: isolatedModules keeps that exact); the Lua scripts are copied
// beside the modules that load them; the browser pages are bundled once, here, into
// dist/client/pages/assets/ with the HTML, CSS and icon they go with.
// `--outdir <dir>` (inside the repository, so node_modules resolves) builds elsewhere: the tests do.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist' } } });
const DIST = join(ROOT, values.outdir);
/** the folders the server and the `hunt` command run from (load/ ships for `hunt load`; test/ does not) */
const RUNTIME = ['protocol', 'redis', 'config', 'puzzles', 'rooms', 'server', 'client', 'load'];
const PAGES = join(ROOT, 'client', 'pages');

const files = (dir) =>
  readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name));

const started = performance.now();
rmSync(DIST, { recursive: true, force: true });

const sources = RUNTIME.flatMap(files).filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith(PAGES + '/'),
);
await build({
  entryPoints: sources,
  outdir: DIST,
  outbase: ROOT,
  bundle: false,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});

let lua = 0;
for (const file of RUNTIME.flatMap(files).filter((f) => f.endsWith('.lua'))) {
  const to = join(DIST, relative(ROOT, file));
  mkdirSync(dirname(to), { recursive: true });
  cpSync(file, to);
  lua++;
}

// the pages: what server/pages.ts reads beside the scripts, and the scripts bundled
const pagesOut = join(DIST, 'client', 'pages');
for (const file of files('client/pages').filter((f) => !f.endsWith('.ts') && !f.endsWith('tsconfig.json'))) {
  const to = join(pagesOut, relative(PAGES, file));
  mkdirSync(dirname(to), { recursive: true });
  cpSync(file, to);
}
const { bundlePageScripts, PREBUILT_DIR } = await import(pathToFileURL(join(DIST, 'server', 'page-scripts.js')).href);
const scripts = await bundlePageScripts(pathToFileURL(PAGES + '/'));
mkdirSync(join(pagesOut, PREBUILT_DIR), { recursive: true });
for (const s of scripts) writeFileSync(join(pagesOut, PREBUILT_DIR, s.name), s.contents);

if (!existsSync(join(DIST, 'server', 'cli.js'))) throw new Error(`${DIST}/server/cli.js was not written`);
console.log(
  `${relative(ROOT, DIST)}/: ${sources.length} modules, ${lua} Lua scripts, ${scripts.length} page scripts in ${Math.round(performance.now() - started)} ms`,
);
