/**
 * A `code` mission: its prompt, a field for the code found on the spot, and "Scan QR" where the
 * browser can read QR codes with the camera (the code is sent as soon as one is read).
 */
import { h } from '../../dom.js';
import type { PuzzleView } from '../views/common.js';
import { textView } from '../views/text.js';
import { promptBlock } from './prompt.js';
import { canScan, scanInto } from './scanner.js';

export const codeView: PuzzleView = (p, submit) => {
  const view = textView(promptBlock(p), 'The code', (code) => submit(code.replace(/\s+/g, '')), p.solved);
  view.querySelector('input')?.setAttribute('autocapitalize', 'characters');
  if (p.solved) {
    if (p.answer) view.append(h('p', { class: 'solved' }, `Code ${p.answer} accepted.`));
    return view;
  }
  if (canScan()) {
    const host = h('div', { class: 'scan-host' });
    const scan = h(
      'button',
      {
        type: 'button',
        id: 'scan-qr',
        onclick: () => {
          scan.disabled = true;
          void scanInto(host).then((code) => {
            scan.disabled = false;
            if (code) submit(code);
          });
        },
      },
      '📷 Scan QR',
    );
    view.append(h('div', { class: 'row' }, scan), host);
  }
  return view;
};
