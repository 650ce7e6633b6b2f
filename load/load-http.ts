/**
 * `hunt load --http`: drives `POST /api/events` with autocannon instead of sockets. Each
 * autocannon connection stands for one player and keeps that player's token, so the
 * per-player limits behave as they do in play (one token for every connection would hit one
 * player's bucket; a token per request would not be a player at all). Each request carries one
 * event: a move, or an answer (right or wrong, by the scenario) with a fresh request id.
 */
import autocannon from 'autocannon';
import { errorOf } from '../protocol/index.js';
import { emptyTally, type Tally } from './load-stats.js';
import { REFUSALS } from './load-bot.js';

export interface HttpLoadOrders {
  url: string;
  tokens: string[];
  answers: { puzzle: string; answer: string }[];
  connections: number;
  durationS: number;
  /** share of requests that are answers (the rest are moves) */
  answerShare: number;
  wrongRatio: number;
}

export async function runHttpLoad(
  o: HttpLoadOrders,
): Promise<{ tally: Tally; result: autocannon.Result; table: string }> {
  const tally = emptyTally();
  let nextToken = 0;
  let serial = 0;
  const cpuStart = process.cpuUsage();
  interface Context {
    token?: string;
    puzzle?: number;
    sentAt?: number;
  }
  const instance = autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.durationS,
    requests: [
      {
        method: 'POST',
        path: '/api/events',
        setupRequest: (req, raw) => {
          const context = raw as Context;
          // the connection's player, fixed on its first request
          context.token ??= o.tokens[nextToken++ % o.tokens.length];
          context.puzzle ??= 0;
          let event: Record<string, unknown>;
          const target = o.answers[context.puzzle % Math.max(1, o.answers.length)];
          if (target && Math.random() < o.answerShare) {
            const right = Math.random() >= o.wrongRatio;
            event = {
              t: 'answer',
              id: `ha${serial++}`,
              puzzle: target.puzzle,
              answer: right ? target.answer : 'not it',
            };
            tally.sent.answer++;
            if (right) {
              tally.sent.answerRight++;
              context.puzzle++;
            }
          } else {
            event = { t: 'move', lat: 43.29 + Math.random() / 100, lng: 5.37 + Math.random() / 100 };
            tally.sent.move++;
          }
          context.sentAt = Date.now();
          return {
            ...req,
            headers: { ...req.headers, authorization: `Bearer ${context.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ events: [event] }),
          };
        },
        onResponse: (status, body, raw) => {
          const context = raw as Context;
          if (context.sentAt !== undefined) tally.answerMs.push(Date.now() - context.sentAt);
          if (status === 202) {
            tally.accepted++;
            return;
          }
          let code = `HTTP_${status}`;
          try {
            const parsed: unknown = JSON.parse(body);
            const c = errorOf(parsed)?.code;
            if (c !== undefined) code = c;
          } catch {
            // not JSON: counted by status
          }
          if (REFUSALS.has(code) || status >= 500) tally.refused[code] = (tally.refused[code] ?? 0) + 1;
          else tally.ruled[code] = (tally.ruled[code] ?? 0) + 1;
        },
      },
    ],
  });
  const result = await instance;
  // requests still in flight when the duration ran out (one a connection at most)
  const answered =
    tally.accepted +
    Object.values(tally.refused).reduce((a, b) => a + b, 0) +
    Object.values(tally.ruled).reduce((a, b) => a + b, 0);
  tally.unanswered = tally.sent.answer + tally.sent.move - answered;
  const cpu = process.cpuUsage(cpuStart);
  tally.cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const table = autocannon.printResult(result, { renderLatencyTable: true, renderResultsTable: true });
  return { tally, result, table };
}
