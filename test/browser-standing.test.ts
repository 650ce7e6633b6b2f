/**
 * The player page in a big hunt (more than fanout.fullBoardMax entries): the player's own entry
 * is outside the top N, so no `lb` delta carries it; the rank shown comes from `{"t":"you"}`.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FANOUT } from '../config/index.js';
import { liveHunt, restoreConfigs, setConfig, startCluster, until, type Cluster } from './helpers.js';
import { joinAs, launchBrowser, newPage, PHONE } from './browser-kit.js';

describe('the player page in a big hunt', () => {
  let c: Cluster;
  let browser: Browser;
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker']]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await restoreConfigs(c, { fanout: DEFAULT_FANOUT });
    await c?.close();
  });

  it("shows the player's rank from `you` while its entry is outside the top N", async () => {
    await setConfig(c, 'fanout', { fullBoardMax: 3, topN: 3 });
    const hunt = await liveHunt(c.gm(), 1);
    const adjust = (player: string, points: number): Promise<unknown> =>
      c.gm().request('POST', `/api/hunts/${hunt.id}/players/${player}/adjust`, { points, reason: 'test' });
    // ten others at 10, 20, ... 100 points
    for (let i = 1; i <= 10; i++) await adjust((await c.gm().join(hunt.id, `other${i}`)).player, i * 10);
    const page = await newPage(browser, PHONE);
    await joinAs(page, c.url(), hunt.id, 'me');
    const names = await c.redis.hgetall(`${c.prefix}:{h:${hunt.id}}:names`);
    const me = Object.entries(names).find(([name]) => name.toLowerCase() === 'me')?.[1];
    expect(me).toBeDefined();
    // 75 points: fourth, behind 100, 90 and 80, outside the top 3, so only `you` says so
    await adjust(me!, 75);
    await until('the page shows rank 4', async () =>
      (await page.locator('#you').innerText()).includes('#4') ? true : undefined,
    );
    expect(await page.locator('#you').innerText()).toContain('75 pts');
    expect((await c.redis.zrevrank(`${c.prefix}:{h:${hunt.id}}:board`, me!)) ?? -1).toBe(3);
    await page.context().close();
  });
});
