/**
 * What the browser tests share: Debian's Chromium through playwright-core, screenshots in
 * test-artifacts/, signing in to the console, joining as a player, solving a puzzle of each
 * generated type through its view, and restarting a node behind a fixed address (the pages stay
 * on their origin and reconnect by themselves).
 */
import { mkdirSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createLogger, createNode } from '../server/index.js';
import { GM_KEY, redisUrl, ROOT, type Cluster } from './helpers.js';

export const ARTIFACTS = `${ROOT}test-artifacts`;
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const NARROW = { width: 320, height: 640 };

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export const shot = (page: Page, name: string): Promise<Buffer> =>
  page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });

export async function newPage(browser: Browser, viewport: { width: number; height: number }): Promise<Page> {
  return (await browser.newContext({ viewport })).newPage();
}

export async function gmSignIn(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/gm`);
  await page.fill('#gm-key', GM_KEY);
  await page.click('button[type=submit]');
  await page.locator('#new-hunt').waitFor();
}

/** Joins from the hunt's link; resolves once the page is connected. */
export async function joinAs(page: Page, url: string, hunt: string, name: string): Promise<void> {
  await page.goto(`${url}/?hunt=${encodeURIComponent(hunt)}`);
  await page.fill('input[name=name]', name);
  await page.click('button[type=submit]');
  await expect.poll(() => page.locator('#status').getAttribute('data-conn'), { timeout: 10_000 }).toBe('open');
}

export const status = (page: Page): Promise<string | null> => page.locator('#status').getAttribute('data-hunt');

export async function openPuzzle(page: Page, puzzle: string): Promise<void> {
  await page.click(`button[data-puzzle=${puzzle}]`);
  await page.locator('#detail h2').waitFor();
}

const ARROW: Record<string, string> = { U: 'ArrowUp', D: 'ArrowDown', L: 'ArrowLeft', R: 'ArrowRight' };

/** Enters `answer` through the view of a puzzle of `type` (the open one) and sends it. */
export async function enterAnswer(page: Page, type: string, answer: string): Promise<void> {
  switch (type) {
    case 'sudoku': {
      const cells = page.locator('#sudoku input');
      for (let i = 0; i < 81; i++) if (await cells.nth(i).isEnabled()) await cells.nth(i).fill(answer[i]!);
      await page.click('#submit');
      return;
    }
    case 'nonogram': {
      const flat = answer.split('/').join('');
      for (let i = 0; i < flat.length; i++) if (flat[i] === '#') await page.click(`#nonogram button[data-cell="${i}"]`);
      await page.click('#submit');
      return;
    }
    case 'maze':
    case 'sliding': {
      await page.focus(type === 'maze' ? '#maze' : '#tiles');
      for (const move of answer) await page.keyboard.press(ARROW[move]!);
      return;
    }
    default:
      await page.fill('#answer', answer);
      await page.click('#submit');
  }
}

/** Checks the open puzzle shows its solved state: the answer in place and nothing to press. */
export async function expectSolved(page: Page, type: string, answer: string): Promise<void> {
  await page.locator('#solved-note').waitFor({ timeout: 10_000 });
  switch (type) {
    case 'sudoku': {
      const values = await page
        .locator('#sudoku input')
        .evaluateAll((els) =>
          els.map(
            (e) =>
              [(e as unknown as { value: string }).value, (e as unknown as { disabled: boolean }).disabled] as const,
          ),
        );
      expect(values.map((v) => v[0]).join('')).toBe(answer);
      expect(values.every((v) => v[1])).toBe(true);
      break;
    }
    case 'nonogram': {
      const painted = await page
        .locator('#nonogram button.cell')
        .evaluateAll((els) => els.map((e) => (e.classList.contains('on') ? '#' : '.')).join(''));
      expect(painted).toBe(answer.split('/').join(''));
      break;
    }
    case 'maze':
      expect(await page.locator('#maze .me.goal').count()).toBe(1);
      expect(await page.locator('button', { hasText: 'Start over' }).isDisabled()).toBe(true);
      break;
    case 'sliding': {
      const tiles = await page
        .locator('#tiles button')
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-tile'))));
      expect(tiles).toEqual([...tiles.slice(0, -1).map((_, i) => i + 1), 0]);
      expect(await page.locator('button', { hasText: 'Start over' }).isDisabled()).toBe(true);
      break;
    }
    default:
      expect(await page.locator('#answer').inputValue()).toBe(answer);
      expect(await page.locator('#answer').isDisabled()).toBe(true);
  }
  expect(
    (await page.locator('#detail #submit').count()) === 0 || (await page.locator('#detail #submit').isDisabled()),
  ).toBe(true);
}

/**
 * A fixed address in front of a node, as a load balancer gives: the pages keep their origin
 * while the node behind it is stopped and a new one started (a node's own port cannot be had
 * again at once: its closed connections hold it for a while).
 */
export async function startProxy(
  target: number,
): Promise<{ url: string; retarget(port: number | null): void; close(): Promise<void> }> {
  let to: number | null = target;
  const open = new Set<Socket>();
  const server = createServer((inbound) => {
    if (to === null) return void inbound.destroy();
    const outbound = connect(to, '127.0.0.1');
    for (const s of [inbound, outbound]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    inbound.pipe(outbound).pipe(inbound);
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    retarget: (next) => {
      to = next;
      // the connections to the old node go with it
      if (next === null) for (const s of open) s.destroy();
    },
    close: () => {
      for (const s of open) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Closes node `i` (the server going down); `start()` brings up a new one with the same roles. */
export async function stopNode(
  c: Cluster,
  i: number,
  roles: ('front' | 'shard' | 'worker')[],
): Promise<{ start(): Promise<number> }> {
  await c.nodes[i]!.close();
  return {
    start: async () => {
      const node = await createNode({
        redisUrl: redisUrl(),
        port: 0,
        host: '127.0.0.1',
        roles,
        prefix: c.prefix,
        gmKey: GM_KEY,
        logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
      });
      c.nodes[i] = node;
      return node.port;
    },
  };
}
