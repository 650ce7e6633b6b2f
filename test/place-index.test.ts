/**
 * The grid of a hunt's places against a brute-force check of every place: for any places (of any
 * reach, near poles and the antimeridian too) and any point, the index finds exactly the places
 * whose reach holds the point. And the memory of who is within a place stays bounded by players.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceM, PlaceIndex, type Place } from '../rooms/place-index.js';
import { ReachMemory } from '../rooms/reach-memory.js';

const brute = (places: readonly Place[], lat: number, lng: number): string[] =>
  places
    .filter((p) => distanceM(lat, lng, p.lat, p.lng) <= p.radius)
    .map((p) => p.puzzle)
    .sort();

const radius = fc.oneof(
  fc.double({ min: 0, max: 300, noNaN: true }), // a city's puzzles
  fc.double({ min: 300, max: 20_000, noNaN: true }),
  fc.double({ min: 20_000, max: 3_000_000, noNaN: true }), // wider than the grid takes
);
const place = (i: number) =>
  fc.record({
    puzzle: fc.constant(`p${i}`),
    lat: fc.oneof(fc.double({ min: -90, max: 90, noNaN: true }), fc.double({ min: 43.2, max: 43.4, noNaN: true })),
    lng: fc.oneof(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: 5.3, max: 5.5, noNaN: true })),
    radius,
  });
const places = fc
  .integer({ min: 0, max: 40 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => place(i))).map((t): Place[] => t));

describe('the place index', () => {
  it('finds exactly what a check of every place finds', () => {
    fc.assert(
      fc.property(
        places,
        // points near a place (within a few of its radii), and anywhere
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.double({ min: -3, max: 3, noNaN: true }),
            fc.double({ min: -3, max: 3, noNaN: true }),
            fc.double({ min: -90, max: 90, noNaN: true }),
            fc.double({ min: -180, max: 180, noNaN: true }),
            fc.boolean(),
          ),
          { minLength: 1, maxLength: 30 },
        ),
        (list, points) => {
          const index = new PlaceIndex(list);
          for (const [pick, dy, dx, anyLat, anyLng, near] of points) {
            const at = list[pick % Math.max(1, list.length)];
            let lat = anyLat;
            let lng = anyLng;
            if (near && at) {
              // an offset of up to 3 radii, in degrees at the place's latitude
              const r = (at.radius / 111_320) * 1.0;
              lat = Math.max(-90, Math.min(90, at.lat + dy * r));
              lng = Math.max(
                -180,
                Math.min(180, at.lng + (dx * r) / Math.max(0.01, Math.cos((at.lat * Math.PI) / 180))),
              );
            }
            const got = index
              .within(lat, lng)
              .map((p) => p.puzzle)
              .sort();
            expect(got).toEqual(brute(list, lat, lng));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('files a city of places in cells, not on the list checked every move', () => {
    const city = Array.from({ length: 1000 }, (_, i) => ({
      puzzle: `p${i}`,
      lat: 43.25 + (i % 40) / 400,
      lng: 5.3 + Math.floor(i / 40) / 250,
      radius: 30 + (i % 5) * 20,
    }));
    const index = new PlaceIndex(city);
    expect(index.wideCount).toBe(0);
    expect(index.within(city[123]!.lat, city[123]!.lng).map((p) => p.puzzle)).toContain('p123');
    // a reach of hundreds of kilometres is checked on every move
    expect(new PlaceIndex([{ puzzle: 'region', lat: 45, lng: 5, radius: 300_000 }]).wideCount).toBe(1);
  });
});

describe('the reach memory', () => {
  it('reports a place when a player comes into it, not while they stay', () => {
    const m = new ReachMemory();
    expect(m.entered('h', 'a', ['p1'])).toEqual(['p1']);
    expect(m.entered('h', 'a', ['p1'])).toEqual([]);
    expect(m.entered('h', 'a', ['p1', 'p2'])).toEqual(['p2']);
    expect(m.entered('h', 'a', [])).toEqual([]);
    expect(m.size).toBe(0); // out of every place: nothing kept
    expect(m.entered('h', 'a', ['p1'])).toEqual(['p1']);
    m.forget('h', 'a', 'p1');
    expect(m.entered('h', 'a', ['p1'])).toEqual(['p1']);
  });

  it('keeps at most its bound of players, however many players and places there are', () => {
    const m = new ReachMemory(1000);
    for (let p = 0; p < 20_000; p++) m.entered('city', `walker${p}`, [`p${p % 300}`, `q${p % 7}`]);
    expect(m.size).toBe(1000);
    // the most recent are kept, the oldest forgotten (they report again, once)
    expect(m.entered('city', 'walker19999', ['p199', 'q0'])).toEqual([]);
    expect(m.entered('city', 'walker0', ['p0', 'q0'])).toEqual(['p0', 'q0']);
  });
});
