/**
 * `hunt load` against a local deployment of two front nodes: a short WebSocket scenario whose
 * report must agree with the servers' own counters and with the hunt's export (every request
 * accounted for as accepted or refused, the answers scored equal to the correct results the
 * bots heard), and an `--slo` that cannot hold makes the exit status 2.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GM_KEY, metricValue, ROOT, startCluster, type Cluster } from './helpers.js';

interface Report {
  target: { hunt: string };
  counts: {
    sent: { requests: number; answer: number; answerRight: number; move: number };
    accepted: number;
    refusedTotal: number;
    unanswered: number;
    correct: number;
  };
  latencyMs: { answer: { samples: number; p99: number | null }; lb: { samples: number } };
  engine: Record<string, number>;
  slo: { clause: string; held: boolean }[];
}

function hunt(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'load', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => resolve({ code, out, err }));
  });
}

describe('hunt load', () => {
  let c: Cluster;
  const dir = mkdtempSync(join(tmpdir(), 'hunt-load-'));
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker'], ['front']]);
  });
  afterAll(async () => {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('plays a scenario over two fronts and reports what the servers counted', { timeout: 180_000 }, async () => {
    const report = join(dir, 'report.json');
    const metrics = async (): Promise<string> =>
      (await Promise.all([0, 1].map((i) => fetch(`${c.url(i)}/metrics`).then((r) => r.text())))).join('\n');
    const run = await hunt([
      '--url',
      `${c.url(0)},${c.url(1)}`,
      '--gm-key',
      GM_KEY,
      '--players',
      '24',
      '--duration',
      '4s',
      '--moves-per-player-hz',
      '2',
      '--answers-per-player-per-min',
      '40',
      '--wrong-ratio',
      '0.3',
      '--procs',
      '2',
      '--report',
      report,
      '--slo',
      'answer.p99<60000ms,errors<100%',
    ]);
    expect(run.code, `${run.err}\n${run.out}`).toBe(0);
    expect(run.out).toContain('SLO answer.p99<60000ms');
    const r = JSON.parse(readFileSync(report, 'utf8')) as Report;
    // every request is accounted for: accepted or refused, nothing left without a reply
    expect(r.counts.sent.requests).toBeGreaterThan(0);
    expect(r.counts.unanswered).toBe(0);
    expect(r.counts.accepted + r.counts.refusedTotal).toBe(r.counts.sent.requests);
    expect(r.counts.sent.requests).toBe(r.counts.sent.answer); // no hints asked for, none sent
    expect(r.latencyMs.answer.samples).toBe(r.counts.sent.answer);
    // the servers' view: answers received by the fronts are those not refused
    expect(r.engine['hunt_events_received_total{type="answer"}']).toBe(r.counts.sent.answer - r.counts.refusedTotal);
    // answers scored: the correct results the bots heard, the shard's verdicts, and the export's solves agree
    expect(r.counts.correct).toBeGreaterThan(0);
    expect(r.counts.correct).toBeLessThanOrEqual(r.counts.sent.answerRight);
    expect(r.engine['hunt_answers_verified_total{correct="true"}']).toBe(r.counts.correct);
    const exported = await c.gm().request<{ events: { k: string }[] }>('GET', `/api/hunts/${r.target.hunt}/export`);
    expect(exported.events.filter((e) => e.k === 'solve')).toHaveLength(r.counts.correct);
    // moves reached the engine (the shard folds them, so applied counts what it took)
    expect(metricValue(await metrics(), 'hunt_events_received_total{type="move"}')).toBeGreaterThan(0);
    expect(r.latencyMs.lb.samples).toBeGreaterThan(0);
    expect(r.slo.every((s) => s.held)).toBe(true);
  });

  it('exits 2 when the target misses an SLO, and 1 on arguments it cannot read', { timeout: 120_000 }, async () => {
    const missed = await hunt([
      '--url',
      c.url(0),
      '--gm-key',
      GM_KEY,
      '--players',
      '4',
      '--duration',
      '2s',
      '--answers-per-player-per-min',
      '60',
      '--slo',
      'answer.p99<0ms',
    ]);
    expect(missed.code, missed.err).toBe(2);
    expect(missed.out).toMatch(/SLO answer\.p99<0ms: .* MISSED/);
    const bad = await hunt(['--url', c.url(0), '--gm-key', GM_KEY, '--slo', 'answer.p99 fast']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--slo: cannot read');
  });

  it(
    "drives POST /api/events with autocannon, a token per connection, and prints autocannon's table beside the engine's view",
    { timeout: 120_000 },
    async () => {
      const report = join(dir, 'http.json');
      const run = await hunt([
        '--url',
        c.url(1),
        '--gm-key',
        GM_KEY,
        '--http',
        '--players',
        '8',
        '--connections',
        '8',
        '--duration',
        '3s',
        '--moves-per-player-hz',
        '2',
        '--answers-per-player-per-min',
        '60',
        '--report',
        report,
      ]);
      expect(run.code, run.err).toBe(0);
      expect(run.out).toContain("autocannon's own table");
      expect(run.out).toMatch(/Latency/);
      const r = JSON.parse(readFileSync(report, 'utf8')) as Report & { counts: { ruled: Record<string, number> } };
      const events = r.counts.sent.answer + r.counts.sent.move;
      expect(events).toBeGreaterThan(0);
      // every request answered (202, a refusal, or a rule's error) or still in flight at the end, one a connection at most
      expect(r.counts.unanswered).toBeLessThanOrEqual(8);
      expect(
        r.counts.accepted +
          r.counts.refusedTotal +
          Object.values(r.counts.ruled).reduce((a, b) => a + b, 0) +
          r.counts.unanswered,
      ).toBe(events);
      // what the front took is what it counted as received (only the URL given is scraped, and it took them all)
      const received =
        (r.engine['hunt_events_received_total{type="answer"}'] ?? 0) +
        (r.engine['hunt_events_received_total{type="move"}'] ?? 0);
      expect(received).toBeGreaterThanOrEqual(r.counts.accepted);
      expect(received).toBeLessThanOrEqual(r.counts.accepted + r.counts.unanswered);
    },
  );
});
