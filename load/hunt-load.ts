/**
 * `hunt load`: load-tests any deployment through its public contract. It sets a hunt up with
 * the game-master key (creates one from a template or a definition, or joins players into
 * `--hunt`), launches it, registers the players (a join sent with a GM key is exempt from the
 * per-address join limit), and plays a scenario with WebSocket bots in several processes, or
 * with autocannon over `POST /api/events` (`--http`). It prints a live progress line, then a
 * table, the engine's own counters from `/metrics`, and (with `--report`) a JSON report; with
 * `--slo` the exit status says whether the target held (0 held, 2 missed, 1 could not run).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { HuntHttpClient } from '../client/index.js';
import { runHttpLoad } from './load-http.js';
import type { LoadBotLine, LoadBotOrders } from './load-bot.js';
import { judge, mergeTallies, parseSlo, percentile, sum, type SloVerdict, type Tally } from './load-stats.js';

export const LOAD_USAGE = `hunt load --url <http(s)://host[,host...]> --gm-key <key> [options]
  --hunt <id>                     use this hunt (players are joined into it) instead of creating one
  --template <name>               template for the hunt it creates (default starter)
  --definition <file.json>        a hunt definition (GET /api/hunts/:id/definition) to create it from
  --players <n>                   players to join (default 100)
  --duration <30s|2m>             how long the scenario runs (default 30s)
  --moves-per-player-hz <x>       moves a second per player (default 0.2)
  --answers-per-player-per-min <x> answers a minute per player (default 2)
  --wrong-ratio <0..1>            share of answers sent wrong on purpose (default 0.5)
  --hints <per-player-per-min>    hints a minute per player (default 0)
  --ramp <t:n,t:n>                active players over time, e.g. 0:100,30s:1000 (default: all from the start)
  --procs <n>                     bot processes (default 2)
  --http                          drive POST /api/events with autocannon instead of WebSockets
  --connections <n>               autocannon connections (players) with --http (default 50)
  --report <out.json>             write the JSON report there
  --slo "answer.p99<100ms,errors<0.1%"  judge the run (measures: answer.p50|p99|max, lb.p50|p99|max in ms; errors, refused in %)
  --cleanup                       delete the hunt it created afterwards
  --insecure                      accept a self-signed TLS certificate`;

const seconds = (text: string): number => {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: "${text}" (e.g. 30s, 2m, 500ms)`);
  const n = Number(m[1]);
  return m[2] === 'm' ? n * 60 : m[2] === 'ms' ? n / 1000 : n;
};

const positive = (name: string, text: string, integer = false): number => {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n)))
    throw new Error(`--${name} must be a ${integer ? 'whole ' : ''}number ≥ 0, not "${text}"`);
  return n;
};

/** Parses `0:1000,60s:10000` into ramp points. */
export function parseRamp(text: string): { atS: number; players: number }[] {
  const points = text.split(',').map((part) => {
    const [at, n] = part.split(':');
    if (at === undefined || n === undefined) throw new Error(`--ramp: "${part}" is not <time>:<players>`);
    return { atS: seconds(at), players: positive('ramp', n, true) };
  });
  for (let i = 1; i < points.length; i++)
    if (points[i]!.atS <= points[i - 1]!.atS) throw new Error('--ramp: times must rise');
  return points;
}

export interface LoadOptions {
  urls: string[];
  gmKey: string;
  hunt?: string;
  template: string;
  definition?: string;
  players: number;
  durationS: number;
  movesHz: number;
  answersPerMin: number;
  wrongRatio: number;
  hintsPerMin: number;
  ramp: { atS: number; players: number }[];
  procs: number;
  http: boolean;
  connections: number;
  report?: string;
  slo: string;
  cleanup: boolean;
  insecure: boolean;
}

