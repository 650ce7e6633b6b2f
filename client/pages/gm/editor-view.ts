/**
 * "Write a hunt": the hunt editor in the hunt panel for a new hunt; once created, generation's
 * progress (for the generated puzzles it mixes in), then the hunt itself.
 */
import { clear, h } from '../dom.js';
import { HuntHttpClient } from '../../http-client.js';
import { huntEditor } from './hunt-editor.js';
import { renderHunts } from './hunt-list.js';
import { showHunt } from './hunt-panel.js';
import { api, every, session, stopTimers } from './session.js';

export function renderEditor(): void {
  const el = document.getElementById('hunt');
  if (!el) return;
  stopTimers();
  session.current = '';
  const box = h('div', {});
  const progress = h('progress', { id: 'editor-generation', max: 1, value: 0, hidden: true });
  clear(el, box, progress);
  void huntEditor(box, {
    http: new HuntHttpClient('', session.key),
    onCreated: (id) => {
      session.current = id;
      progress.hidden = false;
      let done = false;
      every(250, async () => {
        if (done) return;
        const v = await api<{ status: string; generation: { done: number; total: number } }>('GET', `/api/hunts/${id}`);
        progress.max = v.generation.total || 1;
        progress.value = v.generation.done;
        if (v.status !== 'generating' && !done) {
          done = true;
          await renderHunts();
          void showHunt(id);
        }
      });
    },
  });
}
