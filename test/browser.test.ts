/**
 * The pages as a person uses them, in Debian's Chromium: a game master creates and launches a
 * hunt in the console; two players join from the link; one fills a sudoku, the other slides
 * tiles; the board updates live; a paused hunt refuses an answer visibly; a dropped connection
 * comes back by itself with the board up to date. Screenshots go to test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GM_KEY, ROOT, startCluster, until, type Cluster } from './helpers.js';

const ARTIFACTS = `${ROOT}test-artifacts`;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

describe('browser pages', () => {
  let c: Cluster;
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    c = await startCluster([['front', 'shard', 'worker'], ['front']]);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  afterAll(async () => {
    await browser?.close();
    await c?.close();
  });

  const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
  const score = (page: Page, player: string): Promise<string> => page.locator(`#leaderboard tr[data-player="${player}"] .score`).innerText();

  it('runs a hunt from the console to two players and back', async () => {
    // the game master creates a custom hunt: one easy sudoku, one easy sliding puzzle
    const gmPage = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await gmPage.goto(`${c.url()}/gm`);
    await gmPage.fill('#gm-key', GM_KEY);
    await gmPage.click('button[type=submit]');
    await gmPage.fill('#hunt-name', 'Browser hunt');
    await gmPage.selectOption('#template', '');
    const rows = gmPage.locator('#mix .mix-row');
    await rows.nth(1).locator('select').first().selectOption('sliding');
    await rows.nth(1).locator('select').nth(1).selectOption('easy');
    await gmPage.click('#create');
    await expect.poll(() => gmPage.locator('#generation').isVisible()).toBe(true);
    await expect.poll(() => gmPage.locator('#create-status').innerText(), { timeout: 20_000 }).toBe('Ready.');
    const bar = await gmPage.locator('#generation').evaluate((el) => [(el as unknown as { value: number }).value, (el as unknown as { max: number }).max]);
    expect(bar[0]).toBe(bar[1]);
    expect(bar[1]).toBe(2);
    await gmPage.locator('#do-launch').waitFor({ timeout: 5000 });
    await shot(gmPage, 'gm-desktop-ready');
    await gmPage.click('#do-launch');
    await expect.poll(() => gmPage.locator('#status').innerText(), { timeout: 5000 }).toBe('live');
    const link = await gmPage.locator('#join-link').getAttribute('href');
    expect(link).toMatch(/\/\?hunt=/);
    const hunt = new URL(link!).searchParams.get('hunt')!;
    const key = new Map((await c.gm().answers(hunt)).answers.map((a) => [a.puzzle, a.answer]));

    // two players in two browser contexts, one on a phone-sized screen
    const join = async (name: string, viewport: { width: number; height: number }): Promise<Page> => {
      const page = await (await browser.newContext({ viewport })).newPage();
      await page.goto(link!);
      await page.fill('input[name=name]', name);
      await page.click('button[type=submit]');
      await expect.poll(() => page.locator('#status').getAttribute('data-conn'), { timeout: 5000 }).toBe('open');
      return page;
    };
    const alice = await join('Alice', DESKTOP);
    const bob = await join('Bob', PHONE);
    const alicePlayer = (await c.gm().leaderboard(hunt, 10)).entries.find((e) => e.name === 'Alice')!.player;

    // Alice fills the sudoku through its grid
    await alice.click('button[data-puzzle=p1]');
    const answer = key.get('p1')!;
    const cells = alice.locator('#sudoku input');
    for (let i = 0; i < 81; i++) {
      const cell = cells.nth(i);
      if (await cell.isEnabled()) await cell.fill(answer[i]!);
    }
    await shot(alice, 'player-desktop-sudoku');
    await alice.click('#submit');
    await expect.poll(() => alice.locator('#feedback').innerText()).toMatch(/^Correct! \+\d+ points\.$/);
    const aliceScore = (await c.gm().leaderboard(hunt, 10)).entries.find((e) => e.name === 'Alice')!.score;

    // Bob's board shows it by itself, with no reload
    await expect.poll(() => score(bob, alicePlayer), { interval: 25 }).toBe(String(aliceScore));
    await shot(bob, 'player-phone-board');

    // Bob slides the tiles with the keyboard; the view submits when the board is solved
    await bob.click('button[data-puzzle=p2]');
    await bob.focus('#tiles');
    const arrow: Record<string, string> = { U: 'ArrowUp', D: 'ArrowDown', L: 'ArrowLeft', R: 'ArrowRight' };
    for (const move of key.get('p2')!) await bob.keyboard.press(arrow[move]!);
    await expect.poll(() => bob.locator('#feedback').innerText()).toMatch(/^Correct!/);
    await shot(bob, 'player-phone-sliding');

    // the game master pauses; Alice's puzzle closes with a visible note and her keys move nothing
    await gmPage.click('#do-pause');
    await expect.poll(() => alice.locator('#status').getAttribute('data-hunt'), { timeout: 5000 }).toBe('paused');
    await alice.click('button[data-puzzle=p2]');
    expect(await alice.locator('#closed-note').innerText()).toContain('Paused');
    const tiles = await alice.locator('#tiles').innerText();
    await alice.focus('#tiles');
    for (const move of key.get('p2')!) await alice.keyboard.press(arrow[move]!);
    expect(await alice.locator('#tiles').innerText()).toBe(tiles);
    expect(await alice.locator('#tiles button').first().isDisabled()).toBe(true);
    await shot(alice, 'player-desktop-paused');
    await gmPage.click('#do-resume');

    // Bob's connection drops; the board changes meanwhile; Bob comes back on his own, up to date
    await bob.evaluate(() => (globalThis as unknown as { huntDebug: { drop(ms: number): void } }).huntDebug.drop(1500));
    await expect.poll(() => bob.locator('#status').getAttribute('data-conn')).toBe('reconnecting');
    const { score: adjusted } = await c.gm().request<{ score: number }>('POST', `/api/hunts/${hunt}/players/${alicePlayer}/adjust`, { points: 11, reason: 'found the lost cat' });
    await expect.poll(() => bob.locator('#status').getAttribute('data-conn'), { timeout: 10_000 }).toBe('open');
    await expect.poll(() => score(bob, alicePlayer), { timeout: 5000 }).toBe(String(adjusted));

    // the console's live board and figures, and the configs page
    await expect.poll(() => gmPage.locator('#leaderboard').innerText(), { timeout: 5000 }).toContain(String(adjusted));
    await until('figures', async () => ((await gmPage.locator('#figures').innerText()).includes('players connected') ? true : undefined));
    await shot(gmPage, 'gm-desktop-live');
    const gmPhone = await (await browser.newContext({ viewport: PHONE })).newPage();
    await gmPhone.goto(`${c.url()}/gm`);
    await gmPhone.fill('#gm-key', GM_KEY);
    await gmPhone.click('button[type=submit]');
    await gmPhone.locator('#new-hunt').waitFor();
    await shot(gmPhone, 'gm-phone');
    await gmPage.click('text=Configs');
    await gmPage.locator('#config-value').waitFor();
    await shot(gmPage, 'gm-desktop-configs');
    const joinPhone = await (await browser.newContext({ viewport: PHONE })).newPage();
    await joinPhone.goto(link!);
    await shot(joinPhone, 'player-phone-join');
  });

  it('shows a config conflict instead of overwriting', async () => {
    const page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await page.goto(`${c.url()}/gm`);
    await page.fill('#gm-key', GM_KEY);
    await page.click('button[type=submit]');
    await page.click('text=Configs');
    await page.locator('#config-value').waitFor();
    // someone else saves first
    const cur = await c.gm().request<{ version: number; value: Record<string, unknown> }>('GET', '/api/configs/limits');
    await c.gm().request('PUT', '/api/configs/limits', { value: { ...cur.value, burst: 250 }, expectedVersion: cur.version });
    const text = await page.locator('#config-value').inputValue();
    await page.fill('#config-value', text.replace(/"burst": \d+/, '"burst": 300'));
    await page.click('#save-config');
    await expect.poll(() => page.locator('#config-message').innerText()).toContain('meanwhile');
    expect((await c.gm().request<{ value: { burst: number } }>('GET', '/api/configs/limits')).value.burst).toBe(250);
  });

  it('serves the pages with content types and caching', async () => {
    const html = await fetch(`${c.url()}/`);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('cache-control')).toBe('no-cache');
    const body = await html.text();
    const script = /src="(\/assets\/player\.js\?v=[\w-]+)"/.exec(body)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`${c.url()}${script}`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    const again = await fetch(`${c.url()}/`, { headers: { 'if-none-match': html.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect(body).not.toMatch(/https?:\/\/(?!localhost)/);
  });
});
