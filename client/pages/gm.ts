/**
 * The game-master console: sign in with the key; create hunts from a template or a custom mix
 * and watch generation; run the lifecycle; watch the board and live figures; edit named
 * configs with history, diff, conflict handling and rollback; see the answer key; export.
 */
import { DIFFICULTIES, PUZZLE_TYPES } from '../../protocol/constants.js';
import { HttpError, HuntHttpClient } from '../http-client.js';
import type { LeaderboardEntry } from '../../protocol/messages.js';
import { clear, h, toast } from './dom.js';

const app = document.getElementById('app') as HTMLElement;
let key = sessionStorage.getItem('gm-key') ?? '';
let current = '';
let timers: ReturnType<typeof setInterval>[] = [];
let lastStats: { at: number; received: Record<string, number> } | undefined;

/** Calls the API with the key; errors are HttpError with the contract's code. */
function api<T>(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<T> {
  return new HuntHttpClient('', key).request<T>(method, path, body, undefined, accept);
}

function stopTimers(): void {
  timers.forEach(clearInterval);
  timers = [];
}

function signIn(error = ''): void {
  stopTimers();
  const input = h('input', { type: 'password', id: 'gm-key', 'aria-label': 'Game master key', placeholder: 'game master key', autocomplete: 'current-password' });
  clear(
    app,
    h('header', { class: 'bar' }, h('h1', {}, 'Game master console')),
    h(
      'form',
      {
        class: 'panel stack',
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          key = input.value.trim();
          try {
            await api('GET', '/api/hunts');
            sessionStorage.setItem('gm-key', key);
            void home();
          } catch {
            signIn('That key is not valid.');
          }
        },
      },
      h('h2', {}, 'Sign in'),
      h('label', {}, 'Key', input),
      h('button', { class: 'primary', type: 'submit' }, 'Sign in'),
      error ? h('p', { class: 'error', role: 'alert' }, error) : '',
    ),
  );
  input.focus();
}

async function home(): Promise<void> {
  stopTimers();
  clear(
    app,
    h('header', { class: 'bar' }, h('h1', {}, 'Game master console'), h('div', { class: 'row' }, h('button', { onclick: () => void configsView() }, 'Configs'), h('button', { onclick: () => { sessionStorage.removeItem('gm-key'); key = ''; signIn(); } }, 'Sign out'))),
    h('div', { class: 'layout' }, h('section', { class: 'panel', id: 'hunts' }), h('section', { class: 'panel', id: 'hunt' }), h('section', { class: 'panel', id: 'side' })),
  );
  await renderHunts();
  renderCreate();
  if (current) void showHunt(current);
}

async function renderHunts(): Promise<void> {
  const el = document.getElementById('hunts');
  if (!el) return;
  const { hunts } = await api<{ hunts: { id: string; name: string; status: string; players: number }[] }>('GET', '/api/hunts');
  clear(
    el,
    h('h2', {}, 'Hunts'),
    h('button', { id: 'new-hunt', onclick: () => { current = ''; renderCreate(); } }, '+ New hunt'),
    h('ul', { class: 'cards' }, ...hunts.map((x) => h('li', {}, h('button', { class: x.id === current ? 'selected' : '', onclick: () => void showHunt(x.id) }, h('span', {}, x.name), h('span', { class: `pill ${x.status}` }, x.status))))),
  );
}

