/**
 * A player's hunt in Chromium, on a phone and a desktop: the waiting screen before launch; hints
 * taken with a confirmation; a puzzle of every generated type solved through its view; a reload,
 * a dropped connection across a pause and a server restart, after each of which every hint,
 * every solved state and the right status are back; an answer typed while the server is down
 * scored once when it returns; the end screen with inputs closed.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from './helpers.js';
import {
  DESKTOP,
  enterAnswer,
  expectSolved,
  joinAs,
  launchBrowser,
  newPage,
  openPuzzle,
  PHONE,
  shot,
  startProxy,
  status,
  stopNode,
} from './browser-kit.js';

const TYPES = ['sudoku', 'nonogram', 'maze', 'sliding', 'cipher', 'anagram'] as const;
const ROLES: ('front' | 'shard' | 'worker')[] = ['front', 'shard', 'worker'];

describe('the player app', () => {
  let c: Cluster;
  let browser: Browser;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  beforeAll(async () => {
    c = await startCluster([ROLES]);
    proxy = await startProxy(c.nodes[0]!.port);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await c?.close();
  });

  const drop = (page: Page, holdMs: number): Promise<void> =>
    page.evaluate(
      (ms) => (globalThis as unknown as { huntDebug: { drop(ms: number): void } }).huntDebug.drop(ms),
      holdMs,
    );
  const hintTexts = (page: Page): Promise<string[]> => page.locator('#hints li').allInnerTexts();

  it('keeps every hint, solve and status across reloads, a pause, a server restart and the end', async () => {
    // p1..p6: one easy puzzle of each generated type; p7: a cipher left unsolved, for hints
    const { id: hunt } = await c.gm().createHunt({
      name: 'Every type',
      puzzles: [
        ...TYPES.map((type) => ({ type, difficulty: 'easy' as const })),
        { type: 'cipher', difficulty: 'medium' },
      ],
    });
    await c.gm().waitReady(hunt, 60_000);
    const key = new Map((await c.gm().answers(hunt)).answers.map((a) => [a.puzzle, a.answer]));

    // before the launch: the waiting screen, no puzzles to work on
    const ann = await newPage(browser, PHONE);
    await joinAs(ann, proxy.url, hunt, 'Ann');
    // the welcome says the hunt is ready: until then the page shows that it is joining, not waiting
    await ann.locator('#status[data-hunt=ready]').waitFor();
    expect(await ann.locator('#waiting h2').innerText()).toBe('Waiting for the start');
    expect(await ann.locator('#status').innerText()).toBe('Waiting for the start');
    expect(await ann.locator('[data-puzzle]').count()).toBe(0);
    await shot(ann, 'player-phone-waiting');
    await c.gm().lifecycle(hunt, 'launch');
    await ann.locator('button[data-puzzle=p7]').waitFor({ timeout: 10_000 });
    expect(await ann.locator('#status').innerText()).toBe('Live');
    expect(await ann.locator('button[data-puzzle=p3]').innerText()).toContain('3 · Maze (easy)');

    // two hints on p7, each asked for with its cost before it is charged
    await openPuzzle(ann, 'p7');
    const before = await ann.locator('#hint').innerText();
    expect(before).toMatch(/^Take a hint \(\d+ pts · \d+ left\)$/);
    await ann.click('#hint');
    expect(await ann.locator('#hint-confirm').innerText()).toMatch(/costs \d+ points/);
    await ann.click('#hint-no');
    expect(await ann.locator('#hints li').count()).toBe(0);
    for (let i = 1; i <= 2; i++) {
      await ann.click('#hint');
      await ann.click('#hint-yes');
      await expect.poll(() => ann.locator('#hints li').count()).toBe(i);
    }
    const hints = await hintTexts(ann);
    const left = Number(/(\d+) left/.exec(before)![1]);
    expect(await ann.locator('#hint').innerText()).toContain(`${left - 2} left`);

    // one puzzle of every type solved through its view
    for (const [i, type] of TYPES.entries()) {
      const puzzle = `p${i + 1}`;
      await openPuzzle(ann, puzzle);
      await enterAnswer(ann, type, key.get(puzzle)!);
      await expect
        .poll(() => ann.locator('#feedback').innerText(), { timeout: 15_000 })
        .toMatch(/^Correct! \+\d+ points\.$/);
      await expectSolved(ann, type, key.get(puzzle)!);
    }
    await openPuzzle(ann, 'p1');
    await shot(ann, 'player-phone-solved');
    const scored = (await c.gm().leaderboard(hunt, 5)).entries[0]!.score;

    const everythingBack = async (page: Page, want: string): Promise<void> => {
      await expect.poll(() => status(page), { timeout: 15_000 }).toBe(want);
      for (const [i, type] of TYPES.entries()) {
        await openPuzzle(page, `p${i + 1}`);
        await expectSolved(page, type, key.get(`p${i + 1}`)!);
      }
      await openPuzzle(page, 'p7');
      expect(await hintTexts(page)).toEqual(hints);
    };

    // a reload brings it all back from the server
    await ann.reload();
    await everythingBack(ann, 'live');

    // the game master pauses while Ann's connection is down: she sees it when she is back
    await drop(ann, 2000);
    await expect.poll(() => ann.locator('#status').getAttribute('data-conn')).toBe('reconnecting');
    await c.gm().lifecycle(hunt, 'pause');
    await expect.poll(() => status(ann), { timeout: 15_000 }).toBe('paused');
    expect(await ann.locator('#status').innerText()).toBe('Paused');
    expect(await ann.locator('#banner').innerText()).toContain('paused');
    await openPuzzle(ann, 'p7');
    expect(await ann.locator('#answer').isDisabled()).toBe(true);
    expect(await ann.locator('#hint').isDisabled()).toBe(true);
    await ann.reload();
    await everythingBack(ann, 'paused');
    await c.gm().lifecycle(hunt, 'resume');
    await expect.poll(() => status(ann), { timeout: 10_000 }).toBe('live');

    // the server goes down; Ann answers p7 meanwhile; it is kept and scored once it is back
    proxy.retarget(null);
    const node = await stopNode(c, 0, ROLES);
    await expect.poll(() => ann.locator('#status').getAttribute('data-conn'), { timeout: 10_000 }).not.toBe('open');
    await openPuzzle(ann, 'p7');
    await ann.fill('#answer', key.get('p7')!);
    await ann.click('#submit');
    // the click's handler writes these on its own turn: polled, not read once right after the click
    await expect
      .poll(() => ann.locator('#feedback').innerText(), { timeout: 10_000 })
      .toBe('Saved on this device: it will be sent when the connection is back.');
    await expect.poll(() => ann.locator('#status').innerText(), { timeout: 10_000 }).toMatch(/1 answer waiting$/);
    // each reconnect attempt draws the puzzle again: the line still says the answer is kept
    await ann.evaluate(() => {
      const page = globalThis as unknown as {
        redraws: number;
        document: { getElementById(id: string): unknown };
        MutationObserver: new (seen: () => void) => { observe(el: unknown, what: { childList: boolean }): void };
      };
      page.redraws = 0;
      new page.MutationObserver(() => page.redraws++).observe(page.document.getElementById('detail'), {
        childList: true,
      });
    });
    await expect
      .poll(() => ann.evaluate(() => (globalThis as unknown as { redraws: number }).redraws), { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(await ann.locator('#feedback').innerText()).toBe(
      'Saved on this device: it will be sent when the connection is back.',
    );
    await shot(ann, 'player-phone-offline');
    proxy.retarget(await node.start());
    await expect
      .poll(() => ann.locator('#feedback').innerText(), { timeout: 20_000 })
      .toMatch(/^Correct! \+\d+ points\.$/);
    await expect
      .poll(async () => (await c.gm().leaderboard(hunt, 5)).entries[0]!.score, { timeout: 10_000 })
      .toBeGreaterThan(scored);
    const afterRestart = (await c.gm().leaderboard(hunt, 5)).entries[0]!.score;
    const exported = await c
      .gm()
      .request<{ events: { k: string; puzzle?: string }[] }>('GET', `/api/hunts/${hunt}/export`);
    expect(exported.events.filter((e) => e.k === 'solve' && e.puzzle === 'p7')).toHaveLength(1);
    await everythingBack(ann, 'live');
    await expectSolved(ann, 'cipher', key.get('p7')!);
    // hints of a solved puzzle stay readable
    expect(await hintTexts(ann)).toEqual(hints);

    // the end: final results, answers closed, the puzzles still there to look at
    const bob = await newPage(browser, DESKTOP);
    await joinAs(bob, proxy.url, hunt, 'Bob');
    await c.gm().lifecycle(hunt, 'end');
    for (const page of [ann, bob]) {
      await page.locator('#results').waitFor({ timeout: 10_000 });
      expect(await page.locator('#status').innerText()).toBe('Ended');
    }
    expect(await ann.locator('#final').innerText()).toBe(`You finished #1 of 2 with ${afterRestart} points.`);
    await openPuzzle(bob, 'p5');
    expect(await bob.locator('#answer').isDisabled()).toBe(true);
    expect(await bob.locator('#closed-note').innerText()).toContain('over');
    await shot(bob, 'player-desktop-ended');
    await ann.reload();
    await ann.locator('#results').waitFor();
  });
});
