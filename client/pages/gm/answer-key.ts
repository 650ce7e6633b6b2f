/** The answer key, the exports, and the count of answers that could not be verified. */
import { clear, h } from '../dom.js';
import { api } from './session.js';
import type { HuntSection } from './hunt-sections.js';

async function download(id: string, kind: 'json' | 'csv'): Promise<void> {
  const text = await api<string | object>(
    'GET',
    `/api/hunts/${id}/export`,
    undefined,
    kind === 'csv' ? 'text/csv' : 'application/json',
  );
  const blob = new Blob([typeof text === 'string' ? text : JSON.stringify(text, null, 2)], {
    type: kind === 'csv' ? 'text/csv' : 'application/json',
  });
  const a = h('a', { href: URL.createObjectURL(blob), download: `hunt-${id}.${kind}` });
  a.click();
}

export const answersSection: HuntSection = {
  id: 'answers',
  render({ id, view }) {
    const answers = h('div', { id: 'answers' });
    const showKey = async (): Promise<void> => {
      const { answers: list } = await api<{ answers: { puzzle: string; type: string; answer: string }[] }>(
        'GET',
        `/api/hunts/${id}/answers`,
      );
      clear(
        answers,
        h(
          'table',
          { class: 'board' },
          h(
            'tbody',
            {},
            ...list.map((a) =>
              h('tr', {}, h('td', {}, a.puzzle), h('td', {}, a.type), h('td', { class: 'cipher' }, a.answer)),
            ),
          ),
        ),
      );
    };
    return [
      h(
        'div',
        { class: 'row' },
        h('button', { id: 'show-answers', onclick: () => void showKey() }, 'Answer key'),
        h('button', { onclick: () => void download(id, 'json') }, 'Export JSON'),
        h('button', { onclick: () => void download(id, 'csv') }, 'Export CSV'),
      ),
      answers,
      view.deadLetters.count
        ? h('p', { class: 'error' }, `${view.deadLetters.count} answers could not be verified (dead letters).`)
        : '',
    ];
  },
};
