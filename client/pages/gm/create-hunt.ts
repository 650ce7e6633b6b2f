/**
 * The new-hunt form: a template or a custom mix of generated puzzles (one or the other, never
 * both), a preview of exactly what will be created (and which puzzles are locked to a place,
 * and where), then generation's progress. Create is disabled while a creation runs.
 */
import { DIFFICULTIES, PUZZLE_TYPES } from '../../../protocol/constants.js';
import { isRecord } from '../../../protocol/input.js';
import { clear, h } from '../dom.js';
import { renderHunts } from './hunt-list.js';
import { showHunt } from './hunt-panel.js';
import { api, every, session, stopTimers } from './session.js';

interface PlannedPuzzle {
  type: string;
  difficulty?: string;
  title?: string;
  location?: { lat: number; lng: number; radius: number };
}

/** The puzzles of a template's value, read with guards (a template may hold authored puzzles). */
function templatePuzzles(value: unknown): { description: string; puzzles: PlannedPuzzle[] } {
  const v: Record<string, unknown> = isRecord(value) ? value : {};
  const puzzles = Array.isArray(v.puzzles) ? v.puzzles : [];
  return {
    description: typeof v.description === 'string' ? v.description : '',
    puzzles: puzzles.flatMap((p): PlannedPuzzle[] => {
      const o: Record<string, unknown> = isRecord(p) ? p : {};
      if (typeof o.type !== 'string') return [];
      const loc = isRecord(o.location) ? o.location : undefined;
      const location =
        loc && typeof loc.lat === 'number' && typeof loc.lng === 'number' && typeof loc.radius === 'number'
          ? { lat: loc.lat, lng: loc.lng, radius: loc.radius }
          : undefined;
      return [
        {
          type: o.type,
          ...(typeof o.difficulty === 'string' ? { difficulty: o.difficulty } : {}),
          ...(typeof o.title === 'string' ? { title: o.title } : {}),
          ...(location ? { location } : {}),
        },
      ];
    }),
  };
}

function previewList(puzzles: PlannedPuzzle[], description = ''): HTMLElement {
  const located = puzzles.filter((p) => p.location).length;
  return h(
    'div',
    { class: 'preview', id: 'preview' },
    h('h3', {}, `Will create ${puzzles.length} puzzle${puzzles.length === 1 ? '' : 's'}`),
    description ? h('p', { class: 'muted' }, description) : '',
    located
      ? h(
          'p',
          { class: 'warn', id: 'preview-located' },
          `${located} of them ${located === 1 ? 'is' : 'are'} locked to a place: players must be there to open ${located === 1 ? 'it' : 'them'}.`,
        )
      : '',
    h(
      'ol',
      {},
      ...puzzles.map((p) =>
        h(
          'li',
          {},
          p.title ?? `${p.type}${p.difficulty ? ` (${p.difficulty})` : ''}`,
          p.location
            ? h(
                'span',
                { class: 'warn' },
                ` — 🔒 within ${p.location.radius} m of ${p.location.lat.toFixed(5)}, ${p.location.lng.toFixed(5)}`,
              )
            : '',
        ),
      ),
    ),
  );
}

