#!/usr/bin/env -S node --single-threaded-gc
// The `hunt` command: the compiled CLI in dist/ once `npm run build` made it (run the build again
// after changing the sources), else the TypeScript sources through tsx's loader.
import { existsSync } from 'node:fs';

const built = new URL('../dist/server/cli.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../server/cli.ts');
}
