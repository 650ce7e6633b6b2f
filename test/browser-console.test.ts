/**
 * The console as a game master runs a hunt with it, in Chromium: template or custom mix (one or
 * the other) with a preview that names located puzzles; Create once however often it is
 * clicked; lifecycle buttons only where allowed, End asked first; the join link with copy and
 * QR; the hunt's own figures; adjusting a player's score with a reason (the player sees it) and
 * removing a player from the board; an offline banner; a config conflict merged with the edit
 * kept. Screenshots go to test-artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GM_KEY, startCluster, type Cluster } from './helpers.js';
import {
  DESKTOP,
  enterAnswer,
  gmSignIn,
  joinAs,
  launchBrowser,
  newPage,
  openPuzzle,
  PHONE,
  shot,
  startProxy,
  status,
} from './browser-kit.js';

describe('the console', () => {
  let c: Cluster;
  let browser: Browser;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker'], ['front']]);
    proxy = await startProxy(c.nodes[0]!.port);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await c?.close();
  });

  const score = (page: Page, player: string): Promise<string> =>
    page.locator(`#leaderboard tr[data-player="${player}"] .score`).innerText();
  const enabled = async (page: Page): Promise<Record<string, boolean>> =>
    Object.fromEntries(
      await Promise.all(
        ['launch', 'pause', 'resume', 'end'].map(async (a) => [a, await page.locator(`#do-${a}`).isEnabled()] as const),
      ),
    );

  it('runs a hunt: create, launch, link, figures, board actions, end', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, permissions: ['clipboard-read', 'clipboard-write'] });
    const gm = await context.newPage();
    await gmSignIn(gm, proxy.url);

    // a template is the first choice, previewed, and its located puzzle named with its place
    await gm.fill('#hunt-name', 'Browser hunt');
    await gm.locator('#template option[value=starter]').waitFor({ state: 'attached' });
    await gm.selectOption('#template', 'starter');
    await expect.poll(() => gm.locator('#preview').innerText()).toContain('locked to a place');
    expect(await gm.locator('#preview').innerText()).toMatch(/within \d+ m of 43\.2951/);
    expect(await gm.locator('#mix select').first().isDisabled()).toBe(true);
    // the custom mix instead: the template's choice is off, the preview follows the rows
    await gm.check('#source-mix');
    expect(await gm.locator('#template').isDisabled()).toBe(true);
    const rows = gm.locator('#mix .mix-row');
    await rows.nth(1).locator('select').first().selectOption('sliding');
    await rows.nth(1).locator('select').nth(1).selectOption('easy');
    expect(await gm.locator('#preview').innerText()).toContain('Will create 2 puzzles');
    expect(await gm.locator('#preview').innerText()).not.toContain('locked');
    await shot(gm, 'gm-desktop-create');
    const before = (await c.gm().request<{ hunts: unknown[] }>('GET', '/api/hunts')).hunts.length;
    await gm.dblclick('#create');
    await gm.click('#create', { force: true, trial: false }).catch(() => undefined);
    await expect.poll(() => gm.locator('#create-status').innerText(), { timeout: 30_000 }).toBe('Ready.');
    expect((await c.gm().request<{ hunts: unknown[] }>('GET', '/api/hunts')).hunts.length).toBe(before + 1);

    // lifecycle: only what the state allows
    await gm.locator('#do-launch').waitFor({ timeout: 5000 });
    expect(await enabled(gm)).toEqual({ launch: true, pause: false, resume: false, end: true });
    await gm.click('#do-launch');
    await expect.poll(() => gm.locator('#status').innerText(), { timeout: 5000 }).toBe('live');
    expect(await enabled(gm)).toEqual({ launch: false, pause: true, resume: false, end: true });

    // the join link: readable, copied, drawn as a QR code
    const link = (await gm.locator('#join-link').innerText()).trim();
    expect(link).toBe(`${proxy.url}/?hunt=${new URL(link).searchParams.get('hunt')}`);
    const hunt = new URL(link).searchParams.get('hunt')!;
    expect(await gm.locator('#join-qr svg path').count()).toBeGreaterThan(0);
    await gm.click('#copy-link');
    await expect.poll(() => gm.locator('#copy-note').innerText()).toBe('Copied.');
    expect(
      await gm.evaluate(() =>
        (
          globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
        ).navigator.clipboard.readText(),
      ),
    ).toBe(link);
    const key = new Map((await c.gm().answers(hunt)).answers.map((a) => [a.puzzle, a.answer]));

    // two players; one solves; the console's board and the hunt's figures follow
    const alice = await newPage(browser, DESKTOP);
    await joinAs(alice, proxy.url, hunt, 'Alice');
    const bob = await newPage(browser, PHONE);
    await joinAs(bob, proxy.url, hunt, 'Bob');
    const board = await c.gm().leaderboard(hunt, 10);
    const player = (name: string): string => board.entries.find((e) => e.name === name)!.player ?? '';
    await openPuzzle(alice, 'p1');
    await enterAnswer(alice, 'sudoku', key.get('p1')!);
    await expect.poll(() => alice.locator('#feedback').innerText(), { timeout: 15_000 }).toMatch(/^Correct!/);
    const aliceScore = (await c.gm().leaderboard(hunt, 10)).entries.find((e) => e.name === 'Alice')!.score;
    await expect.poll(() => score(bob, player('Alice')), { timeout: 5000 }).toBe(String(aliceScore));
    await expect
      .poll(() => gm.locator('#hunt-figures').innerText(), { timeout: 5000 })
      .toMatch(/2\s+players joined[\s\S]*2\s+online now[\s\S]*1\s+answers a minute[\s\S]*1\s+solves a minute/);
    expect(await gm.locator('#figures').innerText()).not.toContain('NaN');

    // adjust Alice's score with a reason: she sees both
    await gm.click(`#leaderboard tr[data-player="${player('Alice')}"] button`);
    await gm.fill('#adjust-points', '-15');
    await gm.fill('#adjust-reason', 'took a shortcut through the park');
    await shot(gm, 'gm-desktop-board-actions');
    await gm.click('#adjust-apply');
    await expect.poll(() => gm.locator('#board-message').innerText()).toContain(`now ${aliceScore - 15}`);
    await expect
      .poll(() => alice.locator('#notices').innerText(), { timeout: 5000 })
      .toContain('The game master gave you -15 points: took a shortcut through the park');
    await expect.poll(() => alice.locator('#you').innerText()).toContain(`${aliceScore - 15} pts`);

    // a message to Bob alone
    await gm.click(`#leaderboard tr[data-player="${player('Bob')}"] button`);
    await gm.fill('#message-text', 'Meet at the fountain');
    await gm.click('#message-send');
    await expect.poll(() => gm.locator('#board-message').innerText()).toBe('Message sent to Bob.');
    const { messages } = await c
      .gm()
      .request<{ messages: { text: string; to?: { player?: string } }[] }>('GET', `/api/hunts/${hunt}/messages`);
    expect(messages.filter((m) => m.text === 'Meet at the fountain').map((m) => m.to)).toEqual([
      { player: player('Bob') },
    ]);

    // remove Bob, asked first: he leaves the board and his page says so
    await gm.click(`#leaderboard tr[data-player="${player('Bob')}"] button`);
    await gm.click('#remove-player');
    await gm.click('#remove-yes');
    await expect
      .poll(() => gm.locator(`#leaderboard tr[data-player="${player('Bob')}"]`).count(), { timeout: 5000 })
      .toBe(0);
    await expect.poll(() => bob.locator('#toasts').innerText(), { timeout: 10_000 }).toContain('removed');

    // the server out of reach: a banner says the console is offline, and goes when it is back
    proxy.retarget(null);
    await gm.locator('#offline').waitFor({ timeout: 10_000 });
    expect(await gm.locator('#offline').innerText()).toContain('cannot be reached');
    proxy.retarget(c.nodes[0]!.port);
    await gm.locator('#offline').waitFor({ state: 'detached', timeout: 10_000 });

    // End asks first; then the players see the end
    await gm.click('#do-end');
    expect(await gm.locator('#end-confirm').innerText()).toContain('End the hunt for everyone?');
    await gm.click('#end-no');
    expect(await gm.locator('#end-confirm').count()).toBe(0);
    await gm.click('#do-end');
    await gm.click('#end-yes');
    await expect.poll(() => gm.locator('#status').innerText(), { timeout: 5000 }).toBe('ended');
    expect(await enabled(gm)).toEqual({ launch: false, pause: false, resume: false, end: false });
    await expect.poll(() => status(alice), { timeout: 10_000 }).toBe('ended');
    await alice.locator('#results').waitFor();

    const gmPhone = await newPage(browser, PHONE);
    await gmSignIn(gmPhone, c.url());
    await shot(gmPhone, 'gm-phone');
  });

  it('merges a config conflict and keeps the edit', async () => {
    const page = await newPage(browser, DESKTOP);
    await page.goto(`${c.url()}/gm`);
    await page.fill('#gm-key', GM_KEY);
    await page.click('button[type=submit]');
    await page.click('text=Configs');
    await page.locator('#config-value').waitFor();
    // someone else saves first
    const cur = await c.gm().request<{ version: number; value: Record<string, unknown> }>('GET', '/api/configs/limits');
    await c
      .gm()
      .request('PUT', '/api/configs/limits', { value: { ...cur.value, burst: 250 }, expectedVersion: cur.version });
    const text = await page.locator('#config-value').inputValue();
    await page.fill('#config-value', text.replace(/"maxFrameBytes": \d+/, '"maxFrameBytes": 20000'));
    await page.click('#save-config');
    await expect.poll(() => page.locator('#config-message').innerText()).toContain('while you were editing');
    expect(await page.locator('#config-message .legend').innerText()).toContain('your edit');
    await shot(page, 'gm-desktop-config-conflict');
    expect((await c.gm().request<{ value: { burst: number } }>('GET', '/api/configs/limits')).value.burst).toBe(250);
    await page.click('#merge-config');
    await page.click('#save-config');
    await expect
      .poll(
        async () =>
          (await c.gm().request<{ value: { burst: number; maxFrameBytes: number } }>('GET', '/api/configs/limits'))
            .value,
        { timeout: 5000 },
      )
      .toMatchObject({ burst: 250, maxFrameBytes: 20000 });
    await c.gm().request('PUT', '/api/configs/limits', {
      value: cur.value,
      expectedVersion: (await c.gm().request<{ version: number }>('GET', '/api/configs/limits')).version,
    });
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
