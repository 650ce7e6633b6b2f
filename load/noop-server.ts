/**
 * The ceiling: a uWebSockets.js server that does nothing with moves but count them, answers
 * pings, and answers every answer at once with a wrong-answer result (the floor for answer
 * round trips). The benchmark drives it with the same bots it points at the hunt server.
 * Usage: tsx load/noop-server.ts <port> [fan-out per second]; GET /count returns the messages
 * received; GET /lag the p99 of its event-loop delay (how late a 20 ms timer fired, as the
 * engine's `hunt_event_loop_lag_seconds` measures it) since the last call, from the raw samples. With a fan-out rate it publishes a delta-sized `lb` message with `ts` to every
 * client that many times a second (the fan-out ceiling).
 */
import { loadNativeUws } from '../server/index.js';

const uws = loadNativeUws();
let count = 0;
const port = Number(process.argv[2] ?? 0);
const fanoutHz = Number(process.argv[3] ?? 0);
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
  return sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] as number);
};
const app = uws.App();
app
  .ws('/ws', {
    maxPayloadLength: 16 * 1024,
    maxBackpressure: 1024 * 1024,
    idleTimeout: 120,
    // a small greeting, as the engine's welcome, so connect times compare like with like
    open: (ws) => {
      ws.subscribe('all');
      ws.send('{"t":"welcome"}');
    },
    message: (ws, message) => {
      count++;
      const text = Buffer.from(message).toString();
      if (text.includes('"ping"')) {
        const id = (JSON.parse(text) as { id?: string }).id;
        ws.send(JSON.stringify({ t: 'pong', id, ts: Date.now() }));
      } else if (text.includes('"answer"')) {
        const { id, puzzle } = JSON.parse(text) as { id?: string; puzzle?: string };
        ws.send(JSON.stringify({ t: 'result', id, puzzle, correct: false, points: 0, score: 0 }));
      }
    },
  })
  .get('/count', (res) => void res.end(String(count)))
  .get('/lag', (res) => void res.end(lagP99().toFixed(1)))
  .listen('127.0.0.1', port, (socket) => {
    if (!socket) process.exit(1);
    process.stdout.write(`listening on ${uws.us_socket_local_port(socket)}\n`);
  });
if (fanoutHz > 0) {
  const pad = 'x'.repeat(40);
  setInterval(() => {
    seq++;
    app.publish(
      'all',
      JSON.stringify({
        t: 'lb',
        seq,
        ts: Date.now(),
        changes: [{ player: pad.slice(0, 8), name: pad.slice(0, 12), score: seq, rank: 1 }],
      }),
    );
  }, 1000 / fanoutHz);
}
