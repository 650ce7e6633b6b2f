/**
 * The ceiling: a uWebSockets.js server that does nothing with moves but count them, answers
 * pings, and answers every answer at once with a wrong-answer result (the floor for answer
 * round trips). The benchmark drives it with the same bots it points at the hunt server.
 * Usage: tsx load/noop-server.ts <port> [fan-out per second]; GET /count returns the messages
 * received; GET /lag the p99 of its event-loop delay (how late a 20 ms timer fired, as the
 * engine's `hunt_event_loop_lag_seconds` measures it) since the last call, from the raw samples. With a fan-out rate it publishes a delta-sized `lb` message with `ts` to every
 * client that many times a second (the fan-out ceiling), at the wall clock's multiples of the
 * period, so that several no-op servers broadcast together.
 * Usage for the big-hunt benchmark: tsx load/noop-server.ts <port> <fan-out per second> <frame
 * bytes> you [replay file]: each `lb` is padded to that many bytes, and every answer is taken as
 * right (10 points) and answered with its result and, at once, a `{"t":"you"}` frame with the new
 * score. With a replay file (JSON [[offset ms, bytes], ...]: an engine's deltas as its clients
 * got them) and a fan-out of 0, GET /replay?from=<epoch ms> broadcasts each of those deltas at
 * `from` + its offset, of its bytes: the engine's deltas again, bunched as they came.
 */
import { readFileSync } from 'node:fs';
import { loadNativeUws } from '../server/index.js';
import { jsonField } from './json.js';

const uws = loadNativeUws();
let count = 0;
const port = Number(process.argv[2] ?? 0);
const fanoutHz = Number(process.argv[3] ?? 0);
const frameBytes = Number(process.argv[4] ?? 0);
const youMode = process.argv[5] === 'you';
const replayFile = process.argv[6];
const replay: [number, number][] = replayFile ? readReplay(replayFile) : [];
/** HUNT_NOOP_GREET_BYTES: the greeting padded to this many bytes (an engine's welcome, to compare like with like) */
const greetBytes = Number(process.env.HUNT_NOOP_GREET_BYTES ?? 0);
const greeting =
  greetBytes > 24 ? JSON.stringify({ t: 'welcome', pad: 'x'.repeat(greetBytes - 24) }) : '{"t":"welcome"}';
const scores = new WeakMap<object, number>();
let seq = 0;
let late: number[] = [];
let expected = performance.now() + 20;
setInterval(() => {
  const now = performance.now();
  late.push(Math.max(0, now - expected));
  expected = now + 20;
}, 20);
const lagP99 = (): number => {
  const sorted = late.sort((a, b) => a - b);
  late = [];
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
};
const app = uws.App();
app
  .ws('/ws', {
    maxPayloadLength: 16 * 1024,
    maxBackpressure: 1024 * 1024,
    idleTimeout: 120,
    // a small greeting, or one of the engine's welcome's size (HUNT_NOOP_GREET_BYTES)
    open: (ws) => {
      ws.subscribe('all');
      ws.send(greeting);
    },
    message: (ws, message) => {
      count++;
      const text = Buffer.from(message).toString();
      if (text.includes('"ping"')) {
        const id = jsonField(text, 'id');
        ws.send(JSON.stringify({ t: 'pong', id, ts: Date.now() }));
      } else if (text.includes('"answer"')) {
        const [id, puzzle] = [jsonField(text, 'id'), jsonField(text, 'puzzle')];
        if (youMode) {
          const score = (scores.get(ws) ?? 0) + 10;
          scores.set(ws, score);
          ws.cork(() => {
            ws.send(JSON.stringify({ t: 'result', id, puzzle, correct: true, points: 10, score }));
            ws.send(JSON.stringify({ t: 'you', rank: 1, score, seq }));
          });
        } else ws.send(JSON.stringify({ t: 'result', id, puzzle, correct: false, points: 0, score: 0 }));
      }
    },
  })
  .get('/count', (res) => void res.end(String(count)))
  .get('/replay', (res, req) => {
    const from = Number(new URLSearchParams(req.getQuery() ?? '').get('from'));
    if (!Number.isFinite(from)) return void res.writeStatus('400 Bad Request').end('from=<epoch ms> is required');
    for (const [offset, bytes] of replay) setTimeout(() => publish(bytes), Math.max(0, from + offset - Date.now()));
    res.end(String(replay.length));
  })
  .get('/lag', (res) => void res.end(lagP99().toFixed(1)))
  .listen('127.0.0.1', port, (socket) => {
    if (!socket) process.exit(1);
    process.stdout.write(`listening on ${uws.us_socket_local_port(socket)}\n`);
  });
/** Broadcasts the next `lb` with `ts`, padded to `bytes` (the name grows), else a delta of one change. */
function publish(bytes: number): void {
  seq++;
  const frame = (name: string): string =>
    JSON.stringify({ t: 'lb', seq, ts: Date.now(), changes: [{ player: 'xxxxxxxx', name, score: seq, rank: 1 }] });
  const bare = frame('xxxxxxxxxxxx');
  app.publish('all', bytes > bare.length ? frame('x'.repeat(12 + bytes - bare.length)) : bare);
}

if (fanoutHz > 0) {
  const periodMs = 1000 / fanoutHz;
  const broadcast = (): void => {
    publish(frameBytes);
    setTimeout(broadcast, nextTick(periodMs));
  };
  setTimeout(broadcast, nextTick(periodMs));
}

/** [offset ms, bytes] pairs from a replay file; anything else in it is an error at start. */
function readReplay(file: string): [number, number][] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${file}: not a JSON array`);
  return parsed.map((d: unknown, i) => {
    if (!Array.isArray(d) || typeof d[0] !== 'number' || typeof d[1] !== 'number')
      throw new Error(`${file}: entry ${i} is not [offset, bytes]`);
    return [d[0], d[1]];
  });
}

/**
 * Milliseconds to the next multiple of the period on the wall clock: several no-op servers
 * started apart still broadcast at the same instants, as an engine's fronts all send one delta
 * to their players at once, so a bot process gets the whole burst, not a share of it.
 */
function nextTick(periodMs: number): number {
  const now = Date.now();
  return Math.max(1, Math.ceil((now + 1) / periodMs) * periodMs - now);
}
