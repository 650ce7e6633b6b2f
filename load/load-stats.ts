/**
 * What `hunt load` counts and how it judges it: percentiles from raw samples (never from
 * histograms), the merged tallies of every bot process, and the `--slo` expressions.
 */

/** The p-th percentile (0–100) of raw samples, nearest rank; null when there are none. */
export function percentile(samples: readonly number[], p: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? null;
}

/** What one bot process (or all of them, merged) counted. */
export interface Tally {
  /** requests sent (answers and hints: each gets exactly one reply) */
  sent: { answer: number; answerRight: number; hint: number; move: number };
  /** requests that got a reply other than a refusal (a result, a hint, or a game rule's error) */
  accepted: number;
  /** requests refused by the node (OVERLOADED, RATE_LIMITED, NOT_READY, ...), by code */
  refused: Record<string, number>;
  /** replies that are game-rule errors (ANSWER_COOLDOWN, ALREADY_SOLVED, ...), by code: accepted, and counted apart */
  ruled: Record<string, number>;
  /** answers the server scored as correct */
  correct: number;
  /** requests with no reply when the run ended */
  unanswered: number;
  /** refusal notices for moves (one per retry window, without an id) */
  moveNotices: number;
  /** sockets closed by the server, by close code */
  closed: Record<string, number>;
  /** ms from each answer's intended send time to its reply */
  answerMs: number[];
  /** ms from each `lb` delta's `ts` to its arrival */
  lbMs: number[];
  /** CPU seconds this bot process used (user + system) */
  cpuSeconds: number;
}

export function emptyTally(): Tally {
  return {
    sent: { answer: 0, answerRight: 0, hint: 0, move: 0 },
    accepted: 0,
    refused: {},
    ruled: {},
    correct: 0,
    unanswered: 0,
    moveNotices: 0,
    closed: {},
    answerMs: [],
    lbMs: [],
    cpuSeconds: 0,
  };
}

const addCounts = (into: Record<string, number>, from: Record<string, number>): void => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};

export function mergeTallies(tallies: readonly Tally[]): Tally {
  const out = emptyTally();
  for (const t of tallies) {
    out.sent.answer += t.sent.answer;
    out.sent.answerRight += t.sent.answerRight;
    out.sent.hint += t.sent.hint;
    out.sent.move += t.sent.move;
    out.accepted += t.accepted;
    addCounts(out.refused, t.refused);
    addCounts(out.ruled, t.ruled);
    out.correct += t.correct;
    out.unanswered += t.unanswered;
    out.moveNotices += t.moveNotices;
    addCounts(out.closed, t.closed);
    out.answerMs.push(...t.answerMs);
    out.lbMs.push(...t.lbMs);
    out.cpuSeconds += t.cpuSeconds;
  }
  return out;
}

export const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);

/** One `--slo` clause: `answer.p99<100ms`, `lb.p50<=50ms`, `errors<0.1%`, `refused<1%`. */
export interface SloClause {
  text: string;
  metric: string;
  op: '<' | '<=';
  value: number;
  unit: 'ms' | '%';
}

const SLO_METRICS = [
  'answer.p50',
  'answer.p99',
  'answer.max',
  'lb.p50',
  'lb.p99',
  'lb.max',
  'errors',
  'refused',
] as const;

/** Parses `--slo "answer.p99<100ms,errors<0.1%"`; throws with the clause it cannot read. */
export function parseSlo(spec: string): SloClause[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((text) => {
      const m = /^([a-z]+(?:\.[a-z0-9]+)?)\s*(<=|<)\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|%)$/.exec(text);
      if (!m) throw new Error(`--slo: cannot read "${text}" (e.g. answer.p99<100ms, errors<0.1%)`);
      const metric = m[1]!;
      if (!SLO_METRICS.some((known) => known === metric))
        throw new Error(`--slo: unknown measure "${metric}" (one of ${SLO_METRICS.join(', ')})`);
      const unit = m[4] === '%' ? '%' : 'ms';
      if ((metric === 'errors' || metric === 'refused') !== (unit === '%'))
        throw new Error(`--slo: "${text}": ${metric} is measured in ${unit === '%' ? 'ms' : '%'}`);
      return { text, metric, op: m[2] === '<=' ? '<=' : '<', value: Number(m[3]), unit };
    });
}

/** The measure an SLO clause names, from a run's tally (null when there is no sample). */
export function measure(t: Tally, metric: string): number | null {
  const requests = t.sent.answer + t.sent.hint;
  switch (metric) {
    case 'answer.p50':
      return percentile(t.answerMs, 50);
    case 'answer.p99':
      return percentile(t.answerMs, 99);
    case 'answer.max':
      return percentile(t.answerMs, 100);
    case 'lb.p50':
      return percentile(t.lbMs, 50);
    case 'lb.p99':
      return percentile(t.lbMs, 99);
    case 'lb.max':
      return percentile(t.lbMs, 100);
    // errors: requests refused or never answered, and sockets the server closed, over requests sent
    case 'errors':
      return requests === 0 ? 0 : (100 * (sum(t.refused) + t.unanswered + sum(t.closed))) / requests;
    case 'refused':
      return requests === 0 ? 0 : (100 * sum(t.refused)) / requests;
    default:
      return null;
  }
}

export interface SloVerdict {
  clause: string;
  value: number | null;
  held: boolean;
}

/** Each clause with its measured value; a clause with no sample does not hold. */
export function judge(t: Tally, clauses: readonly SloClause[]): SloVerdict[] {
  return clauses.map((c) => {
    const value = measure(t, c.metric);
    const held = value !== null && (c.op === '<' ? value < c.value : value <= c.value);
    return { clause: c.text, value, held };
  });
}
