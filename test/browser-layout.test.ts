/**
 * The player app on a 320 px screen: every generated puzzle, hard ones included, fits or scrolls
 * inside its own frame and never widens the page; with many puzzles, each is numbered and
 * titled apart from the others, and the one tapped at the bottom of the list opens in view.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from './helpers.js';
import { joinAs, launchBrowser, NARROW, newPage, openPuzzle, shot } from './browser-kit.js';

describe('the player app at 320 px', () => {
  let c: Cluster;
  let browser: Browser;
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker']]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await c?.close();
  });

  /** How far the page itself scrolls sideways (0: nothing sticks out of it). */
  const pageOverflow = (page: Page): Promise<number> =>
    page.evaluate(() => {
      const root = (
        globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
      ).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });

  it('fits every puzzle, tells them apart, and opens the tapped one in view', async () => {
    const hard = (['sudoku', 'nonogram', 'maze', 'sliding', 'cipher', 'anagram'] as const).map((type) => ({
      type,
      difficulty: 'hard' as const,
    }));
    const many = Array.from({ length: 18 }, (_, i) => ({
      type: 'anagram' as const,
      difficulty: (['easy', 'medium'] as const)[i % 2]!,
    }));
    const { id: hunt } = await c.gm().createHunt({ name: 'Narrow', puzzles: [...hard, ...many] });
    expect((await c.gm().waitReady(hunt, 120_000)).status).toBe('ready');
    await c.gm().lifecycle(hunt, 'launch');
    const page = await newPage(browser, NARROW);
    await joinAs(page, c.url(), hunt, 'Tiny');
    await page.locator('[data-puzzle=p24]').waitFor();

    for (const [i, id] of ['sudoku', 'nonogram', 'maze', 'sliding', 'cipher', 'anagram'].map(
      (t, i) => [i, `p${i + 1}`, t] as const,
    )) {
      await openPuzzle(page, id);
      expect(await pageOverflow(page), `${id} widens the page`).toBe(0);
      // the board itself is in reach: inside the frame, or the frame scrolls to it
      const reach = await page.locator('#detail fieldset.puzzle-frame').evaluate((f) => ({
        fits: f.scrollWidth <= f.clientWidth,
        scrolls:
          (globalThis as unknown as { getComputedStyle(e: unknown): { overflowX: string } }).getComputedStyle(f)
            .overflowX === 'auto',
      }));
      expect(reach.fits || reach.scrolls, `${id} cannot be reached`).toBe(true);
      if (i === 2) await shot(page, 'player-narrow-maze');
    }
    // the hard maze fits whole, its goal column included: no scrolling needed to walk it
    await openPuzzle(page, 'p3');
    const maze = await page.locator('#maze').boundingBox();
    expect(maze!.x + maze!.width).toBeLessThanOrEqual(320);
    const goal = await page.locator('#maze .goal').boundingBox();
    expect(goal!.x + goal!.width).toBeLessThanOrEqual(320);

    // 24 puzzles, each named apart
    const names = await page.locator('[data-puzzle] span:first-child').allInnerTexts();
    expect(names).toHaveLength(24);
    expect(new Set(names).size).toBe(24);
    expect(names[23]).toMatch(/^24 · /);

    // the last one, tapped far down the list, opens where it can be seen
    await page.locator('[data-puzzle=p24]').scrollIntoViewIfNeeded();
    await page.click('[data-puzzle=p24]');
    await expect.poll(() => page.locator('#detail h2').innerText()).toContain('24 ·');
    const top = await page.locator('#detail h2').evaluate((el) => el.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(640);
  });
});
