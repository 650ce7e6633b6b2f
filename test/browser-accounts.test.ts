/**
 * The console with accounts, in Debian's Chromium: the admin creates an account and sees its key
 * once; that account signs in and sees no Accounts or Configs tab and none of the admin's hunts,
 * only its own; the admin deletes it. A player joins a hunt with a passcode from its link once
 * the page asks for the passcode, and a name already taken is refused with its reason.
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HuntHttpClient } from '../client/index.js';
import { GM_KEY, ROOT, startCluster, type Cluster } from './helpers.js';

const ARTIFACTS = `${ROOT}test-artifacts`;

describe('console accounts', () => {
  let c: Cluster;
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    c = await startCluster();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await c?.close();
  });

  const signIn = async (key: string): Promise<Page> => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(`${c.url()}/gm`);
    await page.fill('#gm-key', key);
    await page.click('button[type=submit]');
    await page.locator('#hunts h2').waitFor();
    return page;
  };
  const hunt = (key: string, name: string): Promise<{ id: string }> =>
    new HuntHttpClient(c.url(), key).createHunt({ name, puzzles: [{ type: 'cipher', difficulty: 'easy' }], seed: 'b' });

  it('lets the admin make an account whose key sees only its own hunts and no admin tabs', async () => {
    await hunt(GM_KEY, 'Admin secret hunt');
    const admin = await signIn(GM_KEY);
    expect(await admin.locator('#signed-in-as').innerText()).toBe('admin');
    await admin.click('[data-tab=accounts]');
    await admin.fill('#gm-name', 'Ann');
    await admin.click('#tab-accounts button[type=submit]');
    const key = await admin.locator('#new-gm-key').inputValue();
    expect(key).toMatch(/^gm_/);
    expect(await admin.locator('#gm-list').innerText()).toContain('Ann');
    await admin.screenshot({ path: `${ARTIFACTS}/gm-accounts.png`, fullPage: true });

    await hunt(key, 'Ann hunt');
    const ann = await signIn(key);
    expect(await ann.locator('#signed-in-as').innerText()).toBe('Ann');
    await expect.poll(() => ann.locator('#hunts').innerText()).toContain('Ann hunt');
    expect(await ann.locator('#hunts').innerText()).not.toContain('Admin secret hunt');
    expect(await ann.locator('[data-tab=accounts]').count()).toBe(0);
    expect(await ann.locator('[data-tab=configs]').count()).toBe(0);

    // a key shown once: leaving the tab and coming back shows the list, not the key
    await admin.click('[data-tab=hunts]');
    await admin.click('[data-tab=accounts]');
    await admin.locator('#gm-list').waitFor();
    expect(await admin.locator('#new-gm-key').count()).toBe(0);
    admin.once('dialog', (d) => void d.accept());
    await admin.click('button[aria-label="Delete Ann"]');
    await expect.poll(() => admin.locator('#gm-list').innerText()).not.toContain('Ann');
    await expect(new HuntHttpClient(c.url(), key).hunts()).rejects.toMatchObject({ status: 401 });
  });

  it("sets a hunt's passcode and most players, and adds a co-GM, from the hunt panel", async () => {
    const made = await c.gm().request<{ id: string; key: string }>('POST', '/api/gms', { name: 'Cole' });
    const { id } = await hunt(GM_KEY, 'Panel hunt');
    await c.gm().waitReady(id);
    const admin = await signIn(GM_KEY);
    await admin.locator('#hunts button', { hasText: 'Panel hunt' }).click();
    await admin.locator('#hunt-passcode').waitFor();
    await admin.fill('#hunt-passcode', 'pier');
    await admin.fill('#max-players', '40');
    await admin.click('#save-access');
    await expect.poll(async () => (await c.gm().hunt(id)).passcode).toBe('pier');
    expect((await c.gm().hunt(id)).maxPlayers).toBe(40);
    await admin.locator('#co-gm').waitFor();
    await admin.selectOption('#co-gm', made.id);
    await admin.click('[data-section=access] button:has-text("Add co-GM")');
    await expect
      .poll(async () => (await new HuntHttpClient(c.url(), made.key).hunts()).hunts.map((x) => x.id))
      .toEqual([id]);
    await expect.poll(() => admin.locator('#co-gms').innerText()).toContain('Cole');
  });

  it('asks a player for the passcode of a hunt that has one, and says when a name is taken', async () => {
    const { id } = await c.gm().request<{ id: string }>('POST', '/api/hunts', {
      name: 'Locked',
      puzzles: [{ type: 'cipher', difficulty: 'easy' }],
      seed: 'p',
      passcode: 'harbour',
    });
    await c.gm().waitReady(id);
    await c.gm().lifecycle(id, 'launch');
    await c.gm().join(id, 'Taken');
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await page.goto(`${c.url()}/?hunt=${id}`);
    await page.fill('input[name=name]', 'Zoe');
    await page.click('button[type=submit]');
    await page.locator('#passcode').waitFor();
    expect(await page.locator('[role=alert]').innerText()).toContain('passcode');
    expect(await page.inputValue('input[name=name]')).toBe('Zoe');
    await page.fill('#passcode', 'wrong');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('[role=alert]').innerText()).toContain('wrong');
    await page.fill('input[name=name]', 'taken');
    await page.fill('#passcode', 'harbour');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('[role=alert]').innerText()).toContain('already has that name');
    await page.fill('input[name=name]', 'Zoe');
    await page.fill('#passcode', 'harbour');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('#status').getAttribute('data-conn'), { timeout: 10_000 }).toBe('open');
    expect((await c.gm().hunt(id)).players).toBe(2);
  });
});
