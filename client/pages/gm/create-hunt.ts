/** The new-hunt form: a template or a custom mix of generated puzzles, then generation's progress. */
import { DIFFICULTIES, PUZZLE_TYPES } from '../../../protocol/constants.js';
import { clear, h } from '../dom.js';
import { renderHunts } from './hunt-list.js';
import { showHunt } from './hunt-panel.js';
import { api, every, session, stopTimers } from './session.js';

export function renderCreate(): void {
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
            session.current = id;
            progress.hidden = false;
            let done = false;
            every(250, async () => {
              if (done) return;
              const v = await api<{ status: string; generation: { done: number; total: number }; failure?: string }>('GET', `/api/hunts/${id}`);
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
