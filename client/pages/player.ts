/**
 * The player app: join a hunt from a link or code, solve puzzles in views made for each type,
 * take hints, and watch the live leaderboard. The connection recovers by itself.
 */
import { HuntConnection, type ConnectionState, type SocketLike } from '../connection.js';
import type { LbDelta, LeaderboardEntry, PublicPuzzle, ServerMessage } from '../../protocol/messages.js';
import { clear, ERROR_TEXT, h, toast } from './dom.js';
import { renderPuzzleView } from './puzzle-views.js';

interface Session {
  hunt: string;
  player: string;
  token: string;
  name: string;
}

const app = document.getElementById('app') as HTMLElement;
const params = new URLSearchParams(location.search);

const state = {
  session: null as Session | null,
  conn: null as HuntConnection | null,
  connState: 'closed' as ConnectionState,
  huntName: '',
  huntStatus: '',
  puzzles: [] as PublicPuzzle[],
  board: new Map<string, LeaderboardEntry>(),
  you: { rank: null as number | null, score: 0 },
  selected: '' as string,
  hintCost: new Map<string, number>(),
  hints: new Map<string, string[]>(),
  watchingLocation: false,
};

function storageKey(hunt: string): string {
  return `hunt-session:${hunt}`;
}

function loadSession(hunt: string): Session | null {
  try {
    const raw = localStorage.getItem(storageKey(hunt));
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function joinView(error = ''): void {
  const code = h('input', { name: 'hunt', required: true, value: params.get('hunt') ?? '', 'aria-label': 'Hunt code', placeholder: 'hunt code' });
  const name = h('input', { name: 'name', required: true, maxLength: 32, 'aria-label': 'Display name', placeholder: 'your name', autocomplete: 'nickname' });
  const form = h(
    'form',
    {
      class: 'stack panel',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void join(code.value.trim(), name.value.trim());
      },
    },
    h('h2', {}, 'Join a treasure hunt'),
    h('label', {}, 'Hunt code', code),
    h('label', {}, 'Display name', name),
    h('button', { class: 'primary', type: 'submit' }, 'Join'),
    error ? h('p', { class: 'error', role: 'alert' }, error) : null,
  );
  clear(app, h('header', { class: 'bar' }, h('h1', {}, 'Treasure hunt')), h('section', { class: 'panel' }, form));
  (params.get('hunt') ? name : code).focus();
}

async function join(hunt: string, name: string): Promise<void> {
  if (!hunt || !name) return joinView('Enter the hunt code and a name.');
  const res = await fetch(`/api/hunts/${encodeURIComponent(hunt)}/players`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  const body = (await res.json()) as { player?: string; token?: string; error?: { message: string } };
  if (!res.ok || !body.player || !body.token) return joinView(body.error?.message ?? 'Could not join.');
  const session = { hunt, player: body.player, token: body.token, name };
  localStorage.setItem(storageKey(hunt), JSON.stringify(session));
  history.replaceState(null, '', `/?hunt=${encodeURIComponent(hunt)}`);
  play(session);
}

function play(session: Session): void {
  state.session = session;
  const conn = new HuntConnection({
    baseUrl: location.origin,
    token: session.token,
    socket: (url) => new WebSocket(url) as unknown as SocketLike,
    onMessage: onMessage,
    onState: (s, detail) => {
      state.connState = s;
      if (s === 'closed' && (detail?.code === 4001 || detail?.code === 4008)) {
        localStorage.removeItem(storageKey(session.hunt));
        toast(detail.code === 4008 ? 'You were removed from this hunt.' : 'Your session ended; join again.', 'bad');
        joinView();
        return;
      }
      renderHeader();
    },
  });
  state.conn = conn;
  (window as unknown as { huntDebug: unknown }).huntDebug = { drop: (holdMs?: number) => conn.drop(holdMs), state: () => state.connState, you: () => state.you };
  renderShell();
  conn.start();
}

function onMessage(msg: ServerMessage): void {
  switch (msg.t) {
    case 'welcome':
      state.huntName = msg.hunt.name;
      state.huntStatus = msg.hunt.status;
      state.puzzles = msg.puzzles;
      state.board = new Map(msg.leaderboard.map((e) => [e.player, e]));
      state.you = msg.you;
      state.selected ||= msg.puzzles.find((p) => !p.locked && !p.solved)?.id ?? msg.puzzles[0]?.id ?? '';
      renderAll();
      break;
    case 'lb':
      applyDelta(msg);
      renderBoard();
      break;
    case 'hunt':
      state.huntStatus = msg.status;
      renderHeader();
      toast(`The hunt is now ${msg.status}.`);
      break;
    case 'found': {
      const i = state.puzzles.findIndex((p) => p.id === msg.puzzle.id);
      // keep what the welcome said (the hint cost) and take the unlocked prompt
      if (i >= 0) state.puzzles[i] = { ...state.puzzles[i], ...msg.puzzle } as PublicPuzzle;
      toast(`You found a puzzle: ${msg.puzzle.type}!`, 'good');
      renderAll();
      break;
    }
    default:
      break;
  }
}

function applyDelta(delta: LbDelta): void {
  for (const ch of delta.changes) {
    if (ch.score === null || ch.rank === null) state.board.delete(ch.player);
    else state.board.set(ch.player, { player: ch.player, name: ch.name, score: ch.score, rank: ch.rank });
    if (ch.player === state.session?.player) state.you = { rank: ch.rank, score: ch.score ?? 0 };
  }
}

function renderShell(): void {
  clear(
    app,
    h('header', { class: 'bar', id: 'bar' }),
    h('div', { class: 'layout' }, h('section', { class: 'panel', id: 'list', 'aria-label': 'Puzzles' }), h('section', { class: 'panel', id: 'detail', 'aria-label': 'Puzzle' }), h('section', { class: 'panel', id: 'board', 'aria-label': 'Leaderboard' })),
  );
}

function renderAll(): void {
  if (!document.getElementById('bar')) renderShell();
  renderHeader();
  renderList();
  renderDetail();
  renderBoard();
}

const CONN_TEXT: Record<ConnectionState, string> = { connecting: 'Connecting…', open: 'Live', reconnecting: 'Reconnecting…', closed: 'Offline' };

function renderHeader(): void {
  const bar = document.getElementById('bar');
  if (!bar) return;
  clear(
    bar,
    h('h1', {}, state.huntName || 'Treasure hunt'),
    h('div', { class: 'row' }, h('span', { class: `pill ${state.huntStatus}`, id: 'hunt-status' }, state.huntStatus || '…'), h('span', { class: `pill ${state.connState}`, id: 'conn-state', role: 'status' }, CONN_TEXT[state.connState])),
  );
}

function renderList(): void {
  const list = document.getElementById('list');
  if (!list) return;
  clear(
    list,
    h('h2', {}, 'Puzzles'),
    h(
      'ul',
      { class: 'cards' },
      ...state.puzzles.map((p) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              class: p.id === state.selected ? 'selected' : '',
              'data-puzzle': p.id,
              onclick: () => {
                state.selected = p.id;
                renderList();
                renderDetail();
              },
            },
            h('span', {}, `${p.type} · ${p.difficulty}`),
            h('span', { class: p.solved ? 'solved' : p.locked ? 'locked' : '' }, p.solved ? '✓ solved' : p.locked ? '🔒 locked' : `${p.points} pts`),
          ),
        ),
      ),
    ),
  );
}

