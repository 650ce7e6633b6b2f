/** The hunt panel's files: the QR sheet, the definition, and each code mission's QR inline. */
import { h } from '../dom.js';
import { HuntHttpClient } from '../../http-client.js';
import { huntFileButtons, qrCodes } from './hunt-files.js';
import type { HuntSection } from './hunt-sections.js';
import { session } from './session.js';

export const filesSection: HuntSection = {
  id: 'files',
  render({ id, view }) {
    const http = new HuntHttpClient('', session.key);
    const codes = view.puzzles.filter((p) => p.type === 'code').map((p) => ({ id: p.id, title: p.title ?? p.id }));
    const out: (Node | string)[] = [h('h3', {}, 'Files'), huntFileButtons(http, id, view.name)];
    if (codes.length) {
      const box = h(
        'details',
        { class: 'qr-inline' },
        h('summary', {}, `QR codes of the ${codes.length} code missions`),
      );
      box.addEventListener('toggle', () => {
        if (box.open && !box.querySelector('.qr-codes')) box.append(qrCodes(http, id, codes));
      });
      out.push(box);
    }
    return out;
  },
};
