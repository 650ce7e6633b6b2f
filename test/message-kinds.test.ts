// vitest: redis-free (it never touches the run's Redis, so npm run test:cluster leaves it out)
/**
 * The table of message kinds is the one list: what a shard accepts from a stream, what the
 * front streams, and what the answers lane's Lua dispatches, all follow it.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_MESSAGE_TYPES,
  MESSAGE_KINDS,
  isGameMessage,
  parseClientMessage,
  type ClientMessage,
} from '../protocol/index.js';
import { eventProblem, isStreamEvent, toStreamEvent } from '../rooms/events.js';

const LUA = new URL('../rooms/lua/apply-answers.lua', import.meta.url);

/** One valid message of each kind. */
const SAMPLES: { [K in ClientMessage['t']]: Extract<ClientMessage, { t: K }> } = {
  answer: { t: 'answer', id: 'r1', puzzle: 'p1', answer: 'x' },
  hint: { t: 'hint', id: 'r2', puzzle: 'p1' },
  move: { t: 'move', lat: 1, lng: 2 },
  ping: { t: 'ping', id: 'r3' },
  renew: { t: 'renew', id: 'r4' },
  help: { t: 'help', id: 'r5', text: 'stuck at the fountain' },
};

describe('the table of message kinds', () => {
  it('turns every streamed kind into an event its shard check accepts, and no front kind into one', () => {
    for (const t of CLIENT_MESSAGE_TYPES) {
      const parsed = parseClientMessage(SAMPLES[t]);
      expect(parsed.success, t).toBe(true);
      if (!parsed.success) continue;
      if (MESSAGE_KINDS[t].lane === 'front') {
        expect(isGameMessage(parsed.data)).toBe(false);
        // a front kind written to a stream anyway is refused like any unknown kind
        expect(eventProblem({ ...SAMPLES[t], k: t, h: 'h1', p: 'p1' })).toBe('unknown kind');
        continue;
      }
      expect(isGameMessage(parsed.data)).toBe(true);
      if (isGameMessage(parsed.data)) expect(isStreamEvent(toStreamEvent('h1', 'p1', parsed.data))).toBe(true);
    }
  });

  it('refuses stream events of unknown kinds and malformed fields', () => {
    expect(eventProblem({ k: 'shout', h: 'h1', p: 'p1', id: 'r' })).toBe('unknown kind');
    expect(eventProblem({ k: 'toString', h: 'h1', p: 'p1' })).toBe('unknown kind');
    expect(eventProblem({ k: 'hint', h: 'h1', p: 'p1', id: 'r' })).toBe('bad hint');
    expect(eventProblem({ k: 'move', h: 'h1', p: 'p1', lat: 1, lng: 2, n: 0 })).toBe('bad move');
    expect(eventProblem({ k: 'answer', h: '', p: 'p1' })).toBe('bad hunt or player');
    fc.assert(
      fc.property(fc.anything(), (v) => {
        // anything at all: a reason or null, never a throw, and null only for what the guard admits
        const problem = eventProblem(v);
        expect(problem === null).toBe(isStreamEvent(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('answers unknown types with no schema issues, known ones with their schema', () => {
    expect(parseClientMessage({ t: 'shout', id: 'x' })).toEqual({ success: false, error: null });
    expect(parseClientMessage({ t: 'constructor' })).toEqual({ success: false, error: null });
    const bad = parseClientMessage({ t: 'hint', id: 'x' });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(bad.error?.issues[0]?.path).toEqual(['puzzle']);
  });

  it('has a Lua handler in apply-answers.lua for exactly the kinds of the answers lane', () => {
    const lua = readFileSync(LUA, 'utf8');
    const block = /^local KINDS = \{\n([\s\S]*?)\n\}/m.exec(lua)?.[1] ?? '';
    const handled = [...block.matchAll(/^\s+(\w+) = \{/gm)].map((m) => m[1]).sort();
    const declared = CLIENT_MESSAGE_TYPES.filter((t) => MESSAGE_KINDS[t].lane === 'answers').sort();
    expect(handled).toEqual(declared);
  });
});
