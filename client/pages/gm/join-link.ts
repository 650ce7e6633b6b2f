/** The join link as players need it: readable, a copy button, and a QR code drawn in the page. */
import { toString as qrSvg } from 'qrcode';
import { h } from '../dom.js';

export function joinLink(link: string): HTMLElement {
  const qr = h('div', { class: 'qr-join', id: 'join-qr', 'aria-label': 'QR code of the join link' });
  void qrSvg(link, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then((svg) => {
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    const el = doc.documentElement;
    if (el.nodeName === 'svg') qr.append(document.importNode(el, true));
  });
  const copied = h('span', { class: 'muted', id: 'copy-note', role: 'status' });
  const copy = h(
    'button',
    {
      type: 'button',
      id: 'copy-link',
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(link);
          copied.textContent = 'Copied.';
        } catch {
          // no clipboard (an insecure origin, say): select the link so one keystroke copies it
          const range = document.createRange();
          range.selectNodeContents(anchor);
          getSelection()?.removeAllRanges();
          getSelection()?.addRange(range);
          copied.textContent = 'Selected: press Ctrl+C to copy.';
        }
      },
    },
    'Copy link',
  );
  const anchor = h('a', { href: link, id: 'join-link', class: 'join-link', target: '_blank', rel: 'noopener' }, link);
  return h(
    'div',
    { class: 'join row' },
    qr,
    h(
      'div',
      { class: 'stack' },
      h('span', { class: 'muted' }, 'Players join at'),
      anchor,
      h('div', { class: 'row' }, copy, copied),
    ),
  );
}