function renderCreate(): void {
  const el = document.getElementById('hunt');
  if (!el) return;
  stopTimers();
  const name = h('input', { id: 'hunt-name', required: true, 'aria-label': 'Hunt name', placeholder: 'Harbour hunt' });
  const template = h('select', { id: 'template', 'aria-label': 'Template' });
  void api<{ configs: { name: string }[] }>('GET', '/api/configs').then(({ configs }) => {
    template.replaceChildren(h('option', { value: '' }, '— custom mix —'), ...configs.filter((c) => c.name.startsWith('template:')).map((c) => h('option', { value: c.name.slice(9) }, c.name.slice(9))));
    template.value = template.options[1]?.value ?? '';
  });
  const mix = h('div', { class: 'stack', id: 'mix' });
  const addRow = (type = 'cipher', difficulty = 'medium', count = 1): void => {
    mix.append(
      h(
        'div',
        { class: 'row mix-row' },
        h('select', { 'aria-label': 'type' }, ...PUZZLE_TYPES.map((t) => h('option', { value: t, selected: t === type }, t))),
        h('select', { 'aria-label': 'difficulty' }, ...DIFFICULTIES.map((d) => h('option', { value: d, selected: d === difficulty }, d))),
        h('input', { type: 'number', min: 1, max: 50, value: count, 'aria-label': 'count', style: 'width:5em' }),
      ),
    );
  };
  addRow('sudoku', 'easy');
  addRow('cipher', 'medium');
  const progress = h('progress', { id: 'generation', max: 1, value: 0, hidden: true });
  const note = h('p', { class: 'muted', id: 'create-status' });
  clear(
    el,
    h(
      'form',
      {
        class: 'stack',
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          const puzzles = [...mix.querySelectorAll('.mix-row')].flatMap((row) => {
            const [t, d, n] = [...row.querySelectorAll('select, input')] as (HTMLSelectElement | HTMLInputElement)[];
            return Array.from({ length: Number(n?.value ?? 1) }, () => ({ type: t?.value, difficulty: d?.value }));
          });
          try {
            const body = template.value ? { name: name.value, template: template.value } : { name: name.value, puzzles };
            const { id } = await api<{ id: string }>('POST', '/api/hunts', body);
            current = id;
            progress.hidden = false;
            const poll = setInterval(async () => {
              const v = await api<{ status: string; generation: { done: number; total: number }; failure?: string }>('GET', `/api/hunts/${id}`);
              progress.max = v.generation.total || 1;
              progress.value = v.generation.done;
              note.textContent = `Generating puzzles: ${v.generation.done} of ${v.generation.total}`;
              if (v.status !== 'generating') {
                clearInterval(poll);
                note.textContent = v.status === 'failed' ? `Generation failed: ${v.failure ?? ''}` : 'Ready.';
                await renderHunts();
                // leave the finished bar in view for a moment before the hunt panel replaces it
                setTimeout(() => void showHunt(id), 700);
              }
            }, 250);
            timers.push(poll);
          } catch (err) {
            note.textContent = err instanceof Error ? err.message : String(err);
            note.className = 'error';
          }
        },
      },
      h('h2', {}, 'New hunt'),
      h('label', {}, 'Name', name),
      h('label', {}, 'Template', template),
      h('p', { class: 'muted' }, 'Or choose "custom mix" and set the puzzles:'),
      mix,
      h('button', { type: 'button', onclick: () => addRow() }, '+ Add puzzles'),
      h('button', { class: 'primary', type: 'submit', id: 'create' }, 'Create hunt'),
      progress,
      note,
    ),
  );
}

interface HuntView {
  id: string;
  name: string;
  status: string;
  generation: { done: number; total: number };
  puzzles: { id: string; type: string; difficulty: string; points: number }[];
  players: number;
  deadLetters: { count: number };
}

