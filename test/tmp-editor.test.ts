import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import { GM_KEY, startCluster, type Cluster } from './helpers.js';

let c: Cluster;
let browser: Browser;
beforeAll(async () => {
  c = await startCluster([['front', 'shard', 'worker']]);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
});
afterAll(async () => {
  await browser?.close();
  await c?.close();
});
it('editor smoke', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.route('**/tile.openstreetmap.org/**', (r) => r.abort());
  await page.goto(`${c.url()}/gm`);
  await page.fill('#gm-key', GM_KEY);
  await page.click('button[type=submit]');
  await page.click('#write-hunt');
  await page.fill('#editor-name', 'Old town');
  for (const t of ['text', 'choice', 'code', 'checkin', 'photo']) {
    await page.selectOption('#add-type', t);
    await page.click('#add-mission');
  }
  await page.locator('li.mission').nth(3).locator('.mission-line').click();
  await page.locator('li.mission').nth(3).locator('.loc-toggle').click();
  await page.waitForTimeout(500);
  await page.locator('li.mission').nth(3).locator('.leaflet-container').click({ position: { x: 100, y: 100 } });
  await page.waitForTimeout(300);
  await page.screenshot({ path: '/tmp/shots/editor.png', fullPage: true });
  console.log(errors);
}, 60_000);
