/**
 * The form of one mission: type, title, prompt, points, the type's own fields (accepted answers,
 * options and the right one, a code, a location), hints and sequencing (after which missions,
 * opening and closing minutes after launch). Every input writes straight into the draft;
 * `onChange` tells the editor to refresh the list line (and, for a type change, the form).
 */
import { DIFFICULTIES } from '../../../protocol/constants.js';
import { isOneOf } from '../../../protocol/guards.js';
import { isAuthoredType } from '../../authored-client.js';
import { h } from '../dom.js';
import { locationPicker } from './location-picker.js';
import { MISSION_TYPES, summary, TYPE_LABEL, type MissionDraft } from './mission-draft.js';

export interface FormContext {
  /** the other missions, in order, that this one may wait for */
  others: { key: string; label: string }[];
  /** false once the hunt has launched: the form is read-only */
  editable: boolean;
  onChange(retype?: boolean): void;
}

function lines(v: string): string[] {
  return v
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);
}

function minutes(label: string, value: number | null, set: (s: number | null) => void, cls: string): HTMLElement {
  const input = h('input', {
    type: 'number',
    min: 0,
    step: 'any',
    class: `narrow ${cls}`,
    placeholder: '—',
    value: value === null ? '' : String(+(value / 60).toFixed(2)),
    'aria-label': label,
  });
  input.addEventListener('change', () => set(input.value === '' ? null : Math.round(Number(input.value) * 60)));
  return h('label', { class: 'row' }, label, input);
}

export function missionForm(d: MissionDraft, ctx: FormContext): HTMLElement {
  const changed = (): void => ctx.onChange();
  const type = h(
    'select',
    { class: 'm-type', 'aria-label': 'Mission type' },
    ...MISSION_TYPES.map((t) => h('option', { value: t, selected: t === d.type }, TYPE_LABEL[t] ?? `${t} (generated)`)),
  );
  type.addEventListener('change', () => {
    d.type = type.value;
    ctx.onChange(true);
  });
  const field = <E extends HTMLInputElement | HTMLTextAreaElement>(el: E, set: (v: string) => void): E => {
    el.addEventListener('input', () => {
      set(el.value);
      changed();
    });
    return el;
  };
  const parts: (HTMLElement | string)[] = [h('label', {}, 'Type ', type)];
  if (isAuthoredType(d.type)) {
    const prompt = field(
      h('textarea', { class: 'm-prompt short', maxLength: 2000, placeholder: 'What the players read' }),
      (v) => (d.prompt = v),
    );
    prompt.value = d.prompt;
    parts.push(
      h(
        'label',
        {},
        'Title',
        field(
          h('input', { class: 'm-title', maxLength: 120, value: d.title, placeholder: 'The fountain riddle' }),
          (v) => (d.title = v),
        ),
      ),
      h('label', {}, d.type === 'checkin' ? 'What to do there' : 'Prompt', prompt),
      h(
        'label',
        { class: 'row' },
        'Points',
        field(
          h('input', { type: 'number', class: 'm-points narrow', min: 1, max: 10000, value: String(d.points) }),
          (v) => (d.points = Number(v)),
        ),
      ),
    );
  } else {
    const diff = h(
      'select',
      { class: 'm-difficulty', 'aria-label': 'Difficulty' },
      ...DIFFICULTIES.map((x) => h('option', { value: x, selected: x === d.difficulty }, x)),
    );
    diff.addEventListener('change', () => {
      const chosen = diff.value;
      if (isOneOf(DIFFICULTIES, chosen)) d.difficulty = chosen;
      changed();
    });
    parts.push(
      h(
        'label',
        {},
        'Title (optional)',
        field(
          h('input', { class: 'm-title', maxLength: 120, value: d.title, placeholder: 'The curator’s note' }),
          (v) => (d.title = v),
        ),
      ),
      h('label', { class: 'row' }, 'Difficulty', diff),
      h('p', { class: 'muted' }, 'The engine generates this puzzle and its answer.'),
    );
  }
  parts.push(...typeFields(d, changed));
  if (d.type !== 'free' || d.location)
    parts.push(
      locationPicker(
        d.location,
        d.type === 'checkin',
        (loc) => {
          d.location = loc;
          changed();
        },
        `loc-${d.key}`,
      ),
    );
  if (isAuthoredType(d.type)) {
    const hints = field(
      h('textarea', { class: 'm-hints short', placeholder: 'one hint per line (each costs the hint penalty)' }),
      (v) => (d.hints = lines(v)),
    );
    hints.value = d.hints.join('\n');
    parts.push(h('label', {}, 'Hints', hints));
  }
  parts.push(sequencing(d, ctx));
  const form = h('div', { class: 'stack mission-form', 'data-key': d.key }, ...parts);
  if (!ctx.editable)
    for (const el of form.querySelectorAll('input, select, textarea, button')) if ('disabled' in el) el.disabled = true;
  return form;
}