async function showHunt(id: string): Promise<void> {
  stopTimers();
  current = id;
  const el = document.getElementById('hunt');
  const side = document.getElementById('side');
  if (!el || !side) return;
  const v = await api<HuntView>('GET', `/api/hunts/${id}`);
  const link = `${location.origin}/?hunt=${encodeURIComponent(id)}`;
  const action = (name: 'launch' | 'pause' | 'resume' | 'end'): HTMLButtonElement =>
    h('button', {
      id: `do-${name}`,
      onclick: async () => {
        try {
          await api('POST', `/api/hunts/${id}/${name}`);
          toast(`Hunt ${name === 'end' ? 'ended' : `${name}${name.endsWith('e') ? 'd' : 'ed'}`}.`, 'good');
        } catch (err) {
          toast(err instanceof Error ? err.message : String(err), 'bad');
        }
        void showHunt(id);
        void renderHunts();
      },
    }, name[0]!.toUpperCase() + name.slice(1));
  const figures = h('div', { class: 'figures', id: 'figures' });
  const answers = h('div', { id: 'answers' });
  clear(
    el,
    h('h2', {}, v.name, ' ', h('span', { class: `pill ${v.status}`, id: 'status' }, v.status)),
    h('p', { class: 'muted' }, 'Players join at ', h('a', { href: link, id: 'join-link' }, link)),
    h('div', { class: 'row' }, action('launch'), action('pause'), action('resume'), action('end')),
    h('h3', {}, 'Live figures'),
    figures,
    h('h3', {}, `Puzzles (${v.puzzles.length})`),
    h('p', { class: 'muted' }, v.puzzles.map((p) => `${p.id}: ${p.type}/${p.difficulty} ${p.points} pts`).join(' · ')),
    h(
      'div',
      { class: 'row' },
      h('button', { id: 'show-answers', onclick: async () => {
        const { answers: list } = await api<{ answers: { puzzle: string; type: string; answer: string }[] }>('GET', `/api/hunts/${id}/answers`);
        clear(answers, h('table', { class: 'board' }, h('tbody', {}, ...list.map((a) => h('tr', {}, h('td', {}, a.puzzle), h('td', {}, a.type), h('td', { class: 'cipher' }, a.answer))))));
      } }, 'Answer key'),
      h('button', { onclick: () => void download(id, 'json') }, 'Export JSON'),
      h('button', { onclick: () => void download(id, 'csv') }, 'Export CSV'),
    ),
    answers,
    v.deadLetters.count ? h('p', { class: 'error' }, `${v.deadLetters.count} answers could not be verified (dead letters).`) : '',
  );
  const board = async (): Promise<void> => {
    const { entries } = await api<{ entries: LeaderboardEntry[] }>('GET', `/api/hunts/${id}/leaderboard?limit=20`);
    clear(side, h('h2', {}, 'Leaderboard'), h('table', { class: 'board', id: 'leaderboard' }, h('tbody', {}, ...entries.map((e) => h('tr', {}, h('td', {}, String(e.rank)), h('td', {}, e.name), h('td', {}, String(e.score)))))));
  };
  const stats = async (): Promise<void> => {
    const s = await api<{ at: number; connections: number; received: Record<string, number>; queues: Record<string, Record<string, number>>; streams: { stream: string; lag: number }[]; nodes: { node: string; roles: string[]; versions: Record<string, number> }[] }>('GET', '/api/stats');
    const prev = lastStats;
    const rate = (t: string): string => {
      const seconds = prev ? (s.at - prev.at) / 1000 : 0;
      return prev && seconds > 0.2 ? (((s.received[t] ?? 0) - (prev.received[t] ?? 0)) / seconds).toFixed(1) : '…';
    };
    lastStats = { at: s.at, received: s.received };
    const figure = (label: string, value: string): HTMLElement => h('div', { class: 'figure' }, h('b', {}, value), h('span', { class: 'muted' }, label));
    clear(
      figures,
      figure('players connected (this node)', String(s.connections)),
      figure('events/s', rate('move')),
      figure('answers/s', rate('answer')),
      ...Object.entries(s.queues).map(([q, c]) => figure(`${q} queue: waiting / active / failed`, `${c.waiting ?? 0} / ${c.active ?? 0} / ${c.failed ?? 0}`)),
      figure('stream lag', s.streams.map((x) => `${x.stream}:${x.lag}`).join(' ') || '0'),
      figure('config versions per node', s.nodes.map((n) => `${n.node.slice(5, 9)} r${n.versions.routing ?? '-'} l${n.versions.limits ?? '-'}`).join(' · ')),
    );
  };
  await Promise.all([board(), stats()]);
  timers.push(setInterval(() => void board(), 1000), setInterval(() => void stats(), 2000));
}

async function download(id: string, kind: 'json' | 'csv'): Promise<void> {
  const text = await api<string | object>('GET', `/api/hunts/${id}/export`, undefined, kind === 'csv' ? 'text/csv' : 'application/json');
  const blob = new Blob([typeof text === 'string' ? text : JSON.stringify(text, null, 2)], { type: kind === 'csv' ? 'text/csv' : 'application/json' });
  const a = h('a', { href: URL.createObjectURL(blob), download: `hunt-${id}.${kind}` });
  a.click();
}

/** A line diff of two texts (longest common subsequence), enough for config JSON. */
function diff(a: string, b: string): HTMLElement {
  const x = a.split('\n');
  const y = b.split('\n');
  const dp = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) for (let j = y.length - 1; j >= 0; j--) dp[i]![j] = x[i] === y[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  const out: HTMLElement[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      out.push(h('span', {}, `  ${x[i++]}\n`));
      j++;
    } else if (j < y.length && (i >= x.length || dp[i]![j + 1]! >= dp[i + 1]![j]!)) out.push(h('span', { class: 'add' }, `+ ${y[j++]}\n`));
    else out.push(h('span', { class: 'del' }, `- ${x[i++]}\n`));
  }
  return h('pre', { class: 'diff' }, ...out);
}

