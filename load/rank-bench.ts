/**
 * What a front's rank index costs at a big hunt's size: microseconds per rank lookup and per
 * board update, and the time to seed it, at 100,000 entries (`--entries N` for another size).
 * Run: npm run bench:rank
 */
import { RankIndex } from '../server/rank-index.js';

const at = process.argv.indexOf('--entries');
const entries = at > 0 ? Number(process.argv[at + 1]) : 100_000;
const SCALE = 4294967296;
const value = (score: number, tick: number): number => score * SCALE + (SCALE - 1 - tick);

const index = new RankIndex();
let tick = 0;
let t0 = process.hrtime.bigint();
for (let i = 0; i < entries; i++) index.set(`p${i}`, value(Math.floor(Math.random() * 5000), ++tick));
const seedMs = Number(process.hrtime.bigint() - t0) / 1e6;

const LOOKUPS = 1_000_000;
let sink = 0;
t0 = process.hrtime.bigint();
for (let i = 0; i < LOOKUPS; i++) sink += index.rank(`p${(i * 7919) % entries}`) ?? 0;
const lookupUs = Number(process.hrtime.bigint() - t0) / 1e3 / LOOKUPS;

const UPDATES = 200_000;
t0 = process.hrtime.bigint();
for (let i = 0; i < UPDATES; i++)
  index.set(`p${(i * 104729) % entries}`, value(Math.floor(Math.random() * 5000), ++tick));
const updateUs = Number(process.hrtime.bigint() - t0) / 1e3 / UPDATES;

console.log(
  JSON.stringify({
    entries,
    seedMs: Math.round(seedMs),
    lookupUs: +lookupUs.toFixed(3),
    updateUs: +updateUs.toFixed(3),
    sink: sink > 0,
  }),
);
