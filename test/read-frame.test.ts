/** The gateway's fast paths for moves and pings decide exactly what the full path decides, for any numbers, ids and near-miss frames. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFrame, readMessage } from '../server/gateway.js';

const frame = (text: string): ArrayBuffer => {
  const b = Buffer.from(text, 'utf8');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};

describe('reading a move', () => {
  it('agrees with the full path on every move-shaped frame', () => {
    const num = fc.oneof(fc.double(), fc.integer({ min: -200, max: 200 }), fc.constantFrom(-0, 90, -90, 180, -180, 90.0000001, 1e2, 1e-300));
    const asText = fc.oneof(num.map((n) => JSON.stringify(n)), fc.constantFrom('1e1', '-0', '00', '1.', '.5', '+1', '1E+1', 'NaN', '"1"', 'null'));
    fc.assert(
      fc.property(asText, asText, fc.constantFrom('', ' '), (lat, lng, space) => {
        const text = `{"t":"move",${space}"lat":${lat},"lng":${lng}}`;
        expect(readMessage(frame(text), false)).toEqual(readFrame(frame(text), false));
      }),
      { numRuns: 5000 },
    );
  });

  it('takes a plain move on the fast path with the exact numbers', () => {
    expect(readMessage(frame('{"t":"move","lat":48.8566,"lng":2.3522}'), false)).toEqual({ msg: { t: 'move', lat: 48.8566, lng: 2.3522 } });
    expect(readMessage(frame('{"t":"move","lat":91,"lng":0}'), false)).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('agrees with the full path on every ping-shaped frame, whatever the id', () => {
    const id = fc.oneof(fc.string({ maxLength: 70 }), fc.string({ unit: 'binary', maxLength: 70 }), fc.constantFrom('', 'a', 'x'.repeat(64), 'x'.repeat(65), 'é', '\\', '"'));
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
