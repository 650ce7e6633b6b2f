/**
 * The console with accounts, in Debian's Chromium: the admin creates an account and sees its key
 * once; that account signs in and sees no Accounts or Configs tab and none of the admin's hunts,
 * only its own; the admin deletes it.
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
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
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
  const hunt = (key: string, name: string): Promise<{ id: string }> => new HuntHttpClient(c.url(), key).createHunt({ name, puzzles: [{ type: 'cipher', difficulty: 'easy' }], seed: 'b' });

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
});
