/**
 * The ceiling: a uWebSockets.js server that does nothing with moves but count them and
 * answers pings. The benchmark drives it with the same bots it points at the hunt server.
 * Usage: tsx load/noop-server.ts <port>; GET /count returns the messages received.
 */
import { loadNativeUws } from '../server/uws-native.js';

const uws = loadNativeUws();
let count = 0;
const port = Number(process.argv[2] ?? 0);
uws
  .App()
  .ws('/ws', {
    maxPayloadLength: 16 * 1024,
    maxBackpressure: 1024 * 1024,
    idleTimeout: 120,
    message: (ws, message) => {
      count++;
      const text = Buffer.from(message).toString();
      if (text.includes('"ping"')) {
        const id = (JSON.parse(text) as { id?: string }).id;
        ws.send(JSON.stringify({ t: 'pong', id, ts: Date.now() }));
      }
    },
  })
  .get('/count', (res) => void res.end(String(count)))
  .listen('127.0.0.1', port, (socket) => {
    if (!socket) process.exit(1);
    process.stdout.write(`listening on ${uws.us_socket_local_port(socket)}\n`);
  });
