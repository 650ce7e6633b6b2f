// vitest: redis-free (it never touches the run's Redis, so npm run test:cluster leaves it out)
/** The gateway's fast paths for moves and pings decide exactly what the full path decides, for any numbers, ids and near-miss frames. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastMove, readFrame, readMessage } from '../server/frames.js';

const frame = (text: string): ArrayBuffer => {
  const b = Buffer.from(text, 'utf8');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};

describe('reading a move', () => {
  it('agrees with the full path on every move-shaped frame', () => {
    const num = fc.oneof(
      fc.double(),
      fc.integer({ min: -200, max: 200 }),
      fc.constantFrom(-0, 90, -90, 180, -180, 90.0000001, 1e2, 1e-300),
    );
    const asText = fc.oneof(
      num.map((n) => JSON.stringify(n)),
      fc.constantFrom('1e1', '-0', '00', '1.', '.5', '+1', '1E+1', 'NaN', '"1"', 'null'),
    );
    fc.assert(
      fc.property(asText, asText, fc.constantFrom('', ' '), (lat, lng, space) => {
        const text = `{"t":"move",${space}"lat":${lat},"lng":${lng}}`;
        expect(readMessage(frame(text), false)).toEqual(readFrame(frame(text), false));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads the coordinates clients send straight from the bytes, to the same doubles as JSON.parse', () => {
    // what phones and bots write: a coordinate with a few to 15 significant digits, or as JSON.stringify prints one
    const coordinate = (limit: number) =>
      fc.oneof(
        fc
          .tuple(fc.double({ min: -limit, max: limit, noNaN: true }), fc.integer({ min: 0, max: 12 }))
          .map(([v, k]) => v.toFixed(k)),
        fc.double({ min: -limit, max: limit, noNaN: true }).map((v) => JSON.stringify(Number(v.toPrecision(15)))),
      );
    fc.assert(
      fc.property(coordinate(90), coordinate(180), (lat, lng) => {
        const text = `{"t":"move","lat":${lat},"lng":${lng}}`;
        const read = fastMove(frame(text));
        if (read === null) return text.includes('e'); // only exponents leave the fast path here
        const parsed = JSON.parse(text) as { lat: number; lng: number };
        expect(read).toEqual({ msg: { t: 'move', lat: parsed.lat, lng: parsed.lng } });
        expect(Object.is((read as { msg: { lat: number } }).msg.lat, parsed.lat)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('takes a plain move on the fast path with the exact numbers', () => {
    expect(readMessage(frame('{"t":"move","lat":48.8566,"lng":2.3522}'), false)).toEqual({
      msg: { t: 'move', lat: 48.8566, lng: 2.3522 },
    });
    expect(readMessage(frame('{"t":"move","lat":91,"lng":0}'), false)).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('agrees with the full path on every ping-shaped frame, whatever the id', () => {
    const id = fc.oneof(
      fc.string({ maxLength: 70 }),
      fc.string({ unit: 'binary', maxLength: 70 }),
      fc.constantFrom('', 'a', 'x'.repeat(64), 'x'.repeat(65), 'é', '\\', '"'),
    );
    fc.assert(
      fc.property(id, fc.boolean(), (raw, escaped) => {
        // the id as JSON writes it, or spliced in raw (quotes and backslashes then break the frame)
        const text = `{"t":"ping","id":${escaped ? JSON.stringify(raw) : `"${raw}"`}}`;
        expect(readMessage(frame(text), false)).toEqual(readFrame(frame(text), false));
      }),
      { numRuns: 5000 },
    );
    expect(readMessage(frame('{"t":"ping","id":"p-17"}'), false)).toEqual({ msg: { t: 'ping', id: 'p-17' } });
  });
});