export function parseLoadArgs(argv: string[]): LoadOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', multiple: true },
      'gm-key': { type: 'string' },
      hunt: { type: 'string' },
      template: { type: 'string', default: 'starter' },
      definition: { type: 'string' },
      players: { type: 'string', default: '100' },
      duration: { type: 'string', default: '30s' },
      'moves-per-player-hz': { type: 'string', default: '0.2' },
      'answers-per-player-per-min': { type: 'string', default: '2' },
      'wrong-ratio': { type: 'string', default: '0.5' },
      hints: { type: 'string', default: '0' },
      ramp: { type: 'string' },
      procs: { type: 'string', default: '2' },
      http: { type: 'boolean', default: false },
      connections: { type: 'string', default: '50' },
      report: { type: 'string' },
      slo: { type: 'string', default: '' },
      cleanup: { type: 'boolean', default: false },
      insecure: { type: 'boolean', default: false },
    },
  });
  const urls = (values.url ?? [])
    .flatMap((u) => u.split(','))
    .map((u) => u.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  if (urls.length === 0) throw new Error('--url is required (one or more front nodes, comma-separated or repeated)');
  for (const u of urls)
    if (!/^https?:\/\/[^/]+$/.test(u)) throw new Error(`--url "${u}" must be http(s)://host[:port]`);
  const gmKey = values['gm-key'] ?? process.env.HUNT_GM_KEY;
  if (!gmKey) throw new Error('--gm-key (or HUNT_GM_KEY) is required to set the hunt up');
  const wrongRatio = positive('wrong-ratio', values['wrong-ratio']);
  if (wrongRatio > 1) throw new Error('--wrong-ratio is a share from 0 to 1');
  const players = positive('players', values.players, true);
  if (players < 1) throw new Error('--players must be at least 1');
  parseSlo(values.slo); // refused early, before any setup
  return {
    urls,
    gmKey,
    ...(values.hunt ? { hunt: values.hunt } : {}),
    template: values.template,
    ...(values.definition ? { definition: values.definition } : {}),
    players,
    durationS: seconds(values.duration),
    movesHz: positive('moves-per-player-hz', values['moves-per-player-hz']),
    answersPerMin: positive('answers-per-player-per-min', values['answers-per-player-per-min']),
    wrongRatio,
    hintsPerMin: positive('hints', values.hints),
    ramp: values.ramp ? parseRamp(values.ramp) : [],
    procs: Math.max(1, positive('procs', values.procs, true)),
    http: values.http,
    connections: Math.max(1, positive('connections', values.connections, true)),
    ...(values.report ? { report: values.report } : {}),
    slo: values.slo,
    cleanup: values.cleanup,
    insecure: values.insecure,
  };
}

/** Sums the samples of one metric (any labels matching `labels`) over every front's `/metrics`. */
async function scrape(urls: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const wanted =
    /^(hunt_events_received_total|hunt_events_applied_total|hunt_events_shed_total|hunt_answers_verified_total|hunt_joins_refused_total|hunt_leaderboard_deltas_total|hunt_ws_connections)(\{[^}]*\})? ([0-9.e+-]+)$/;
  for (const url of urls) {
    const text = await fetch(`${url}/metrics`).then(
      (r) => (r.ok ? r.text() : ''),
      () => '',
    );
    for (const line of text.split('\n')) {
      const m = wanted.exec(line);
      if (m) out[`${m[1]}${m[2] ?? ''}`] = (out[`${m[1]}${m[2] ?? ''}`] ?? 0) + Number(m[3]);
    }
  }
  return out;
}

/** Sets up the hunt: returns its id, whether this run created it, and the answer key. */
async function setUp(
  o: LoadOptions,
  gm: HuntHttpClient,
  say: (s: string) => void,
): Promise<{ id: string; created: boolean }> {
  if (o.hunt) {
    const view = await gm.hunt(o.hunt);
    if (view.status === 'ready') await gm.lifecycle(o.hunt, 'launch');
    return { id: o.hunt, created: false };
  }
  const body: unknown = o.definition
    ? JSON.parse(readFileSync(o.definition, 'utf8'))
    : { name: `load test ${new Date().toISOString()}`, template: o.template };
  const { id } = await gm.request<{ id: string }>('POST', '/api/hunts', body);
  say(`hunt ${id} created; waiting for its puzzles`);
  const view = await gm.waitReady(id, 120_000);
  if (view.status !== 'ready') throw new Error(`hunt ${id} is ${view.status}, not ready`);
  await gm.lifecycle(id, 'launch');
  return { id, created: true };
}