function renderDetail(): void {
  const detail = document.getElementById('detail');
  const puzzle = state.puzzles.find((p) => p.id === state.selected);
  if (!detail || !puzzle) return;
  const hints = state.hints.get(puzzle.id) ?? [];
  const hintButton = h('button', { id: 'hint', disabled: puzzle.solved || puzzle.locked, onclick: () => void takeHint(puzzle) }, `Take a hint (costs ${puzzle.hintCost ?? '?'} pts)`);
  const body = puzzle.locked ? lockedView(puzzle) : renderPuzzleView(puzzle, (answer) => void submit(puzzle, answer));
  clear(
    detail,
    h('h2', {}, `${puzzle.type} · ${puzzle.difficulty} · ${puzzle.points} pts`),
    puzzle.solved ? h('p', { class: 'solved' }, 'Solved — well done.') : '',
    body,
    h('div', { class: 'row' }, hintButton),
    hints.length ? h('ol', { class: 'muted', id: 'hints' }, ...hints.map((t) => h('li', {}, t))) : '',
    h('p', { id: 'feedback', role: 'status', 'aria-live': 'polite' }),
  );
}

function lockedView(p: PublicPuzzle): HTMLElement {
  const where = p.location ? `within ${p.location.radius} m of ${p.location.lat.toFixed(5)}, ${p.location.lng.toFixed(5)}` : 'at its location';
  return h(
    'div',
    { class: 'stack' },
    h('p', { class: 'locked' }, `🔒 Locked: get ${where} to unlock it.`),
    h('button', { disabled: state.watchingLocation, onclick: () => shareLocation() }, state.watchingLocation ? 'Sharing your location…' : 'Share my location'),
  );
}

