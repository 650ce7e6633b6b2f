/**
 * Where a new hunt's missions can come from before the game master edits them: a template (the
 * named configs `template:<name>`, e.g. the example "old-town-walk"), or a definition file
 * downloaded from another hunt. Both fill the editor; nothing is created until "Create hunt".
 */
import type { HuntHttpClient } from '../../http-client.js';
import { isRecord } from '../../../protocol/input.js';
import { h } from '../dom.js';

export interface LoadedHunt {
  name?: string;
  puzzles: unknown[];
  /** every other setting of a definition (scoring, passcode, teams…), passed on as it is */
  settings: Record<string, unknown>;
}

function asLoaded(value: unknown): LoadedHunt | null {
  if (!isRecord(value)) return null;
  const { name, puzzles, description: _description, ...settings } = value;
  if (!Array.isArray(puzzles)) return null;
  return { ...(typeof name === 'string' ? { name } : {}), puzzles, settings };
}

/** The template names a game master may read ([] when the list is not theirs to see). */
export async function templateNames(http: HuntHttpClient): Promise<string[]> {
  try {
    const { configs } = await http.request<{ configs: { name: string }[] }>('GET', '/api/configs');
    return configs.filter((c) => c.name.startsWith('template:')).map((c) => c.name.slice('template:'.length));
  } catch {
    return [];
  }
}

export async function loadTemplate(http: HuntHttpClient, name: string): Promise<LoadedHunt> {
  const rec = await http.request<{ value: unknown }>('GET', `/api/configs/${encodeURIComponent(`template:${name}`)}`);
  const loaded = asLoaded(rec.value);
  if (!loaded) throw new Error(`template ${name} has no puzzle list`);
  // a template's settings are the hunt's to choose, not copied
  return { puzzles: loaded.puzzles, settings: {} };
}

/** A row of controls: a template to start from, or a definition file to load. */
export function sourcesRow(
  http: HuntHttpClient,
  onLoad: (loaded: LoadedHunt, from: string) => void,
  onError: (message: string) => void,
): HTMLElement {
  const select = h(
    'select',
    { id: 'editor-template', 'aria-label': 'Start from a template' },
    h('option', { value: '' }, '— start from a template —'),
  );
  void templateNames(http).then((names) => select.append(...names.map((n) => h('option', { value: n }, n))));
  select.addEventListener('change', () => {
    if (!select.value) return;
    const name = select.value;
    loadTemplate(http, name).then(
      (t) => onLoad(t, `template ${name}`),
      (err: unknown) => onError(err instanceof Error ? err.message : String(err)),
    );
  });
  const file = h('input', {
    type: 'file',
    id: 'editor-definition',
    accept: 'application/json,.json',
    class: 'visually-hidden',
  });
  file.addEventListener('change', () => {
    const f = file.files?.[0];
    if (!f) return;
    f.text().then(
      (text) => {
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          return onError(`${f.name} is not JSON.`);
        }
        const loaded = asLoaded(value);
        if (!loaded) return onError(`${f.name} is not a hunt definition (no "puzzles" list).`);
        onLoad(loaded, f.name);
      },
      () => onError(`${f.name} could not be read.`),
    );
    file.value = '';
  });
  return h(
    'div',
    { class: 'row' },
    select,
    h('label', { class: 'button', for: 'editor-definition' }, 'Load a definition file…'),
    file,
  );
}