async function joinAll(
  gm: HuntHttpClient,
  hunt: string,
  n: number,
  say: (s: string) => void,
): Promise<{ player: string; token: string }[]> {
  const out: { player: string; token: string }[] = new Array(n);
  let next = 0;
  const stamp = Date.now().toString(36);
  const started = Date.now();
  await Promise.all(
    Array.from({ length: Math.min(16, n) }, async () => {
      for (let i = next++; i < n; i = next++) out[i] = await gm.join(hunt, `load-${stamp}-${i}`);
    }),
  );
  const ms = Date.now() - started;
  say(`${n} players joined in ${ms} ms (${Math.round((n * 1000) / Math.max(1, ms))} joins/s)`);
  return out;
}

/** The bot module next to this one, and how to run it (through tsx from sources, plain from dist). */
function botCommand(): string[] {
  const fromSources = import.meta.url.endsWith('.ts');
  const file = new URL(fromSources ? './load-bot.ts' : './load-bot.js', import.meta.url).pathname;
  return fromSources ? ['--import', 'tsx', file] : [file];
}

async function runBots(
  o: LoadOptions,
  tokens: { token: string }[],
  answers: { puzzle: string; answer: string }[],
  progress: (lines: Map<number, LoadBotLine>, samples: { answerMs: number[]; lbMs: number[] }) => void,
): Promise<Tally[]> {
  const procs = Math.min(o.procs, tokens.length);
  const startAt = Date.now() + 1500 + tokens.length * 2;
  const latest = new Map<number, LoadBotLine>();
  const samples: { answerMs: number[]; lbMs: number[] } = { answerMs: [], lbMs: [] };
  return Promise.all(
    Array.from(
      { length: procs },
      (_, p) =>
        new Promise<Tally>((resolve, reject) => {
          const players = tokens.flatMap((t, index) =>
            index % procs === p ? [{ index, token: t.token, url: o.urls[index % o.urls.length]! }] : [],
          );
          const orders: LoadBotOrders = {
            players,
            answers,
            movesHz: o.movesHz,
            answersPerMin: o.answersPerMin,
            wrongRatio: o.wrongRatio,
            hintsPerMin: o.hintsPerMin,
            ramp: o.ramp,
            durationS: o.durationS,
            startAt,
            insecure: o.insecure,
          };
          const child = spawn(process.execPath, botCommand(), { stdio: ['pipe', 'pipe', 'inherit'] });
          let buffer = '';
          let final: Tally | undefined;
          child.stdout.on('data', (d: Buffer) => {
            buffer += d.toString();
            for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
              const line = JSON.parse(buffer.slice(0, nl)) as LoadBotLine;
              buffer = buffer.slice(nl + 1);
              if (line.type === 'final') final = line.tally;
              else {
                latest.set(p, line);
                samples.answerMs.push(...line.answerMs);
                samples.lbMs.push(...line.lbMs);
                progress(latest, samples);
              }
            }
          });
          child.once('exit', (code) =>
            final && code === 0 ? resolve(final) : reject(new Error(`bot process ${p} exited with ${code}`)),
          );
          child.stdin.end(`${JSON.stringify(orders)}\n`);
        }),
    ),
  );
}

const fmt = (n: number | null, unit = ' ms'): string => (n === null ? '-' : `${Math.round(n * 10) / 10}${unit}`);

