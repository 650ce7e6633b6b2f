/** WebSocket bots for the benchmark: connect many, blast or pace moves, time requests. */
import WebSocket from 'ws';
import { jsonString } from './json.js';

export interface Bot {
  ws: WebSocket;
  pending: Map<string, number>;
}

export async function connectBots(urls: string[]): Promise<Bot[]> {
  return Promise.all(
    urls.map(
      (url) =>
        new Promise<Bot>((resolve, reject) => {
          const ws = new WebSocket(url, { perMessageDeflate: false });
          const bot: Bot = { ws, pending: new Map() };
          ws.once('open', () => resolve(bot));
          ws.once('error', reject);
        }),
    ),
  );
}

/** Sends moves as fast as the sockets drain, for `seconds`; returns how many were written. */
export async function blast(bots: Bot[], seconds: number): Promise<number> {
  let sent = 0;
  const until = Date.now() + seconds * 1000;
  const frame = JSON.stringify({ t: 'move', lat: 48.8566, lng: 2.3522 });
  await new Promise<void>((resolve) => {
    const step = (): void => {
      if (Date.now() >= until) return resolve();
      for (const b of bots) {
        if (b.ws.bufferedAmount > 32 * 1024) continue;
        for (let i = 0; i < 20; i++) b.ws.send(frame);
        sent += 20;
      }
      setImmediate(step);
    };
    step();
  });
  return sent;
}

/** Paces `rate` moves per second over all bots for `seconds`, plus `requestRate` requests per second built by `request`. */
export async function paced(
  bots: Bot[],
  rate: number,
  seconds: number,
  request: (bot: Bot, i: number) => string | null,
  requestRate: number,
): Promise<{ sent: number }> {
  let sent = 0;
  let carry = 0;
  let requestCarry = 0;
  let n = 0;
  const frame = JSON.stringify({ t: 'move', lat: 48.8566, lng: 2.3522 });
  const started = Date.now();
  let last = started;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = Date.now();
      if (now - started >= seconds * 1000) {
        clearInterval(timer);
        return resolve();
      }
      const elapsed = now - last;
      last = now;
      carry += (rate * elapsed) / 1000;
      const count = Math.floor(carry);
      carry -= count;
      for (let i = 0; i < count; i++) bots[(sent + i) % bots.length]?.ws.send(frame);
      sent += count;
      requestCarry += (requestRate * elapsed) / 1000;
      for (; requestCarry >= 1; requestCarry--) {
        const bot = bots[n % bots.length];
        if (!bot) break;
        const text = request(bot, n++);
        if (text) bot.ws.send(text);
      }
    }, 5);
  });
  return { sent };
}

/** Records round trips of replies carrying an `id` that was registered in `bot.pending`. */
export function timeReplies(bots: Bot[], into: number[]): void {
  for (const bot of bots) {
    bot.ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (!text.includes('"id"')) return;
      const id = jsonString(text, 'id');
      if (!id) return;
      const started = bot.pending.get(id);
      if (started === undefined) return;
      bot.pending.delete(id);
      into.push(performance.now() - started);
    });
  }
}

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

export function closeBots(bots: Bot[]): void {
  for (const b of bots) b.ws.terminate();
}
