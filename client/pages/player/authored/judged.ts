/**
 * Judged missions, `free` (text) and `photo`: the player sends something, then waits for a game
 * master. Three states: the form; "waiting for review" (the `pending` flag, kept by the server
 * across reloads); and the outcome (`{"t":"review"}`): approved with its points, or rejected with
 * the reason and the form again to send another.
 */
import type { PublicPuzzle } from '../../../../protocol/messages.js';
import { submitMission } from '../../../authored-client.js';
import { h } from '../../dom.js';
import { feedback } from '../feedback.js';
import { state } from '../state.js';
import type { PuzzleView, Submit } from '../views/common.js';
import { mission, setField } from './mission.js';
import { downscale, toBase64 } from './photo.js';
import { promptBlock } from './prompt.js';
import { reviews } from './reviews.js';

/** repaints the selected puzzle (set by the hook that registers these views) */
export const judgedHooks = { rerender: (): void => undefined };

function outcome(p: PublicPuzzle): HTMLElement | '' {
  const r = reviews.get(p.id);
  if (p.solved)
    return h('p', { class: 'solved', id: 'review-outcome' }, `✓ Approved${r ? `: +${r.points} points` : ''}.`);
  if (mission(p).pending)
    return h('p', { class: 'pending', id: 'review-outcome' }, '⏳ Sent. A game master will review it soon.');
  if (r && !r.approved)
    return h(
      'p',
      { class: 'error', id: 'review-outcome' },
      `✗ Not accepted${r.reason ? `: ${r.reason}` : ''}. You can send another.`,
    );
  return '';
}

function waiting(p: PublicPuzzle): boolean {
  return p.solved || mission(p).pending;
}

export const freeView: PuzzleView = (p, submit: Submit) => {
  const text = h('textarea', {
    id: 'free-text',
    class: 'short',
    maxLength: 2000,
    'aria-label': 'Your answer',
    placeholder: 'Your answer',
    disabled: waiting(p),
  });
  const form = h(
    'form',
    {
      class: 'stack',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        if (text.value.trim()) submit(text.value.trim());
      },
    },
    text,
    h('button', { class: 'primary', id: 'submit', type: 'submit', disabled: waiting(p) }, 'Send for review'),
  );
  return h('div', { class: 'stack' }, ...promptBlock(p), outcome(p), waiting(p) ? '' : form);
};

export const photoView: PuzzleView = (p) => {
  const head = [...promptBlock(p), outcome(p)];
  if (waiting(p)) return h('div', { class: 'stack' }, ...head);
  let chosen: Blob | null = null;
  const preview = h('div', { class: 'photo-preview' });
  const input = h('input', {
    type: 'file',
    id: 'photo-input',
    accept: 'image/*',
    capture: 'environment',
    class: 'visually-hidden',
  });
  const send = h('button', { class: 'primary', id: 'submit', disabled: true }, 'Send photo');
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (!file) return;
    chosen = file;
    const url = URL.createObjectURL(file);
    preview.replaceChildren(h('img', { src: url, alt: 'Your photo', class: 'photo-thumb' }));
    send.disabled = false;
  });
  send.addEventListener('click', () => {
    if (!chosen) return;
    send.disabled = true;
    send.textContent = 'Sending…';
    void sendPhoto(p, chosen).finally(() => {
      send.textContent = 'Send photo';
      send.disabled = false;
    });
  });
  return h(
    'div',
    { class: 'stack' },
    ...head,
    h('label', { class: 'button', for: 'photo-input' }, '📷 Take or choose a photo'),
    input,
    preview,
    send,
  );
};

async function sendPhoto(p: PublicPuzzle, file: Blob): Promise<void> {
  const { session, conn } = state;
  if (!session || !conn) return;
  try {
    const small = await downscale(file);
    await submitMission(location.origin, session.hunt, session.token, {
      id: conn.nextId('s'),
      puzzle: p.id,
      photo: await toBase64(small),
    });
    setField(p, 'pending', true);
    reviews.delete(p.id);
    judgedHooks.rerender();
    feedback('Photo sent. A game master will review it soon.', 'good');
  } catch (err) {
    feedback(`The photo was not sent: ${err instanceof Error ? err.message : String(err)}`, 'bad');
  }
}
