/**
 * The hunt editor: the missions of a hunt in order, each opened into its form to edit; add,
 * reorder and remove. Three modes follow the hunt's life:
 * - a new hunt: everything in the page until "Create hunt" posts the whole list (missions may come
 *   from a template or a definition file, and mix generated puzzles);
 * - a hunt not yet launched: each mission is saved (PUT), removed (DELETE) or added (POST) at once;
 * - a launched hunt: missions are read-only and "bonus missions" are added (POST), reaching every
 *   connected player at once.
 */
import { HttpError, type HuntHttpClient } from '../../http-client.js';
import { isRecord } from '../../../protocol/input.js';
import { AuthoredApi, isAuthoredType } from '../../authored-client.js';
import { clear, h, toast } from '../dom.js';
import { sourcesRow } from './editor-sources.js';
import { missionForm, missionLine } from './mission-form.js';
import {
  fromInput,
  isAuthoredInput,
  MISSION_TYPES,
  newDraft,
  problems,
  resolveAfter,
  toInput,
  TYPE_LABEL,
  type MissionDraft,
} from './mission-draft.js';

export interface EditorOptions {
  http: HuntHttpClient;
  /** the hunt to edit; absent for a new hunt */
  hunt?: string;
  /** a new hunt was created (generation may still run) */
  onCreated?(id: string): void;
}

type Mode = 'new' | 'before' | 'live';

/** The server's refusal in the game master's words: field issues as "Mission 3, answers: …". */
function message(err: unknown): string {
  if (!(err instanceof HttpError)) return err instanceof Error ? err.message : String(err);
  const issues = Array.isArray(err.details) ? err.details.filter(isRecord) : [];
  if (!issues.length) return err.message.replace(/^\d+ [A-Z_]+: /, '');
  return issues
    .map((i) => {
      const path = (Array.isArray(i.path) ? i.path.join('.') : String(i.path ?? '')).replace(
        /^puzzles\.(\d+)\.?/,
        (_m, n: string) => `Mission ${Number(n) + 1}, `,
      );
      return `${path.replace(/, $/, '')}: ${String(i.message ?? '')}`;
    })
    .join(' — ');
}