function table(t: Tally, wallS: number, http: boolean): string {
  const requests = t.sent.answer + t.sent.hint;
  const rows: [string, string][] = [
    ['answers sent (right)', `${t.sent.answer} (${t.sent.answerRight})`],
    ['hints sent', String(t.sent.hint)],
    ['moves sent', `${t.sent.move} (${Math.round(t.sent.move / wallS)}/s)`],
    ['requests accepted', `${t.accepted} of ${requests}`],
    ['refused, by code', JSON.stringify(t.refused)],
    ['game-rule replies, by code', JSON.stringify(t.ruled)],
    ['correct answers scored', String(t.correct)],
    ['no reply by the end', String(t.unanswered)],
    ['move refusal notices', String(t.moveNotices)],
    ['sockets closed by the server', JSON.stringify(t.closed)],
    [
      http ? 'request round trip p50 / p99 / max' : 'answer round trip p50 / p99 / max',
      `${fmt(percentile(t.answerMs, 50))} / ${fmt(percentile(t.answerMs, 99))} / ${fmt(percentile(t.answerMs, 100))} (${t.answerMs.length} samples)`,
    ],
    [
      'lb delivery p50 / p99 / max',
      `${fmt(percentile(t.lbMs, 50))} / ${fmt(percentile(t.lbMs, 99))} / ${fmt(percentile(t.lbMs, 100))} (${t.lbMs.length} samples)`,
    ],
    [
      'load generator CPU',
      `${t.cpuSeconds.toFixed(1)} s over ${wallS.toFixed(1)} s (${Math.round((100 * t.cpuSeconds) / wallS)} % of a core)`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}

export async function runLoad(
  argv: string[],
  io: { out: (s: string) => void; err: (s: string) => void } = {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  },
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(`${LOAD_USAGE}\n`);
    return 0;
  }
  let o: LoadOptions;
  try {
    o = parseLoadArgs(argv);
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n\n${LOAD_USAGE}\n`);
    return 1;
  }
  const say = (s: string): void => io.err(`${s}\n`);
  const gm = new HuntHttpClient(o.urls[0]!, o.gmKey);
  const before = await scrape(o.urls);
  const { id, created } = await setUp(o, gm, say);
  const key = (await gm.answers(id)).answers.map((a) => ({ puzzle: a.puzzle, answer: a.answer }));
  const tokens = await joinAll(gm, id, o.players, say);
  say(
    `${o.http ? 'autocannon over POST /api/events' : `${Math.min(o.procs, tokens.length)} bot processes`} for ${o.durationS} s against ${o.urls.join(', ')}`,
  );

  const started = Date.now();
  let tally: Tally;
  let autocannonTable: string | undefined;
  let autocannonResult: unknown;
  if (o.http) {
    const res = await runHttpLoad({
      url: o.urls[0]!,
      tokens: tokens.map((t) => t.token),
      answers: key,
      connections: Math.min(o.connections, tokens.length),
      durationS: o.durationS,
      answerShare: o.answersPerMin / 60 / Math.max(1e-9, o.answersPerMin / 60 + o.movesHz),
      wrongRatio: o.wrongRatio,
    });
    tally = res.tally;
    autocannonTable = res.table;
    autocannonResult = res.result;
  } else {
    const tty = process.stderr.isTTY === true;
    let lastPrinted = 0;
    tally = mergeTallies(
      await runBots(o, tokens, key, (latest, samples) => {
        if (!tty && Date.now() - lastPrinted < 5000) return;
        lastPrinted = Date.now();
        const lines = [...latest.values()].flatMap((l) => (l.type === 'progress' ? [l] : []));
        const t = mergeTallies(lines.map((l) => ({ ...l.tally, answerMs: [], lbMs: [] })));
        const s = (Date.now() - started) / 1000;
        const line = `${s.toFixed(0)}s  open ${lines.reduce((a, l) => a + l.open, 0)}  sent ${t.sent.answer + t.sent.hint + t.sent.move} (${Math.round((t.sent.answer + t.sent.hint + t.sent.move) / Math.max(1, s))}/s)  accepted ${t.accepted}  OVERLOADED ${t.refused.OVERLOADED ?? 0}  answer p50/p99 ${fmt(percentile(samples.answerMs, 50))}/${fmt(percentile(samples.answerMs, 99))}  lb p50/p99 ${fmt(percentile(samples.lbMs, 50))}/${fmt(percentile(samples.lbMs, 99))}  errors ${JSON.stringify({ ...t.refused, ...t.ruled })}`;
        io.err(tty ? `\r${line.slice(0, (process.stderr.columns ?? 200) - 1)}` : `${line}\n`);
      }),
    );
    if (tty) io.err('\n');
  }
  const wallS = (Date.now() - started) / 1000;
  // the engine's own counters, as far as the given URLs reach (behind a balancer: one node's)
  const after = await scrape(o.urls);
  const engine: Record<string, number> = {};
  for (const [k, v] of Object.entries(after))
    if (!k.startsWith('hunt_ws_connections')) engine[k] = v - (before[k] ?? 0);

  const clauses = parseSlo(o.slo);
  const verdicts: SloVerdict[] = judge(tally, clauses);
  io.out(
    `\nhunt load: ${o.urls.join(', ')}, hunt ${id}, ${o.players} players, ${o.durationS} s\n${table(tally, wallS, o.http)}\n`,
  );
  if (autocannonTable) io.out(`\nautocannon's own table:\n${autocannonTable}\n`);
  io.out(
    `\nthe engine's view (/metrics of ${o.urls.join(', ')}, during the run):\n${
      Object.entries(engine)
        .filter(([, v]) => v !== 0)
        .map(([k, v]) => `  ${k} ${v}`)
        .join('\n') || '  (nothing counted)'
    }\n`,
  );
  for (const v of verdicts) io.out(`SLO ${v.clause}: ${fmt(v.value, '')} ${v.held ? 'held' : 'MISSED'}\n`);

  if (o.report) {
    const report = {
      machine: {
        cpus: cpus().length,
        cpu: cpus()[0]?.model ?? 'unknown',
        memoryBytes: totalmem(),
        freeBytes: freemem(),
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
      },
      target: { urls: o.urls, hunt: id, created },
      scenario: {
        players: o.players,
        durationS: o.durationS,
        movesPerPlayerHz: o.movesHz,
        answersPerPlayerPerMin: o.answersPerMin,
        wrongRatio: o.wrongRatio,
        hintsPerPlayerPerMin: o.hintsPerMin,
        ramp: o.ramp,
        procs: o.procs,
        http: o.http,
        ...(o.http ? { connections: o.connections } : {}),
      },
      wallSeconds: wallS,
      counts: {
        sent: { ...tally.sent, requests: tally.sent.answer + tally.sent.hint },
        accepted: tally.accepted,
        refused: tally.refused,
        refusedTotal: sum(tally.refused),
        ruled: tally.ruled,
        correct: tally.correct,
        unanswered: tally.unanswered,
        moveNotices: tally.moveNotices,
        closed: tally.closed,
      },
      latencyMs: {
        note: 'answers: from the intended send time to the reply; lb: from the delta ts (server clock) to arrival; percentiles from raw samples',
        answer: {
          samples: tally.answerMs.length,
          p50: percentile(tally.answerMs, 50),
          p90: percentile(tally.answerMs, 90),
          p99: percentile(tally.answerMs, 99),
          max: percentile(tally.answerMs, 100),
        },
        lb: {
          samples: tally.lbMs.length,
          p50: percentile(tally.lbMs, 50),
          p90: percentile(tally.lbMs, 90),
          p99: percentile(tally.lbMs, 99),
          max: percentile(tally.lbMs, 100),
        },
      },
      loadGeneratorCpuSeconds: tally.cpuSeconds,
      engine,
      ...(autocannonResult ? { autocannon: autocannonResult } : {}),
      slo: verdicts,
    };
    writeFileSync(o.report, `${JSON.stringify(report, null, 2)}\n`);
    say(`report written to ${o.report}`);
  }
  if (o.cleanup && created) {
    await gm.request('DELETE', `/api/hunts/${id}`).then(
      () => say(`hunt ${id} deleted`),
      (err: unknown) => say(`could not delete hunt ${id}: ${err instanceof Error ? err.message : String(err)}`),
    );
  }
  return verdicts.every((v) => v.held) ? 0 : 2;
}