function typeFields(d: MissionDraft, changed: () => void): HTMLElement[] {
  switch (d.type) {
    case 'text': {
      const answers = h('textarea', { class: 'm-answers short', placeholder: 'one accepted answer per line' });
      answers.value = d.answers.join('\n');
      answers.addEventListener('input', () => {
        d.answers = lines(answers.value);
        changed();
      });
      return [h('label', {}, 'Accepted answers (case, accents and punctuation are ignored)', answers)];
    }
    case 'choice':
      return [choiceFields(d, changed)];
    case 'code': {
      const code = h('input', {
        class: 'm-code',
        value: d.code,
        maxLength: 32,
        placeholder: '4–32 letters or digits',
        pattern: '[A-Za-z0-9]{4,32}',
      });
      code.addEventListener('input', () => {
        d.code = code.value;
        changed();
      });
      const gen = h(
        'button',
        {
          type: 'button',
          onclick: () => {
            const abc = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
            code.value = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => abc[b % abc.length]).join('');
            d.code = code.value;
            changed();
          },
        },
        'Random code',
      );
      return [h('label', {}, 'Code (players type it or scan its QR code)', h('div', { class: 'row' }, code, gen))];
    }
    case 'free':
    case 'photo':
      return [
        h(
          'p',
          { class: 'muted' },
          `Judged: each ${d.type === 'photo' ? 'photo' : 'answer'} waits in the review queue until a game master approves or rejects it.`,
        ),
      ];
    default:
      return [];
  }
}

function choiceFields(d: MissionDraft, changed: () => void): HTMLElement {
  const box = h('fieldset', { class: 'stack choice-options' }, h('legend', {}, 'Options (mark the right one)'));
  const draw = (): void => {
    box.replaceChildren(
      h('legend', {}, 'Options (mark the right one)'),
      ...d.options.map((opt, i) => {
        const text = h('input', { class: 'm-option', value: opt, maxLength: 200, 'aria-label': `Option ${i + 1}` });
        text.addEventListener('input', () => {
          d.options[i] = text.value;
          changed();
        });
        const right = h('input', {
          type: 'radio',
          name: `right-${d.key}`,
          class: 'm-right',
          checked: d.answer === i,
          'aria-label': `Option ${i + 1} is right`,
        });
        right.addEventListener('change', () => {
          d.answer = i;
          changed();
        });
        const remove = h(
          'button',
          {
            type: 'button',
            'aria-label': `Remove option ${i + 1}`,
            disabled: d.options.length <= 2,
            onclick: () => {
              d.options.splice(i, 1);
              if (d.answer >= d.options.length) d.answer = 0;
              draw();
              changed();
            },
          },
          '✕',
        );
        return h('div', { class: 'row' }, right, text, remove);
      }),
      h(
        'button',
        {
          type: 'button',
          class: 'm-add-option',
          disabled: d.options.length >= 10,
          onclick: () => {
            d.options.push('');
            draw();
            changed();
          },
        },
        '+ Option',
      ),
    );
  };
  draw();
  return box;
}

function sequencing(d: MissionDraft, ctx: FormContext): HTMLElement {
  const boxes = ctx.others.map((o) => {
    const cb = h('input', { type: 'checkbox', class: 'm-after', value: o.key, checked: d.after.includes(o.key) });
    cb.addEventListener('change', () => {
      d.after = cb.checked ? [...d.after, o.key] : d.after.filter((k) => k !== o.key);
      ctx.onChange();
    });
    return h('label', { class: 'row after-choice' }, cb, o.label);
  });
  return h(
    'fieldset',
    { class: 'stack sequencing' },
    h('legend', {}, 'Sequencing'),
    boxes.length
      ? h('div', { class: 'stack' }, h('span', { class: 'muted' }, 'Locked until these are solved:'), ...boxes)
      : h('span', { class: 'muted' }, 'No other missions to wait for.'),
    h(
      'div',
      { class: 'row' },
      minutes(
        'Opens (min after launch)',
        d.opensAfterS,
        (s) => {
          d.opensAfterS = s;
          ctx.onChange();
        },
        'm-opens',
      ),
      minutes(
        'Closes (min after launch)',
        d.closesAfterS,
        (s) => {
          d.closesAfterS = s;
          ctx.onChange();
        },
        'm-closes',
      ),
    ),
  );
}

/** A line of the mission list: number, type, title, points and what holds it back. */
export function missionLine(d: MissionDraft, index: number): string {
  const bits = [`${index + 1}. ${TYPE_LABEL[d.type] ?? d.type}`, summary(d)];
  if (isAuthoredType(d.type)) bits.push(`${d.points} pts`);
  if (d.after.length) bits.push(`after ${d.after.length}`);
  if (d.opensAfterS !== null) bits.push(`opens +${Math.round(d.opensAfterS / 60)} min`);
  if (d.closesAfterS !== null) bits.push(`closes +${Math.round(d.closesAfterS / 60)} min`);
  return bits.join(' · ');
}
