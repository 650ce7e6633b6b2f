/**
 * Authored hunts as people use them, in Debian's Chromium: a game master writes a hunt in the
 * console's editor (text, choice, code, check-in, photo, a final mission after two others, one
 * that opens later), launches it; a player on a phone answers, checks in by sharing a location,
 * sends a photo that the game master rejects then approves in the review queue; a bonus mission
 * reaches the player live; a QR deep link joins a second player and sends its code once.
 * Map tiles are blocked (the map works on its plain background). Screenshots go to
 * test-artifacts/; with HUNT_README_SHOTS=1 the README's go to docs/screenshots/ instead.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GM_KEY, ROOT, startCluster, type Cluster } from './helpers.js';

const ARTIFACTS = `${ROOT}test-artifacts`;
const DOCS = process.env.HUNT_README_SHOTS === '1' ? `${ROOT}docs/screenshots` : ARTIFACTS;
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
/** the check-in mission's place, and a spot 1 km away */
const SQUARE = { latitude: 43.2977, longitude: 5.3673 };
const AWAY = { latitude: 43.3067, longitude: 5.3673 };

describe('authored hunts in the browser', () => {
  let c: Cluster;
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    c = await startCluster([['front', 'shard', 'worker']]);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await c?.close();
  });

  const context = async (viewport: { width: number; height: number }, geo?: typeof SQUARE): Promise<BrowserContext> => {
    const ctx = await browser.newContext({
      viewport,
      ...(geo ? { geolocation: geo, permissions: ['geolocation'] } : {}),
    });
    // no tiles in tests: the maps must work on their plain background
    await ctx.route('**/tile.openstreetmap.org/**', (r) => r.abort());
    return ctx;
  };
  const shot = (page: Page, path: string): Promise<Buffer> => page.screenshot({ path, fullPage: true });
  const mission = (page: Page, i: number) => page.locator('#missions li.mission').nth(i);

  /** adds a mission of `type` in the editor and returns its (open) card */
  const addMission = async (gm: Page, type: string, title: string, prompt: string) => {
    await gm.selectOption('#add-type', type);
    await gm.click('#add-mission');
    const card = gm.locator('#missions li.mission').last();
    await card.locator('.m-title').fill(title);
    await card.locator('.m-prompt').fill(prompt);
    return card;
  };

  const signIn = async (page: Page): Promise<void> => {
    await page.goto(`${c.url()}/gm`);
    await page.fill('#gm-key', GM_KEY);
    await page.click('button[type=submit]');
  };

  const join = async (page: Page, url: string, name: string): Promise<void> => {
    await page.goto(url);
    await page.fill('input[name=name]', name);
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('#status').getAttribute('data-conn'), { timeout: 10_000 }).toBe('open');
  };

  const open = async (page: Page, puzzle: string): Promise<void> => {
    await page.click(`button[data-puzzle="${puzzle}"]`);
  };

  it('runs a written hunt from the editor to a phone and through the review queue', async () => {
    const gm = await (await context(DESKTOP)).newPage();
    const problems: string[] = [];
    gm.on('pageerror', (e) => problems.push(String(e)));
    await signIn(gm);
    await gm.click('#write-hunt');
    await gm.fill('#editor-name', 'Old town walk');

    const text = await addMission(gm, 'text', 'The fountain riddle', 'What has a face and two hands but no arms?');
    await text.locator('.m-answers').fill('a clock\nhorloge');
    const choice = await addMission(gm, 'choice', 'The old harbour', 'Who founded Massalia?');
    await choice.locator('.m-option').nth(0).fill('Romans');
    await choice.locator('.m-option').nth(1).fill('Greeks from Phocaea');
    await choice.locator('.m-add-option').click();
    await choice.locator('.m-option').nth(2).fill('Celts');
    await choice.locator('.m-right').nth(1).check();
    const code = await addMission(gm, 'code', 'Under the bridge', 'A code is painted under the footbridge.');
    await code.locator('.m-code').fill('BRIDGE42');
    const checkin = await addMission(gm, 'checkin', 'Place de Lenche', 'Walk to the square.');
    // the place by typed coordinates, then moved on the map with a click and typed back exactly
    await checkin.locator('.loc-toggle').click();
    await checkin.locator('.leaflet-container').click({ position: { x: 60, y: 60 } });
    await expect.poll(() => checkin.locator('.loc-lat').inputValue()).not.toBe('');
    await checkin.locator('.loc-lat').fill(String(SQUARE.latitude));
    await checkin.locator('.loc-lat').dispatchEvent('change');
    await checkin.locator('.loc-lng').fill(String(SQUARE.longitude));
    await checkin.locator('.loc-lng').dispatchEvent('change');
    await checkin.locator('.loc-radius').fill('60');
    await checkin.locator('.loc-radius').dispatchEvent('change');
    await addMission(gm, 'photo', 'Team photo', 'A photo of your team at the cathedral.');
    const final = await addMission(gm, 'text', 'The final clue', 'Name the basilica on the hill.');
    await final.locator('.m-answers').fill('Notre-Dame de la Garde');
    await final.locator('.m-after').nth(0).check();
    await final.locator('.m-after').nth(1).check();
    const later = await addMission(gm, 'text', 'Opens later', 'A question for later.');
    await later.locator('.m-answers').fill('later');
    await later.locator('.m-opens').fill('30');
    await later.locator('.m-opens').dispatchEvent('change');
    // reorder: "Opens later" up one place and back, so the list order is the hunt's
    await mission(gm, 6).locator('button[aria-label="Move mission 7 up"]').click();
    await expect.poll(() => mission(gm, 5).locator('.mission-line').innerText()).toContain('Opens later');
    await mission(gm, 5).locator('button[aria-label="Move mission 6 down"]').click();
    await mission(gm, 3).locator('.mission-line').click();
    await mission(gm, 3).locator('.loc-toggle').click();
    await expect.poll(() => gm.locator('.m-missing').count()).toBe(0);
    await shot(gm, `${DOCS}/hunt-editor.png`);
    // the server refuses a mission whose title gives its answer away, and the editor says which
    await gm.click('#editor-create');
    await expect
      .poll(() => gm.locator('#editor-status').innerText(), { timeout: 10_000 })
      .toBe('Mission 7, answers.0: the title, prompt or a hint gives this accepted answer away');
    await mission(gm, 6).locator('.mission-line').click();
    await mission(gm, 6).locator('.m-answers').fill('tomorrow');
    await gm.click('#editor-create');
    await expect
      .poll(
        () =>
          gm
            .locator('#status')
            .innerText()
            .catch(() => ''),
        { timeout: 20_000 },
      )
      .toBe('ready');

    const link = (await gm.locator('#join-link').getAttribute('href'))!;
    const hunt = new URL(link).searchParams.get('hunt')!;
    const def = await c.gm().request<{
      puzzles: { id: string; type: string; after?: string[]; opensAfterS?: number; location?: { lat: number } }[];
    }>('GET', `/api/hunts/${hunt}/definition`);
    expect(def.puzzles.map((p) => p.type)).toEqual(['text', 'choice', 'code', 'checkin', 'photo', 'text', 'text']);
    expect(def.puzzles[5]!.after).toEqual([def.puzzles[0]!.id, def.puzzles[1]!.id]);
    expect(def.puzzles[6]!.opensAfterS).toBe(1800);
    expect(def.puzzles[3]!.location?.lat).toBe(SQUARE.latitude);
    const [pText, pChoice, pCode, pCheckin, pPhoto, pFinal, pLater] = def.puzzles.map((p) => p.id) as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];

    await gm.click('#do-launch');
    await expect.poll(() => gm.locator('#status').innerText(), { timeout: 5000 }).toBe('live');

    // a player on a phone, 1 km from the square
    const phoneCtx = await context(PHONE, AWAY);
    const player = await phoneCtx.newPage();
    player.on('pageerror', (e) => problems.push(String(e)));
    await join(player, link, 'Alice');
    await expect.poll(() => player.locator(`button[data-puzzle="${pFinal}"]`).innerText()).toContain('after others');
    await open(player, pFinal);
    await expect.poll(() => player.locator('#locked').innerText()).toContain('The fountain riddle');
    await open(player, pLater);
    await expect.poll(() => player.locator('#locked').innerText()).toMatch(/Opens at .+\(in 29:\d\d\)/);

    await open(player, pText);
    await player.fill('#answer', 'A CLOCK!');
    await player.click('#submit');
    await expect.poll(() => player.locator('#feedback').innerText()).toMatch(/^Correct! \+100 points\.$/);
    await open(player, pChoice);
    await expect
      .poll(() => player.locator('#choices button').allInnerTexts())
      .toEqual(['Romans', 'Greeks from Phocaea', 'Celts']);
    await shot(player, `${DOCS}/player-authored-phone.png`);
    await player.click('[data-option="1"]');
    await expect.poll(() => player.locator('#feedback').innerText()).toMatch(/^Correct!/);
    // both missions before the final are solved: it opens by itself ({"t":"puzzle"})
    await expect.poll(() => player.locator(`button[data-puzzle="${pFinal}"]`).innerText()).toContain('100 pts');
    await open(player, pFinal);
    await expect.poll(() => player.locator('#prompt').innerText()).toBe('Name the basilica on the hill.');
    await open(player, pCode);
    await player.fill('#answer', 'bridge42');
    await player.click('#submit');
    await expect.poll(() => player.locator('#feedback').innerText()).toMatch(/^Correct!/);

    // the check-in: shared from 1 km away nothing happens; at the square it checks in
    await open(player, pCheckin);
    await player.click('#share-location');
    await phoneCtx.setGeolocation(SQUARE);
    await expect.poll(() => player.locator('#checked-in').isVisible(), { timeout: 10_000 }).toBe(true);

    // a photo, 2000 px wide: the app sends it downscaled to 1600 px
    const dataUrl = await player.evaluate<string>(`(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 2000;
      canvas.height = 1000;
      const g = canvas.getContext('2d');
      g.fillStyle = '#3a7';
      g.fillRect(0, 0, 2000, 1000);
      g.fillStyle = '#fff';
      g.font = '200px sans-serif';
      g.fillText('TEAM', 500, 600);
      return canvas.toDataURL('image/png');
    })()`);
    const png = Buffer.from(dataUrl.split(',')[1]!, 'base64');
    const sendPhoto = async (): Promise<void> => {
      await open(player, pPhoto);
      await player.setInputFiles('#photo-input', { name: 'team.png', mimeType: 'image/png', buffer: png });
      await player.click('#submit');
      await expect.poll(() => player.locator('#review-outcome').innerText(), { timeout: 10_000 }).toContain('Sent');
    };
    await sendPhoto();

    // the game master sees it in the review queue (live), with the photo, and rejects it
    await expect.poll(() => gm.locator('#review-count').innerText(), { timeout: 10_000 }).toBe('1');
    const card = gm.locator(`#review-list li[data-puzzle="${pPhoto}"]`);
    await expect
      .poll(
        () =>
          card.locator('img.review-photo').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
        { timeout: 10_000 },
      )
      .toBe(1600);
    await expect.poll(() => card.locator('.r-by').innerText()).toMatch(/^by Alice · /);
    await card.locator('.r-reason').fill('Too blurry, try again');
    await card.locator('.r-reject').click();
    await expect.poll(() => gm.locator('#review-count').innerText()).toBe('0');
    await expect
      .poll(() => player.locator('#review-outcome').innerText(), { timeout: 10_000 })
      .toBe('✗ Not accepted: Too blurry, try again. You can send another.');

    // sent again, approved with more points than the mission's
    await sendPhoto();
    await expect.poll(() => gm.locator('#review-count').innerText(), { timeout: 10_000 }).toBe('1');
    await expect.poll(() => card.locator('img.review-photo').isVisible(), { timeout: 10_000 }).toBe(true);
    await shot(gm, `${DOCS}/review-queue.png`);
    await card.locator('.r-points').fill('180');
    await card.locator('.r-approve').click();
    await expect
      .poll(() => player.locator('#review-outcome').innerText(), { timeout: 10_000 })
      .toBe('✓ Approved: +180 points.');
    // 100 + 100 + 100 (code) + 100 (check-in) + 180
    const alice = (await c.gm().leaderboard(hunt, 10)).entries.find((e) => e.name === 'Alice');
    expect(alice?.score).toBe(580);
    await expect.poll(() => player.locator('#you').innerText()).toContain('580 pts');

    // a bonus mission written while the hunt runs reaches the phone at once
    await gm.click('#bonus-mission');
    const bonus = await addMission(gm, 'text', 'Bonus: the bell', 'How many bells ring at noon?');
    await bonus.locator('.m-answers').fill('three');
    await bonus.locator('.m-save').click();
    await expect.poll(() => player.locator('#list').innerText(), { timeout: 10_000 }).toContain('Bonus: the bell');
    await open(player, pText);
    await shot(player, `${ARTIFACTS}/authored-player-phone.png`);
    await shot(gm, `${ARTIFACTS}/authored-gm-desktop.png`);
    expect(problems).toEqual([]);
  }, 180_000);

  it('joins from a QR deep link and sends its code once', async () => {
    const gm = c.gm();
    const { id: hunt } = await gm.request<{ id: string }>('POST', '/api/hunts', {
      name: 'QR hunt',
      puzzles: [
        { type: 'code', title: 'The vault', prompt: 'The code is on the plaque.', points: 120, code: 'VAULT2024' },
      ],
    });
    await gm.waitReady(hunt);
    await gm.lifecycle(hunt, 'launch');
    const svg = await gm.request<string>('GET', `/api/hunts/${hunt}/qr/p1`, undefined, undefined, 'image/svg+xml');
    expect(svg).toContain('<svg');

    const page = await (await context(DESKTOP)).newPage();
    // the link a phone camera opens from the QR code: join first (a name), then the code goes by itself
    await join(page, `${c.url()}/?hunt=${hunt}&puzzle=p1&code=vault2024`, 'Bob');
    await expect.poll(() => page.locator('#feedback').innerText(), { timeout: 10_000 }).toBe('Correct! +120 points.');
    expect(new URL(page.url()).searchParams.get('code')).toBeNull();
    await expect.poll(() => page.locator('button[data-puzzle="p1"]').innerText()).toContain('solved');
    await shot(page, `${ARTIFACTS}/authored-qr-desktop.png`);
    // a reload (or opening the same link again) sends nothing more
    await page.goto(`${c.url()}/?hunt=${hunt}&puzzle=p1&code=vault2024`);
    await expect.poll(() => page.locator('#status').getAttribute('data-conn'), { timeout: 10_000 }).toBe('open');
    await expect.poll(() => page.locator('button[data-puzzle="p1"]').innerText()).toContain('solved');
    expect(await page.locator('#feedback').innerText()).toBe('');
    const bob = (await gm.leaderboard(hunt, 10)).entries.find((e) => e.name === 'Bob');
    expect(bob?.score).toBe(120);
  }, 60_000);

  it('shows a free answer waiting for review and its outcome, and a mission that closes', async () => {
    const gm = c.gm();
    const { id: hunt } = await gm.request<{ id: string }>('POST', '/api/hunts', {
      name: 'Museum',
      puzzles: [
        { type: 'free', title: 'Your favourite piece', prompt: 'Which piece did you like best, and why?', points: 90 },
        {
          type: 'choice',
          title: 'Quick question',
          prompt: 'How many columns hold up the porch?',
          points: 40,
          options: ['4', '6'],
          answer: 1,
          closesAfterS: 2,
        },
      ],
    });
    await gm.waitReady(hunt);
    await gm.lifecycle(hunt, 'launch');
    const page = await (await context(PHONE)).newPage();
    await join(page, `${c.url()}/?hunt=${hunt}`, 'Cleo');
    // the choice closes two seconds after launch ({"t":"closed"}): it says so and takes no answer
    await expect
      .poll(() => page.locator('button[data-puzzle="p2"]').innerText(), { timeout: 15_000 })
      .toContain('closed');
    await open(page, 'p2');
    await expect
      .poll(() => page.locator('#closed').innerText())
      .toMatch(/^⌛ Closed at .+: answers are no longer accepted\.$/);
    expect(await page.locator('#choices').count()).toBe(0);

    await open(page, 'p1');
    await page.fill('#free-text', 'The blue canvas: it feels like the sea.');
    await page.click('#submit');
    await expect
      .poll(() => page.locator('#review-outcome').innerText(), { timeout: 10_000 })
      .toBe('⏳ Sent. A game master will review it soon.');
    await expect.poll(() => page.locator('button[data-puzzle="p1"]').innerText()).toContain('in review');
    // a reload keeps the waiting state (the welcome's `pending`)
    await page.reload();
    await expect.poll(() => page.locator('#status').getAttribute('data-conn'), { timeout: 10_000 }).toBe('open');
    await open(page, 'p1');
    await expect.poll(() => page.locator('#review-outcome').innerText()).toContain('Sent');
    const { submissions } = await gm.request<{ submissions: { id: string; text?: string }[] }>(
      'GET',
      `/api/hunts/${hunt}/submissions?status=pending`,
    );
    expect(submissions.map((x) => x.text)).toEqual(['The blue canvas: it feels like the sea.']);
    await gm.request('POST', `/api/hunts/${hunt}/submissions/${submissions[0]!.id}/approve`, {});
    await expect
      .poll(() => page.locator('#review-outcome').innerText(), { timeout: 10_000 })
      .toBe('✓ Approved: +90 points.');
    await expect.poll(() => page.locator('button[data-puzzle="p1"]').innerText()).toContain('solved');
  }, 60_000);

  it('starts from a template, downloads a definition and creates a copy from the file', async () => {
    const page = await (await context(DESKTOP)).newPage();
    await signIn(page);
    await page.click('#write-hunt');
    await page.selectOption('#editor-template', 'old-town-walk');
    await expect.poll(() => page.locator('#missions li.mission').count()).toBe(6);
    // the final clue waits for the five others, named by their ids in the template
    await expect
      .poll(() => mission(page, 5).locator('.mission-line').innerText())
      .toContain('The final clue · 300 pts · after 5');
    await page.fill('#editor-name', 'Old town, copy 1');
    await page.click('#editor-create');
    await expect
      .poll(
        () =>
          page
            .locator('#status')
            .innerText()
            .catch(() => ''),
        { timeout: 20_000 },
      )
      .toBe('ready');
    const link = (await page.locator('#join-link').getAttribute('href'))!;
    const first = new URL(link).searchParams.get('hunt')!;

    // the QR sheet opens in a new tab, fetched with the key
    const [sheet] = await Promise.all([page.context().waitForEvent('page'), page.click('#qr-sheet')]);
    await expect.poll(() => sheet.content(), { timeout: 10_000 }).toContain('<svg');
    expect(await sheet.content()).toContain('Under the bridge');
    await sheet.close();

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-definition')]);
    const file = await download.path();
    const written = JSON.parse(readFileSync(file, 'utf8')) as { name: string; puzzles: unknown[] };
    expect(written.puzzles).toEqual(
      (await c.gm().request<{ puzzles: unknown[] }>('GET', `/api/hunts/${first}/definition`)).puzzles,
    );
    // the template's ids and order came through the editor
    const final = written.puzzles[5] as { id: string; after?: string[] };
    expect(final.after).toEqual(['riddle', 'harbour', 'bridge', 'square', 'team-photo']);

    await page.click('#write-hunt');
    await page.setInputFiles('#editor-definition', {
      name: 'old-town.hunt.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ ...written, name: 'Old town, copy 2' })),
    });
    await expect
      .poll(() => page.locator('#editor-status').innerText())
      .toBe('Loaded 6 missions from old-town.hunt.json. Edit them, then create the hunt.');
    await expect.poll(() => page.locator('#editor-name').inputValue()).toBe('Old town, copy 2');
    await page.click('#editor-create');
    await expect
      .poll(
        () =>
          page
            .locator('#status')
            .innerText()
            .catch(() => ''),
        { timeout: 20_000 },
      )
      .toBe('ready');
    const second = new URL((await page.locator('#join-link').getAttribute('href'))!).searchParams.get('hunt')!;
    expect(second).not.toBe(first);
    const copy = await c.gm().request<{ puzzles: unknown[] }>('GET', `/api/hunts/${second}/definition`);
    expect(copy.puzzles).toEqual(written.puzzles);
  }, 60_000);
});