function shareLocation(): void {
  if (!('geolocation' in navigator)) return toast('This browser cannot share a location.', 'bad');
  state.watchingLocation = true;
  renderDetail();
  navigator.geolocation.watchPosition(
    (pos) => state.conn?.send({ t: 'move', lat: pos.coords.latitude, lng: pos.coords.longitude }),
    (err) => {
      state.watchingLocation = false;
      toast(`Location unavailable: ${err.message}`, 'bad');
      renderDetail();
    },
    { enableHighAccuracy: true, maximumAge: 5000 },
  );
}

function feedback(text: string, kind: 'good' | 'bad'): void {
  const el = document.getElementById('feedback');
  if (el) {
    el.textContent = text;
    el.className = kind === 'good' ? 'solved' : 'error';
  }
  toast(text, kind);
}

async function submit(puzzle: PublicPuzzle, answer: string): Promise<void> {
  const conn = state.conn;
  if (!conn) return;
  try {
    const reply = await conn.request({ t: 'answer', id: conn.nextId('a'), puzzle: puzzle.id, answer });
    if (reply.t === 'result') {
      state.you.score = reply.score;
      if (reply.correct) {
        puzzle.solved = true;
        renderList();
        renderDetail();
        renderBoard();
        feedback(`Correct! +${reply.points} points.`, 'good');
      } else feedback(reply.points < 0 ? `Not quite (${reply.points} points). Try again.` : 'Not quite. Try again.', 'bad');
    } else if (reply.t === 'error') feedback(ERROR_TEXT[reply.code] ?? reply.message, 'bad');
  } catch {
    feedback('No answer from the server yet; it will be sent again when the connection is back.', 'bad');
  }
}

async function takeHint(puzzle: PublicPuzzle): Promise<void> {
  const conn = state.conn;
  if (!conn) return;
  const reply = await conn.request({ t: 'hint', id: conn.nextId('h'), puzzle: puzzle.id }).catch(() => null);
  if (reply?.t === 'hint') {
    state.hints.set(puzzle.id, [...(state.hints.get(puzzle.id) ?? []), reply.text]);
    renderDetail();
  } else if (reply?.t === 'error') feedback(ERROR_TEXT[reply.code] ?? reply.message, 'bad');
}

function renderBoard(): void {
  const el = document.getElementById('board');
  if (!el) return;
  const me = state.session?.player;
  const rows = [...state.board.values()].sort((a, b) => a.rank - b.rank);
  const top = rows.slice(0, 10);
  const mine = rows.find((r) => r.player === me);
  if (mine && !top.includes(mine)) top.push(mine);
  clear(
    el,
    h('h2', {}, 'Leaderboard'),
    h('p', { class: 'you', id: 'you' }, `You: ${state.you.rank ? `#${state.you.rank}` : '—'} · ${state.you.score} pts`),
    h(
      'table',
      { class: 'board', id: 'leaderboard' },
      h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'Player'), h('th', {}, 'Score'))),
      h('tbody', {}, ...top.map((r) => h('tr', { class: r.player === me ? 'me' : '', 'data-player': r.player }, h('td', {}, String(r.rank)), h('td', {}, r.name), h('td', { class: 'score' }, String(r.score))))),
    ),
  );
}

const hunt = params.get('hunt');
const saved = hunt ? loadSession(hunt) : null;
if (saved) play(saved);
else joinView();
