/**
 * A hunt's files for the game master: the printable QR sheet (every code mission's QR and title),
 * each code mission's QR shown inline, and the definition (JSON) to keep or to create a copy
 * from. Each is served to game masters only, so it is fetched with the key and handed to the
 * browser as a blob.
 */
import type { HuntHttpClient } from '../../http-client.js';
import { AuthoredApi } from '../../authored-client.js';
import { h, toast } from '../dom.js';

function saveAs(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  h('a', { href: url, download: filename }).click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Buttons: "QR sheet" (opens it in a new tab, or downloads where popups are blocked) and "Definition". */
export function huntFileButtons(http: HuntHttpClient, hunt: string, name: string): HTMLElement {
  const api = new AuthoredApi(http);
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || hunt;
  const qr = h(
    'button',
    {
      id: 'qr-sheet',
      onclick: () => {
        // opened now, while the click still counts, then pointed at the sheet once it arrives
        const tab = window.open('', '_blank');
        api.qrSheet(hunt).then(
          (blob) => {
            const url = URL.createObjectURL(new Blob([blob], { type: 'text/html' }));
            if (tab) tab.location.href = url;
            else saveAs(blob, `${slug}-qr.html`);
            setTimeout(() => URL.revokeObjectURL(url), 60_000);
          },
          (err: unknown) => {
            tab?.close();
            toast(`QR sheet: ${err instanceof Error ? err.message : String(err)}`, 'bad');
          },
        );
      },
    },
    'QR sheet',
  );
  const def = h(
    'button',
    {
      id: 'download-definition',
      onclick: () => {
        api.definition(hunt).then(
          (d) => saveAs(new Blob([JSON.stringify(d, null, 2)], { type: 'application/json' }), `${slug}.hunt.json`),
          (err: unknown) => toast(`Definition: ${err instanceof Error ? err.message : String(err)}`, 'bad'),
        );
      },
    },
    'Download definition',
  );
  return h('div', { class: 'row hunt-files' }, qr, def);
}

/** The QR codes of the given code missions, inline (for a quick scan from the screen). */
export function qrCodes(http: HuntHttpClient, hunt: string, missions: { id: string; title: string }[]): HTMLElement {
  const api = new AuthoredApi(http);
  const box = h('div', { class: 'qr-codes', id: 'qr-codes' });
  for (const m of missions) {
    const fig = h('figure', { class: 'qr', 'data-puzzle': m.id }, h('figcaption', {}, `${m.id} · ${m.title}`));
    box.append(fig);
    api.qrCode(hunt, m.id).then(
      (blob) =>
        fig.prepend(
          h('img', {
            src: URL.createObjectURL(new Blob([blob], { type: 'image/svg+xml' })),
            alt: `QR code for ${m.title}`,
            width: 140,
            height: 140,
          }),
        ),
      () => fig.prepend(h('p', { class: 'error' }, 'QR unavailable')),
    );
  }
  return box;
}
