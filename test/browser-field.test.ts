/**
 * The field in Chromium: a team hunt joined from the player app on a phone (the team view with
 * its code), the console's live map with markers while map tiles are blocked, a help request
 * reaching the console's inbox with an unread count, and an answer from the composer reaching
 * the player with a badge. Screenshots go to test-artifacts/; with HUNT_README_SHOTS=1 to
 * docs/screenshots/ (the README's), as in browser-authored.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket } from '../client/index.js';
import { ROOT, startCluster, type Cluster } from './helpers.js';
import { ARTIFACTS, DESKTOP, gmSignIn, launchBrowser, newPage, PHONE, startProxy } from './browser-kit.js';

const SHOTS = process.env.HUNT_README_SHOTS === '1' ? `${ROOT}docs/screenshots` : ARTIFACTS;
const shot = (page: Page, name: string): Promise<Buffer> =>
  page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
const PLACE = { lat: 43.2965, lng: 5.3698 };

describe('the field in the browser', () => {
  let c: Cluster;
  let browser: Browser;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    c = await startCluster([['front', 'shard', 'worker']]);
    proxy = await startProxy(c.nodes[0]!.port);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await c?.close();
  });

  it('shows the team on a phone, markers on the map without tiles, help in the inbox and the answer on the phone', async () => {
    const puzzles = [
      {
        id: 'square',
        type: 'checkin',
        title: 'The square',
        prompt: 'Go to the square',
        points: 50,
        location: { ...PLACE, radius: 80 },
      },
      {
        id: 'riddle',
        type: 'text',
        title: 'The riddle',
        prompt: 'What has hands but no arms?',
        points: 100,
        answers: ['a clock'],
      },
    ];
    const { id: hunt } = await c.gm().createHunt({ name: 'Field hunt', puzzles, teams: { maxSize: 4 } } as never);
    await c.gm().lifecycle(hunt, 'launch');

    // the player joins on a phone: told it is a team hunt, starts a team, sees its code
    const phone = await newPage(browser, PHONE);
    await phone.goto(`${proxy.url}/?hunt=${hunt}`);
    await phone.fill('input[name=name]', 'Ada');
    await phone.click('button[type=submit]');
    await phone.locator('#team-name').waitFor();
    expect(await phone.locator('.error').innerText()).toContain('played in teams');
    await phone.fill('#team-name', 'Owls');
    await phone.click('button[type=submit]');
    await phone.locator('#team-view').waitFor({ timeout: 10_000 });
    const code = (await phone.locator('#team-code').innerText()).trim();
    expect(code).toMatch(/^[A-Z2-9]{6}$/);
    // a teammate joins by the code and walks; the phone's team view lists both
    const mate = await c
      .gm()
      .request<{ player: string; token: string }>('POST', `/api/hunts/${hunt}/players`, { name: 'Bo', teamCode: code });
    const ws = await PlayerSocket.connect(c.url(), mate.token);
    await ws.waitType('welcome');
    ws.send({ t: 'move', lat: PLACE.lat + 0.01, lng: PLACE.lng });
    await expect
      .poll(() => phone.locator('#team-members li').allInnerTexts(), { timeout: 10_000 })
      .toEqual(['Ada', 'Bo']);
    await shot(phone, 'player-phone-team');

    // the console: tiles blocked, the map still draws the place and the walker
    const gm = await newPage(browser, DESKTOP);
    let tilesAsked = 0;
    await gm.route('**/tile.openstreetmap.org/**', (route) => {
      tilesAsked++;
      return route.abort();
    });
    await gmSignIn(gm, proxy.url);
    await gm.getByRole('button', { name: /Field hunt/ }).click();
    await gm.locator('#field-map').waitFor();
    await expect.poll(() => gm.locator('#field-map').getAttribute('data-markers'), { timeout: 10_000 }).toBe('1');
    // the place's circle and dot, and the walker's dot: vector shapes on a plain background
    await expect.poll(() => gm.locator('#field-map path.leaflet-interactive').count()).toBeGreaterThanOrEqual(3);
    await expect.poll(() => gm.locator('#field-map .hunt-map-note').innerText()).toContain('could not load');
    expect(tilesAsked).toBeGreaterThan(0);
    await expect.poll(() => gm.locator('#people').innerText()).toContain('Owls');
    // the map is fitted to them: every shape lies inside the map's box
    const box = (await gm.locator('#field-map .hunt-map-canvas').boundingBox())!;
    await expect
      .poll(async () => {
        const shapes = await gm
          .locator('#field-map path.leaflet-interactive')
          .evaluateAll((els) =>
            els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 })),
          );
        return shapes.every(
          (p) => p.x >= box.x && p.x <= box.x + box.width && p.y >= box.y && p.y <= box.y + box.height,
        );
      })
      .toBe(true);
    // Ada has not moved but is online: the list says so
    await expect
      .poll(() =>
        gm.locator('#people tr', { hasText: 'in Owls' }).filter({ hasText: 'Ada' }).locator('.dot.on').count(),
      )
      .toBe(1);

    // a help request from the phone reaches the inbox live, unread
    await phone.fill('#help-text', 'We are lost near the church');
    await phone.click('#help-send');
    await expect
      .poll(() => gm.locator('#help-inbox').innerText(), { timeout: 10_000 })
      .toContain('We are lost near the church');
    expect(await gm.locator('#help-unread').innerText()).toBe('1');
    await shot(gm, 'gm-field-map-inbox');

    // reply from the inbox: the composer is pointed at Ada; she gets it with a badge
    await gm.locator('#help-inbox button', { hasText: 'Reply' }).click();
    expect(await gm.locator('#composer-to').innerText()).toBe('To player: Ada');
    expect(await gm.locator('#help-unread').innerText()).toBe('0');
    await gm.fill('#composer-text', 'Go north to the fountain');
    await shot(gm, 'gm-field-composer');
    await gm.click('#composer-send');
    await expect
      .poll(() => phone.locator('#messages').innerText(), { timeout: 10_000 })
      .toContain('Go north to the fountain');
    expect(await phone.locator('#messages-badge').innerText()).toBe('1');
    await shot(phone, 'player-phone-messages');
    // the teammate, not the recipient, does not get it
    expect(ws.received.some((m) => m.t === 'message')).toBe(false);
    ws.close();
  });
});