export function renderCreate(): void {
  const el = document.getElementById('hunt');
  if (!el) return;
  stopTimers();
  const name = h('input', { id: 'hunt-name', required: true, 'aria-label': 'Hunt name', placeholder: 'Harbour hunt' });
  const template = h('select', { id: 'template', 'aria-label': 'Template' });
  const templates = new Map<string, { description: string; puzzles: PlannedPuzzle[] }>();
  const fromTemplate = h('input', {
    type: 'radio',
    name: 'source',
    value: 'template',
    id: 'source-template',
    checked: true,
  });
  const fromMix = h('input', { type: 'radio', name: 'source', value: 'mix', id: 'source-mix' });
  const mix = h('div', { class: 'stack', id: 'mix' });
  const preview = h('div', {});
  const mixPuzzles = (): PlannedPuzzle[] =>
    [...mix.querySelectorAll('.mix-row')].flatMap((row) => {
      const [t, d, n] = [...row.querySelectorAll('select, input')].filter(
        (el) => el instanceof HTMLSelectElement || el instanceof HTMLInputElement,
      );
      return Array.from({ length: Math.max(0, Math.min(50, Number(n?.value ?? 1) || 0)) }, () => ({
        type: t?.value ?? '',
        difficulty: d?.value ?? '',
      }));
    });
  const useTemplate = (): boolean => fromTemplate.checked && template.value !== '';
  const update = (): void => {
    templateBox.hidden = !fromTemplate.checked;
    mixBox.hidden = fromTemplate.checked;
    template.disabled = !fromTemplate.checked;
    for (const c of mix.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>(
      'select, input, button',
    ))
      c.disabled = fromTemplate.checked;
    const t = templates.get(template.value);
    clear(
      preview,
      useTemplate() && t
        ? previewList(t.puzzles, t.description)
        : fromMix.checked
          ? previewList(mixPuzzles())
          : h('p', { class: 'muted' }, 'Choose a template.'),
    );
  };
  const addRow = (type = 'cipher', difficulty = 'medium', count = 1): void => {
    mix.append(
      h(
        'div',
        { class: 'row mix-row' },
        h(
          'select',
          { 'aria-label': 'type', onchange: update },
          ...PUZZLE_TYPES.map((t) => h('option', { value: t, selected: t === type }, t)),
        ),
        h(
          'select',
          { 'aria-label': 'difficulty', onchange: update },
          ...DIFFICULTIES.map((d) => h('option', { value: d, selected: d === difficulty }, d)),
        ),
        h('input', {
          type: 'number',
          min: 1,
          max: 50,
          value: count,
          'aria-label': 'count',
          style: 'width:5em',
          oninput: update,
        }),
        h(
          'button',
          {
            type: 'button',
            'aria-label': 'remove these puzzles',
            onclick: (ev: Event) => {
              if (ev.currentTarget instanceof HTMLElement) ev.currentTarget.parentElement?.remove();
              update();
            },
          },
          '✕',
        ),
      ),
    );
  };
  addRow('sudoku', 'easy');
  addRow('cipher', 'medium');
  const templateBox = h('div', { class: 'stack' }, h('label', {}, 'Template', template));
  const mixBox = h(
    'div',
    { class: 'stack' },
    mix,
    h('button', { type: 'button', onclick: () => (addRow(), update()) }, '+ Add puzzles'),
  );
  template.addEventListener('change', update);
  for (const r of [fromTemplate, fromMix]) r.addEventListener('change', update);
  void api<{ configs: { name: string }[] }>('GET', '/api/configs').then(async ({ configs }) => {
    const names = configs.filter((c) => c.name.startsWith('template:')).map((c) => c.name.slice(9));
    template.replaceChildren(...names.map((n) => h('option', { value: n }, n)));
    await Promise.all(
      names.map(async (n) =>
        templates.set(
          n,
          templatePuzzles(
            (await api<{ value: unknown }>('GET', `/api/configs/template:${encodeURIComponent(n)}`)).value,
          ),
        ),
      ),
    );
    // no template to offer: the mix is the only choice
    if (!names.length) fromMix.checked = true;
    fromTemplate.disabled = !names.length;
    update();
  });
  const create = h('button', { class: 'primary', type: 'submit', id: 'create' }, 'Create hunt');
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
          if (create.disabled) return;
          create.disabled = true;
          note.className = 'muted';
          note.textContent = 'Creating…';
          try {
            const body = fromTemplate.checked
              ? { name: name.value, template: template.value }
              : { name: name.value, puzzles: mixPuzzles().map(({ type, difficulty }) => ({ type, difficulty })) };
            const { id } = await api<{ id: string }>('POST', '/api/hunts', body);
            session.current = id;
            progress.hidden = false;
            let done = false;
            every(250, async () => {
              if (done) return;
              const v = await api<{ status: string; generation: { done: number; total: number }; failure?: string }>(
                'GET',
                `/api/hunts/${id}`,
              );
              progress.max = v.generation.total || 1;
              progress.value = v.generation.done;
              note.textContent = `Generating puzzles: ${v.generation.done} of ${v.generation.total}`;
              if (v.status !== 'generating' && !done) {
                done = true;
                note.textContent = v.status === 'failed' ? `Generation failed: ${v.failure ?? ''}` : 'Ready.';
                await renderHunts();
                // leave the finished bar in view for a moment before the hunt panel replaces it
                setTimeout(() => void showHunt(id), 700);
              }
            });
          } catch (err) {
            create.disabled = false;
            note.textContent = err instanceof Error ? err.message : String(err);
            note.className = 'error';
          }
        },
      },
      h('h2', {}, 'New hunt'),
      h('label', {}, 'Name', name),
      h(
        'fieldset',
        { class: 'row source' },
        h('legend', {}, 'Puzzles'),
        h('label', { class: 'row' }, fromTemplate, 'From a template'),
        h('label', { class: 'row' }, fromMix, 'A custom mix'),
      ),
      templateBox,
      mixBox,
      preview,
      create,
      progress,
      note,
    ),
  );
  update();
}