export async function huntEditor(el: HTMLElement, opts: EditorOptions): Promise<void> {
  const api = new AuthoredApi(opts.http);
  let mode: Mode = 'new';
  let drafts: MissionDraft[] = [];
  let open = '';
  let settings: Record<string, unknown> = {};
  const name = h('input', {
    id: 'editor-name',
    required: true,
    maxLength: 100,
    'aria-label': 'Hunt name',
    placeholder: 'Old town walk',
  });
  const status = h('p', { id: 'editor-status', role: 'status', class: 'muted' });
  const list = h('ol', { class: 'missions', id: 'missions' });

  if (opts.hunt) {
    const view = await opts.http.request<{ name: string; status: string; puzzles: { id: string }[] }>(
      'GET',
      `/api/hunts/${encodeURIComponent(opts.hunt)}`,
    );
    const def = await api.definition(opts.hunt);
    mode = view.status === 'ready' || view.status === 'generating' ? 'before' : 'live';
    name.value = view.name;
    // the definition lists the puzzles in the hunt's order, with their ids (else the view's)
    drafts = def.puzzles.map((p, i) => {
      const d = fromInput(p);
      d.id ??= view.puzzles[i]?.id;
      d.saved = true;
      return d;
    });
    resolveAfter(drafts);
  }

  const say = (text: string, kind: 'error' | 'muted' | 'solved' = 'muted'): void => {
    status.textContent = text;
    status.className = kind;
  };

  const draw = (): void => {
    clear(list, ...drafts.map((d, i) => card(d, i)));
  };

  const card = (d: MissionDraft, i: number): HTMLElement => {
    const missing = problems(d);
    const isOpen = open === d.key;
    const line = h(
      'button',
      {
        type: 'button',
        class: `mission-line ${isOpen ? 'selected' : ''}`,
        'aria-expanded': String(isOpen),
        onclick: () => {
          open = isOpen ? '' : d.key;
          draw();
        },
      },
      h('span', {}, missionLine(d, i)),
      missing.length ? h('span', { class: 'error' }, '⚠') : h('span', { class: 'muted' }, d.id ?? ''),
    );
    const tools: HTMLElement[] = [];
    if (mode === 'new') {
      tools.push(
        h(
          'button',
          { type: 'button', 'aria-label': `Move mission ${i + 1} up`, disabled: i === 0, onclick: () => move(i, -1) },
          '↑',
        ),
        h(
          'button',
          {
            type: 'button',
            'aria-label': `Move mission ${i + 1} down`,
            disabled: i === drafts.length - 1,
            onclick: () => move(i, 1),
          },
          '↓',
        ),
      );
    }
    if (mode !== 'live' || !d.saved)
      tools.push(
        h(
          'button',
          { type: 'button', class: 'm-remove', 'aria-label': `Remove mission ${i + 1}`, onclick: () => void remove(d) },
          '✕',
        ),
      );
    const li = h(
      'li',
      { class: 'mission', 'data-key': d.key },
      h('div', { class: 'row mission-head' }, line, ...tools),
    );
    if (isOpen) {
      const others = drafts
        .filter((o) => o.key !== d.key)
        .map((o) => ({ key: o.key, label: missionLine(o, drafts.indexOf(o)) }));
      const editable = mode !== 'live' || !d.saved;
      li.append(missionForm(d, { others, editable, onChange: (retype) => (retype ? draw() : refreshLine(li, d, i)) }));
      if (missing.length) li.append(h('p', { class: 'error m-missing' }, `Still needs ${missing.join(', ')}.`));
      if (mode !== 'new' && editable)
        li.append(
          h(
            'div',
            { class: 'row' },
            h(
              'button',
              { type: 'button', class: 'primary m-save', onclick: () => void save(d) },
              d.saved ? 'Save mission' : mode === 'live' ? 'Add bonus mission' : 'Add mission',
            ),
          ),
        );
    }
    return li;
  };

  /** after a keystroke: the list line and what is still missing, without rebuilding the form */
  const refreshLine = (li: HTMLElement, d: MissionDraft, i: number): void => {
    const [text, mark] = li.querySelectorAll('.mission-line span');
    const missing = problems(d);
    if (text) text.textContent = missionLine(d, i);
    if (mark) {
      mark.textContent = missing.length ? '⚠' : (d.id ?? '');
      mark.className = missing.length ? 'error' : 'muted';
    }
    li.querySelector('.m-missing')?.remove();
    if (missing.length)
      li.querySelector('.mission-form')?.after(
        h('p', { class: 'error m-missing' }, `Still needs ${missing.join(', ')}.`),
      );
  };

  const move = (i: number, by: number): void => {
    const [d] = drafts.splice(i, 1);
    if (d) drafts.splice(i + by, 0, d);
    draw();
  };

  const remove = async (d: MissionDraft): Promise<void> => {
    if (d.saved && d.id && opts.hunt) {
      if (!confirm(`Remove mission ${d.id} (${d.title || d.type}) from the hunt?`)) return;
      try {
        await api.removePuzzle(opts.hunt, d.id);
      } catch (err) {
        return say(message(err), 'error');
      }
      say(`Removed ${d.id}.`, 'solved');
    }
    drafts = drafts.filter((x) => x !== d);
    for (const o of drafts) o.after = o.after.filter((k) => k !== d.key);
    draw();
  };

  /** one mission to the server (existing hunts): PUT when it exists, else POST */
  const save = async (d: MissionDraft): Promise<void> => {
    if (!opts.hunt) return;
    const missing = problems(d);
    if (missing.length) return say(`Mission needs ${missing.join(', ')}.`, 'error');
    if (!isAuthoredType(d.type)) return say('Only written missions can be added to a created hunt.', 'error');
    const body = toInput(d, drafts);
    if (!isAuthoredInput(body)) return say('Only written missions can be added to a created hunt.', 'error');
    try {
      if (d.saved && d.id) await api.replacePuzzle(opts.hunt, d.id, body);
      else {
        d.id = (await api.addPuzzle(opts.hunt, body)).id;
        d.saved = true;
      }
      say(`Saved ${d.id}.`, 'solved');
      toast(mode === 'live' ? 'Bonus mission sent to the players.' : 'Mission saved.', 'good');
      open = '';
      draw();
    } catch (err) {
      say(message(err), 'error');
    }
  };

  const create = async (button: HTMLButtonElement): Promise<void> => {
    if (!name.value.trim()) return say('Give the hunt a name.', 'error');
    if (!drafts.length) return say('Add at least one mission.', 'error');
    const bad = drafts.findIndex((d) => problems(d).length);
    if (bad >= 0) {
      open = drafts[bad]!.key;
      draw();
      return say(`Mission ${bad + 1} needs ${problems(drafts[bad]!).join(', ')}.`, 'error');
    }
    button.disabled = true;
    try {
      const body = { ...settings, name: name.value.trim(), puzzles: drafts.map((d) => toInput(d, drafts)) };
      const { id } = await opts.http.request<{ id: string }>('POST', '/api/hunts', body);
      say('Created.', 'solved');
      opts.onCreated?.(id);
    } catch (err) {
      button.disabled = false;
      say(message(err), 'error');
    }
  };

  const typeSelect = h(
    'select',
    { id: 'add-type', 'aria-label': 'New mission type' },
    ...MISSION_TYPES.filter((t) => mode === 'new' || isAuthoredType(t)).map((t) =>
      h('option', { value: t }, TYPE_LABEL[t] ?? `${t} (generated)`),
    ),
  );
  const add = h(
    'button',
    {
      type: 'button',
      id: 'add-mission',
      onclick: () => {
        const d = newDraft(typeSelect.value);
        drafts.push(d);
        open = d.key;
        draw();
        list.lastElementChild?.scrollIntoView({ block: 'nearest' });
        const first = list.lastElementChild?.querySelector('.m-title, .m-difficulty');
        if (first instanceof HTMLElement) first.focus();
      },
    },
    mode === 'live' ? '+ Bonus mission' : '+ Mission',
  );

  const head: (HTMLElement | string)[] = [];
  if (mode === 'new') {
    head.push(
      h('h2', {}, 'Write a hunt'),
      h('label', {}, 'Name', name),
      sourcesRow(
        opts.http,
        (loaded, from) => {
          drafts = loaded.puzzles.map((p) => fromInput(p));
          resolveAfter(drafts);
          settings = loaded.settings;
          if (loaded.name && !name.value) name.value = loaded.name;
          open = '';
          draw();
          say(`Loaded ${drafts.length} missions from ${from}. Edit them, then create the hunt.`);
        },
        (text) => say(text, 'error'),
      ),
    );
  } else {
    head.push(
      h('h2', {}, `Missions of ${name.value}`),
      h(
        'p',
        { class: 'muted' },
        mode === 'before'
          ? 'Before launch: each change is saved to the hunt at once.'
          : 'The hunt has launched: missions are fixed; a bonus mission reaches every player at once.',
      ),
    );
  }
  const foot =
    mode === 'new'
      ? [
          h(
            'button',
            {
              type: 'button',
              class: 'primary',
              id: 'editor-create',
              onclick: (ev: Event) => {
                if (ev.currentTarget instanceof HTMLButtonElement) void create(ev.currentTarget);
              },
            },
            'Create hunt',
          ),
        ]
      : [];
  clear(
    el,
    h(
      'div',
      { class: 'stack hunt-editor', id: 'hunt-editor' },
      ...head,
      list,
      h('div', { class: 'row' }, typeSelect, add),
      ...foot,
      status,
    ),
  );
  draw();
}
