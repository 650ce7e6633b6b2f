/**
 * Team hunts: joining by name or code (and the refusals), two teams of three on two front nodes
 * sharing one progress each, a simultaneous answer scored once, a check-in by one member opening
 * the next puzzle for all, team hints, the team board, messages to a team, removal, the export.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError, PlayerSocket, type ServerMessage, type SolvedMessage, type TeamSummary } from '../client/index.js';
import { DEFAULT_LIMITS } from '../config/index.js';
import { GM_KEY, startCluster, until, type Cluster } from './helpers.js';

const SQUARE = { lat: 43.2965, lng: 5.3698 };

const PUZZLES = [
  {
    id: 'riddle',
    type: 'text',
    title: 'The riddle',
    prompt: 'What has hands but no arms?',
    points: 100,
    answers: ['a clock'],
  },
  {
    id: 'square',
    type: 'checkin',
    title: 'The square',
    prompt: 'Go to the square',
    points: 50,
    location: { ...SQUARE, radius: 60 },
  },
  {
    id: 'fountain',
    type: 'text',
    title: 'The fountain',
    prompt: 'How many lions?',
    points: 70,
    answers: ['four'],
    after: ['square'],
  },
  {
    id: 'hinted',
    type: 'text',
    title: 'Hinted',
    prompt: 'Name the bird on the flag',
    points: 80,
    answers: ['eagle'],
    hints: ['It flies high', 'It has a hooked beak'],
  },
];

interface Joined {
  player: string;
  token: string;
  team?: { id: string; name: string; code: string };
}

describe('team hunts', () => {
  let c: Cluster;
  let hunt: string;

  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker'], ['front']]);
    hunt = (await c.gm().createHunt({ name: 'Teams', puzzles: PUZZLES, teams: { maxSize: 3 } } as never)).id;
    await c.gm().lifecycle(hunt, 'launch');
  });
  afterAll(() => c.close());

  const join = (body: Record<string, unknown>, node = 0): Promise<Joined> =>
    c.gm(node).request('POST', `/api/hunts/${hunt}/players`, body);

  it('joins by a new team name or a code, and refuses a missing, unknown, full or taken team', async () => {
    const { id } = await c.gm().createHunt({ name: 'Join rules', puzzles: PUZZLES, teams: { maxSize: 2 } } as never);
    const j = (body: Record<string, unknown>) => c.gm().request<Joined>('POST', `/api/hunts/${id}/players`, body);
    const codeOf = async (body: Record<string, unknown>) => {
      try {
        await j(body);
        return 'joined';
      } catch (err) {
        return err instanceof HttpError ? `${err.status} ${err.code}` : String(err);
      }
    };
    expect((await c.gm().hunt(id)) as unknown).toMatchObject({ teams: { maxSize: 2 } });
    expect(await codeOf({ name: 'solo' })).toBe('400 TEAM_REQUIRED');
    const first = await j({ name: 'ann', team: 'Owls' });
    expect(first.team).toEqual({ id: expect.any(String), name: 'Owls', code: expect.stringMatching(/^[A-Z2-9]{6}$/) });
    const second = await j({ name: 'bo', teamCode: first.team!.code.toLowerCase() });
    expect(second.team).toEqual(first.team);
    expect(await codeOf({ name: 'cy', teamCode: first.team!.code })).toBe('409 TEAM_FULL');
    expect(await codeOf({ name: 'cy', teamCode: 'ZZZZZZ' })).toBe('404 TEAM_NOT_FOUND');
    expect(await codeOf({ name: 'cy', team: ' owls ' })).toBe('409 TEAM_NAME_TAKEN');
    // anyone reads the teams, never their codes
    const teams = await fetch(`${c.url()}/api/hunts/${id}/teams`).then(
      (r) => r.json() as Promise<{ teams: TeamSummary[] }>,
    );
    expect(teams).toEqual({
      teams: [
        {
          id: first.team!.id,
          name: 'Owls',
          score: 0,
          members: [
            { player: first.player, name: 'ann' },
            { player: second.player, name: 'bo' },
          ],
        },
      ],
    });
    expect(JSON.stringify(teams)).not.toContain(first.team!.code);
    // a hunt becomes a team hunt only before its first player
    await expect(c.gm().request('PATCH', `/api/hunts/${id}`, { teams: null })).rejects.toMatchObject({
      code: 'HUNT_INVALID_TRANSITION',
    });
    await c.gm().request('PATCH', `/api/hunts/${id}`, { teams: { maxSize: 3 } });
    expect(await codeOf({ name: 'cy', teamCode: first.team!.code })).toBe('joined');
  });

  it('plays as two teams of three on two nodes: one progress and one score per team', async () => {
    const red = [await join({ name: 'r1', team: 'Red' })];
    const blue = [await join({ name: 'b1', team: 'Blue' }, 1)];
    for (const name of ['r2', 'r3']) red.push(await join({ name, teamCode: red[0]!.team!.code }, 1));
    for (const name of ['b2', 'b3']) blue.push(await join({ name, teamCode: blue[0]!.team!.code }));
    expect(new Set(red.map((m) => m.team?.id)).size).toBe(1);
    // members spread over both nodes
    const redWs = await Promise.all(red.map((m, i) => PlayerSocket.connect(c.url(i % 2), m.token)));
    const blueWs = await Promise.all(blue.map((m, i) => PlayerSocket.connect(c.url((i + 1) % 2), m.token)));
    const welcomes = await Promise.all([...redWs, ...blueWs].map((s) => s.waitType('welcome')));
    expect(welcomes[0]!.team).toEqual({
      id: red[0]!.team!.id,
      name: 'Red',
      code: red[0]!.team!.code,
      members: ['r1', 'r2', 'r3'].map((name, i) => ({ player: red[i]!.player, name })),
    });
    expect(welcomes[0]!.leaderboard.every((e) => 'team' in e && !('player' in e))).toBe(true);

    // r1 and r2 answer the riddle at the same moment, on two nodes: scored once
    const [one, two] = await Promise.all([
      redWs[0]!.request({ t: 'answer', id: 'same-1', puzzle: 'riddle', answer: 'A clock' }),
      redWs[1]!.request({ t: 'answer', id: 'same-2', puzzle: 'riddle', answer: 'a clock!' }),
    ]);
    const outcomes = [one, two]
      .map((m) => (m.t === 'result' ? `correct ${m.correct}` : m.t === 'error' ? m.code : m.t))
      .sort();
    expect(outcomes).toEqual(['ALREADY_SOLVED', 'correct true']);
    const won = [one, two].find((m) => m.t === 'result') as Extract<ServerMessage, { t: 'result' }>;
    const solver = won === one ? red[0]! : red[1]!;
    const other = won === one ? redWs[1]! : redWs[0]!;
    const teamScore = async (name: string) =>
      (await c.gm().request<{ teams: TeamSummary[] }>('GET', `/api/hunts/${hunt}/teams`)).teams.find(
        (t) => t.name === name,
      )?.score;
    expect(await teamScore('Red')).toBe(won.points);
    // the third member, and the one who lost the race, hear who solved it; the solver does not
    const isSolved = (m: ServerMessage): m is SolvedMessage => m.t === 'solved';
    for (const ws of [redWs[2]!, other])
      expect(await ws.waitFor(isSolved)).toEqual({
        t: 'solved',
        puzzle: 'riddle',
        by: solver.player,
        name: solver === red[0] ? 'r1' : 'r2',
      });
    // the board and its deltas rank teams
    const lb = await redWs[2]!.waitFor(
      (m) => m.t === 'lb' && m.changes.some((ch) => ch.team === red[0]!.team!.id && ch.score === won.points),
    );
    expect(lb.t === 'lb' && lb.changes.find((ch) => ch.team === red[0]!.team!.id)).toEqual({
      team: red[0]!.team!.id,
      name: 'Red',
      score: won.points,
      rank: 1,
    });
    expect((await c.gm().leaderboard(hunt, 5)).entries[0]).toEqual({
      rank: 1,
      team: red[0]!.team!.id,
      name: 'Red',
      score: won.points,
    });
    // blue has none of red's progress
    expect(
      await blueWs[0]!.request({ t: 'answer', id: 'b-riddle', puzzle: 'riddle', answer: 'a clock' }),
    ).toMatchObject({ t: 'result', correct: true });
    expect(redWs[2]!.received.some((m) => isSolved(m) && m.by === blue[0]!.player)).toBe(false);

    // b1 checks in at the square: the team scores, and the fountain opens for every member
    for (let i = 0; i < 3; i++) blueWs[0]!.send({ t: 'move', lat: SQUARE.lat, lng: SQUARE.lng + i * 1e-6 });
    expect(await blueWs[0]!.waitType('checkin', 20_000)).toMatchObject({ puzzle: 'square', points: 50 });
    for (const ws of blueWs.slice(1)) {
      expect(await ws.waitFor((m) => isSolved(m) && m.puzzle === 'square', 20_000)).toMatchObject({
        puzzle: 'square',
        by: blue[0]!.player,
        name: 'b1',
      });
      const opened = await ws.waitFor(
        (m) => m.t === 'puzzle' && m.puzzle.id === 'fountain' && !m.puzzle.locked,
        20_000,
      );
      expect(opened).toMatchObject({ t: 'puzzle', puzzle: { id: 'fountain', locked: false } });
    }
    expect(
      await blueWs[2]!.request({ t: 'answer', id: 'b3-fountain', puzzle: 'fountain', answer: 'Four' }),
    ).toMatchObject({ t: 'result', correct: true });
    // red has not checked in: the fountain stays locked for red
    expect(
      await redWs[0]!.request({ t: 'answer', id: 'r-fountain', puzzle: 'fountain', answer: 'four' }),
    ).toMatchObject({ t: 'error', code: 'PUZZLE_LOCKED' });

    // hints are the team's: r2 pays, r3 reconnects and has the hint too; the team's score paid for it
    const before = await teamScore('Red');
    const hint = await redWs[1]!.request({ t: 'hint', id: 'r2-h', puzzle: 'hinted' });
    expect(hint).toMatchObject({ t: 'hint', text: 'It flies high' });
    const penalty = hint.t === 'hint' ? hint.penalty : NaN;
    await until('the hint paid from the team score', async () =>
      (await teamScore('Red')) === (before ?? 0) - penalty ? true : undefined,
    );
    redWs[2]!.close();
    redWs[2] = await PlayerSocket.connect(c.url(1), red[2]!.token);
    const again = await redWs[2].waitType('welcome');
    expect(again.puzzles.find((p) => p.id === 'hinted')).toMatchObject({ hints: ['It flies high'] });
    expect(again.puzzles.find((p) => p.id === 'riddle')).toMatchObject({ solved: true });
    expect(await redWs[2].request({ t: 'hint', id: 'r3-h', puzzle: 'hinted' })).toMatchObject({
      t: 'hint',
      text: 'It has a hooked beak',
    });

    // a message to blue reaches blue's three members only
    const sent = await c.gm().request<{ id: string }>('POST', `/api/hunts/${hunt}/messages`, {
      text: 'Blue: well done',
      to: { team: blue[0]!.team!.id },
    });
    for (const ws of blueWs)
      expect(await ws.waitFor((m) => m.t === 'message' && m.id === sent.id)).toMatchObject({
        text: 'Blue: well done',
        to: { team: blue[0]!.team!.id },
      });
    const everyone = await c.gm().request<{ id: string }>('POST', `/api/hunts/${hunt}/messages`, { text: 'all' });
    await redWs[0]!.waitFor((m) => m.t === 'message' && m.id === everyone.id);
    expect(redWs.some((ws) => ws.received.some((m) => m.t === 'message' && m.id === sent.id))).toBe(false);
    await expect(
      c.gm().request('POST', `/api/hunts/${hunt}/messages`, { text: 'x', to: { team: 'nosuchteam' } }),
    ).rejects.toMatchObject({ code: 'TEAM_NOT_FOUND' });

    // the GM removes r3: r3 leaves the team, which keeps its score
    const kept = await teamScore('Red');
    await c.gm().request('DELETE', `/api/hunts/${hunt}/players/${red[2]!.player}`);
    expect(await redWs[2].waitClose()).toBe(4008);
    const teams = (await c.gm().request<{ teams: TeamSummary[] }>('GET', `/api/hunts/${hunt}/teams`)).teams;
    expect(teams.find((t) => t.name === 'Red')).toMatchObject({
      score: kept,
      members: [
        { player: red[0]!.player, name: 'r1' },
        { player: red[1]!.player, name: 'r2' },
      ],
    });
    // an adjustment of a member is the team's
    const { score } = await c
      .gm()
      .request<{ score: number }>('POST', `/api/hunts/${hunt}/players/${red[0]!.player}/adjust`, {
        points: 5,
        reason: 'kind',
      });
    expect(score).toBe((kept ?? 0) + 5);

    // the export lists teams and members
    const exported = await c.gm().request<{
      teams: { team: string; name: string; members: string[] }[];
      players: { player: string; team?: string; removed: boolean }[];
    }>('GET', `/api/hunts/${hunt}/export`);
    expect(exported.teams.map((t) => [t.name, t.members.length]).sort()).toEqual([
      ['Blue', 3],
      ['Red', 2],
    ]);
    expect(exported.players.find((p) => p.player === red[2]!.player)).toMatchObject({
      team: red[0]!.team!.id,
      removed: true,
    });
    const csv = await c.gm().request<string>('GET', `/api/hunts/${hunt}/export`, undefined, GM_KEY, 'text/csv');
    expect(csv.split('\r\n')[0]).toBe('kind,at,player,name,puzzle,points,score,reason,team');
    expect(csv).toContain(`team,`);
    for (const ws of [...redWs, ...blueWs]) ws.close();
  });

  it('keeps attempt limits per player, not per team', async () => {
    const { id } = await c.gm().createHunt({ name: 'Limits', puzzles: PUZZLES, teams: { maxSize: 3 } } as never);
    await c.gm().lifecycle(id, 'launch');
    const a = await c.gm().request<Joined>('POST', `/api/hunts/${id}/players`, { name: 'a', team: 'T' });
    const b = await c.gm().request<Joined>('POST', `/api/hunts/${id}/players`, { name: 'b', teamCode: a.team!.code });
    const wa = await PlayerSocket.connect(c.url(), a.token);
    const wb = await PlayerSocket.connect(c.url(1), b.token);
    await Promise.all([wa.waitType('welcome'), wb.waitType('welcome')]);
    // a spends the minute's answers on the riddle; b, on the same team, still has all of hers
    const perMinute = DEFAULT_LIMITS.answersPerMinutePerPuzzle;
    for (let i = 0; i < perMinute; i++)
      expect(await wa.request({ t: 'answer', id: `w${i}`, puzzle: 'riddle', answer: 'wrong' })).toMatchObject({
        t: 'result',
        correct: false,
      });
    expect(await wa.request({ t: 'answer', id: 'over', puzzle: 'riddle', answer: 'a clock' })).toMatchObject({
      t: 'error',
      code: 'TOO_MANY_ATTEMPTS',
    });
    expect(await wb.request({ t: 'answer', id: 'b1', puzzle: 'riddle', answer: 'a clock' })).toMatchObject({
      t: 'result',
      correct: true,
    });
    wa.close();
    wb.close();
  });
});
