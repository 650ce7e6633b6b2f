/**
 * Replies go to the front that holds the player's socket, on its own reply channel of the hunt:
 * a front hears no replies to the players of another front, an answer sent over HTTP to node A
 * for a player connected to node B gets its reply on B, and a socket that moved to another node
 * gets the first reply again for a request id it sends again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket, type ServerMessage } from '../client/index.js';
import { liveHunt, metricValue, startCluster, until, type Cluster } from './helpers.js';

const NOT_HELD = 'hunt_replies_received_total{held="no"}';
const HELD = 'hunt_replies_received_total{held="yes"}';

describe('replies to the front that holds the socket', () => {
  let c: Cluster;
  let hunt: { id: string; answers: Map<string, string> };
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker'], ['front']]);
    hunt = await liveHunt(c.gm(), 2);
  });
  afterAll(() => c.close());

  const metric = (node: number, sample: string): number => metricValue(c.nodes[node]!.metrics.render(), sample);
  const puzzles = (): string[] => [...hunt.answers.keys()];

  const connect = async (node: number, name: string): Promise<{ player: string; token: string; ws: PlayerSocket }> => {
    const joined = await c.gm(node).join(hunt.id, name);
    const ws = await PlayerSocket.connect(c.url(node), joined.token);
    await ws.waitType('welcome');
    return { ...joined, ws };
  };

  const wrong = (ws: PlayerSocket, puzzle: string): Promise<ServerMessage> =>
    ws.request({ t: 'answer', id: ws.nextId(), puzzle, answer: 'not the answer' });

  it('sends a front only the replies of the players it holds', async () => {
    const [a, b] = [await connect(0, 'on-a'), await connect(1, 'on-b')];
    const before = [metric(0, NOT_HELD), metric(1, NOT_HELD), metric(0, HELD), metric(1, HELD)];
    // 3 answers each, refused by the cooldown after the first: results and errors, all replies
    for (let i = 0; i < 3; i++) {
      expect((await wrong(a.ws, puzzles()[0]!)).t).toMatch(/^(result|error)$/);
      expect((await wrong(b.ws, puzzles()[1]!)).t).toMatch(/^(result|error)$/);
    }
    await until('each front counted its own 3 replies', async () =>
      metric(0, HELD) - before[2]! >= 3 && metric(1, HELD) - before[3]! >= 3 ? true : undefined,
    );
    expect(metric(0, NOT_HELD) - before[0]!).toBe(0);
    expect(metric(1, NOT_HELD) - before[1]!).toBe(0);
    a.ws.close();
    b.ws.close();
  });

  it('replies on node B to an answer sent over HTTP to node A, and again on node A to the same id after the socket moved', async () => {
    const b = await connect(1, 'http-on-a');
    const puzzle = puzzles()[0]!;
    const id = 'over-http-1';
    const res = await fetch(`${c.url(0)}/api/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${b.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [{ t: 'answer', id, puzzle, answer: hunt.answers.get(puzzle) }] }),
    });
    expect(res.status).toBe(202);
    const first = await b.ws.waitFor((m) => 'id' in m && m.id === id);
    expect(first).toMatchObject({ t: 'result', id, correct: true });
    // the socket moves to node A (a restart, a new tab): the same request id gets the first reply again there
    b.ws.close();
    await b.ws.waitClose();
    const moved = await PlayerSocket.connect(c.url(0), b.token);
    await moved.waitType('welcome');
    const again = await moved.request({ t: 'answer', id, puzzle, answer: hunt.answers.get(puzzle)! });
    expect(again).toEqual(first);
    moved.close();
  });
});