async function configsView(selected = 'limits'): Promise<void> {
  stopTimers();
  const { configs } = await api<{ configs: { name: string; version: number; applied: Record<string, number | null> }[] }>('GET', '/api/configs');
  const rec = await api<{ name: string; version: number; value: unknown; updatedAt: string; updatedBy: string }>('GET', `/api/configs/${encodeURIComponent(selected)}`);
  const { history } = await api<{ history: { version: number; value: unknown; updatedAt: string }[] }>('GET', `/api/configs/${encodeURIComponent(selected)}/history`);
  const pretty = (v: unknown): string => JSON.stringify(v, null, 2);
  const editor = h('textarea', { id: 'config-value', 'aria-label': `${selected} value`, spellcheck: false });
  editor.value = pretty(rec.value);
  const message = h('div', { id: 'config-message', role: 'status' });
  const shown = h('div', {});
  clear(
    app,
    h('header', { class: 'bar' }, h('h1', {}, 'Named configs'), h('button', { onclick: () => void home() }, '← Hunts')),
    h(
      'div',
      { class: 'layout' },
      h('section', { class: 'panel' }, h('ul', { class: 'cards' }, ...configs.map((c) => h('li', {}, h('button', { class: c.name === selected ? 'selected' : '', onclick: () => void configsView(c.name) }, h('span', {}, c.name), h('span', { class: 'muted' }, `v${c.version}`)))))),
      h(
        'section',
        { class: 'panel stack' },
        h('h2', {}, `${selected} · v${rec.version}`),
        h('p', { class: 'muted' }, `changed ${rec.updatedAt} by ${rec.updatedBy}; applied: ${Object.entries(configs.find((c) => c.name === selected)?.applied ?? {}).map(([n, v]) => `${n}=v${v ?? '-'}`).join(', ')}`),
        editor,
        h('div', { class: 'row' }, h('button', {
          class: 'primary',
          id: 'save-config',
          onclick: async () => {
            let value: unknown;
            try {
              value = JSON.parse(editor.value);
            } catch {
              clear(message, h('p', { class: 'error' }, 'That is not valid JSON.'));
              return;
            }
            try {
              const out = await api<{ version: number }>('PUT', `/api/configs/${encodeURIComponent(selected)}`, { value, expectedVersion: rec.version });
              toast(`Saved as v${out.version}.`, 'good');
              void configsView(selected);
            } catch (err) {
              if (err instanceof HttpError && err.code === 'CONFIG_VERSION_CONFLICT') {
                const now = await api<{ version: number; value: unknown }>('GET', `/api/configs/${encodeURIComponent(selected)}`);
                clear(message, h('p', { class: 'error' }, `Someone saved v${now.version} meanwhile. Their value against yours:`), diff(pretty(now.value), editor.value), h('button', { onclick: () => void configsView(selected) }, 'Load their version'));
              } else if (err instanceof HttpError) {
                clear(message, h('p', { class: 'error' }, err.message), h('pre', { class: 'diff' }, JSON.stringify(err.details ?? '', null, 2)));
              }
            }
          },
        }, 'Save')),
        message,
      ),
      h(
        'section',
        { class: 'panel' },
        h('h2', {}, 'History'),
        h(
          'ul',
          { class: 'cards' },
          ...history.map((old) =>
            h(
              'li',
              { class: 'row' },
              h('span', {}, `v${old.version}`),
              h('button', { onclick: () => clear(shown, h('p', { class: 'muted' }, `v${old.version} → v${rec.version}`), diff(pretty(old.value), pretty(rec.value))) }, 'Diff'),
              h('button', {
                onclick: async () => {
                  await api('POST', `/api/configs/${encodeURIComponent(selected)}/rollback`, { version: old.version });
                  toast(`Rolled back to the value of v${old.version}.`, 'good');
                  void configsView(selected);
                },
              }, 'Roll back'),
            ),
          ),
        ),
        shown,
      ),
    ),
  );
}

if (key) void home().catch(() => signIn());
else signIn();
