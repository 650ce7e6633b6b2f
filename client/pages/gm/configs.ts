/** The named-configs tab: edit with the expected version, see history and diffs, roll back. */
import { HttpError } from '../../http-client.js';
import { clear, h, toast } from '../dom.js';
import { diff } from './diff.js';
import { merge3 } from './merge.js';
import { api } from './session.js';
import type { ConsoleTab } from './tabs.js';

export const configsTab: ConsoleTab = {
  id: 'configs',
  label: 'Configs',
  title: 'Named configs',
  render: (main) => configsView(main),
};

async function configsView(main: HTMLElement, selected = 'limits'): Promise<void> {
  const path = `/api/configs/${encodeURIComponent(selected)}`;
  const { configs } = await api<{
    configs: { name: string; version: number; applied: Record<string, number | null> }[];
  }>('GET', '/api/configs');
  const rec = await api<{ name: string; version: number; value: unknown; updatedAt: string; updatedBy: string }>(
    'GET',
    path,
  );
  const { history } = await api<{ history: { version: number; value: unknown; updatedAt: string }[] }>(
    'GET',
    `${path}/history`,
  );
  const reload = (name = selected): void => void configsView(main, name);
  const pretty = (v: unknown): string => JSON.stringify(v, null, 2);
  const editor = h('textarea', { id: 'config-value', 'aria-label': `${selected} value`, spellcheck: false });
  editor.value = pretty(rec.value);
  const message = h('div', { id: 'config-message', role: 'status' });
  const shown = h('div', {});
  // the version this edit is against, and its value (a merge moves both to the one saved meanwhile)
  let expected = rec.version;
  let base = rec.value;
  const save = async (): Promise<void> => {
    let value: unknown;
    try {
      value = JSON.parse(editor.value);
    } catch {
      clear(message, h('p', { class: 'error' }, 'That is not valid JSON.'));
      return;
    }
    try {
      const out = await api<{ version: number }>('PUT', path, { value, expectedVersion: expected });
      toast(`Saved as v${out.version}.`, 'good');
      reload();
    } catch (err) {
      if (err instanceof HttpError && err.code === 'CONFIG_VERSION_CONFLICT') {
        const now = await api<{ version: number; value: unknown }>('GET', path);
        const merge = (): void => {
          const { value: merged, clashes } = merge3(base, now.value, value);
          editor.value = pretty(merged);
          // the next save is against the version now saved, with the user's edit on top of it
          expected = now.version;
          base = now.value;
          clear(
            message,
            h(
              'p',
              { class: 'solved', id: 'merged' },
              `Merged: your changes on top of v${now.version}. Check the value, then Save.`,
            ),
            clashes.length ? h('p', { class: 'warn' }, `Both changed ${clashes.join(', ')}: yours kept.`) : '',
          );
        };
        clear(
          message,
          h('p', { class: 'error' }, `Someone saved v${now.version} while you were editing v${expected}.`),
          h(
            'p',
            { class: 'legend muted' },
            h('span', { class: 'del' }, '− lines only in v' + now.version + ' (theirs)'),
            ' · ',
            h('span', { class: 'add' }, '+ lines only in your edit'),
            ' · unmarked lines are the same',
          ),
          diff(pretty(now.value), editor.value),
          h(
            'div',
            { class: 'row' },
            h(
              'button',
              { class: 'primary', id: 'merge-config', onclick: merge },
              'Merge: keep my edit on top of theirs',
            ),
            h('button', { id: 'load-theirs', onclick: () => reload() }, 'Discard my edit, load theirs'),
          ),
        );
      } else if (err instanceof HttpError) {
        clear(
          message,
          h('p', { class: 'error' }, err.message),
          h('pre', { class: 'diff' }, JSON.stringify(err.details ?? '', null, 2)),
        );
      }
    }
  };
  const rollback = async (version: number): Promise<void> => {
    await api('POST', `${path}/rollback`, { version });
    toast(`Rolled back to the value of v${version}.`, 'good');
    reload();
  };
  const applied = Object.entries(configs.find((c) => c.name === selected)?.applied ?? {})
    .map(([n, v]) => `${n}=v${v ?? '-'}`)
    .join(', ');
  clear(
    main,
    h(
      'div',
      { class: 'layout' },
      h(
        'section',
        { class: 'panel' },
        h(
          'ul',
          { class: 'cards' },
          ...configs.map((c) =>
            h(
              'li',
              {},
              h(
                'button',
                { class: c.name === selected ? 'selected' : '', onclick: () => reload(c.name) },
                h('span', {}, c.name),
                h('span', { class: 'muted' }, `v${c.version}`),
              ),
            ),
          ),
        ),
      ),
      h(
        'section',
        { class: 'panel stack' },
        h('h2', {}, `${selected} · v${rec.version}`),
        h('p', { class: 'muted' }, `changed ${rec.updatedAt} by ${rec.updatedBy}; applied: ${applied}`),
        editor,
        h(
          'div',
          { class: 'row' },
          h('button', { class: 'primary', id: 'save-config', onclick: () => void save() }, 'Save'),
        ),
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
              h(
                'button',
                {
                  onclick: () =>
                    clear(
                      shown,
                      h('p', { class: 'muted' }, `v${old.version} → v${rec.version}`),
                      diff(pretty(old.value), pretty(rec.value)),
                    ),
                },
                'Diff',
              ),
              h('button', { onclick: () => void rollback(old.version) }, 'Roll back'),
            ),
          ),
        ),
        shown,
      ),
    ),
  );
}
