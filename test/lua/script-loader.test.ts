/**
 * The Lua loader: includes declare the keys they use, and a script must take every key its
 * includes use, checked when the script loads (not when a call first reaches the include).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScript } from '../../redis/index.js';
import { includeKeys } from '../../redis/script.js';

const dir = mkdtempSync(join(tmpdir(), 'lua-loader-'));
mkdirSync(join(dir, 'includes'));
const folder = pathToFileURL(`${dir}/`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function files(script: string, include: string): void {
  writeFileSync(join(dir, 'includes', 'touch.lua'), include);
  writeFileSync(join(dir, 'one.lua'), script);
}

describe('loading a script with includes', () => {
  it('takes a script whose --@keys cover what its includes declare, and declares K from them', () => {
    files(
      '--@keys meta board\n--@include touch\nreturn touch()',
      '--@uses board\nlocal function touch() return redis.call("ZCARD", K.board) end',
    );
    const s = loadScript(folder, 'one');
    expect(s.keys).toEqual(['meta', 'board']);
    expect(s.source.startsWith('local K = { meta = KEYS[1], board = KEYS[2] }')).toBe(true);
  });

  it('refuses a script that does not take a key its include uses', () => {
    files(
      '--@keys meta\n--@include touch\nreturn touch()',
      '--@uses board\nlocal function touch() return redis.call("ZCARD", K.board) end',
    );
    expect(() => loadScript(folder, 'one')).toThrow(
      /script one includes touch, which uses keys the script's --@keys line does not name: board/,
    );
  });

  it('refuses a script that does not take a key its include uses without declaring it', () => {
    files(
      '--@keys meta\n--@include touch\nreturn touch()',
      '--@uses meta\nlocal function touch() return redis.call("ZCARD", K.board) end',
    );
    expect(() => loadScript(folder, 'one')).toThrow(/does not name: board/);
  });
});

describe('the scripts of the tree', () => {
  it('each include declares the keys it uses', () => {
    const at = new URL('../../rooms/lua/includes/', import.meta.url).pathname;
    for (const file of readdirSync(at).filter((f) => f.endsWith('.lua'))) {
      const { declared, used } = includeKeys(readFileSync(join(at, file), 'utf8'));
      expect(declared?.slice().sort(), file).toEqual(used.sort());
    }
  });

  it('each opens with its header: --@keys, what ARGV holds, and what it returns', () => {
    for (const folderPath of ['../../rooms/lua/', '../../config/lua/']) {
      const at = new URL(folderPath, import.meta.url).pathname;
      for (const file of readdirSync(at).filter((f) => f.endsWith('.lua'))) {
        const text = readFileSync(join(at, file), 'utf8');
        const header = text.slice(0, text.search(/^[^-]/m));
        expect(header, file).toMatch(/^--@keys /);
        expect(header, file).toMatch(/ARGV/);
        expect(header, file).toMatch(/Returns|Reply \(/);
      }
    }
  });
});
