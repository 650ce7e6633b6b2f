/**
 * "Scan QR" for code missions, where the browser has `BarcodeDetector` (Chrome on Android, say):
 * the back camera in a small video, frames checked a few times a second, stopped at the first QR
 * code or on "Cancel". A QR from the hunt's sheet holds the join link with `code=`; any other QR
 * is read as the code itself.
 */
import { h } from '../../dom.js';

interface Detector {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}
type DetectorClass = new (opts: { formats: string[] }) => Detector;

declare global {
  /** the Barcode Detection API, where the browser has it (not in TypeScript's DOM types yet) */
  var BarcodeDetector: DetectorClass | undefined;
}

function detectorClass(): DetectorClass | undefined {
  return globalThis.BarcodeDetector;
}

export function canScan(): boolean {
  return detectorClass() !== undefined && typeof navigator.mediaDevices?.getUserMedia === 'function';
}

/** The code in a scanned value: the `code` of a hunt link, or the value itself. */
export function codeFromScan(raw: string): string {
  try {
    const url = new URL(raw);
    return url.searchParams.get('code') ?? raw;
  } catch {
    return raw.trim();
  }
}

/** Opens the camera inside `host`; resolves with the code, or null when cancelled or impossible. */
export async function scanInto(host: HTMLElement): Promise<string | null> {
  const Detector = detectorClass();
  if (!Detector) return null;
  const detector = new Detector({ formats: ['qr_code'] });
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  } catch {
    host.replaceChildren(h('p', { class: 'error' }, 'The camera is not available; type the code instead.'));
    return null;
  }
  const video = h('video', { class: 'scanner', muted: true, playsInline: true, autoplay: true });
  video.srcObject = stream;
  return new Promise((resolve) => {
    let over = false;
    const finish = (code: string | null): void => {
      if (over) return;
      over = true;
      for (const t of stream.getTracks()) t.stop();
      host.replaceChildren();
      resolve(code);
    };
    const cancel = h('button', { type: 'button', onclick: () => finish(null) }, 'Cancel');
    host.replaceChildren(
      video,
      h('div', { class: 'row' }, h('span', { class: 'muted' }, 'Point the camera at the QR code.'), cancel),
    );
    const tick = async (): Promise<void> => {
      if (over) return;
      if (!host.isConnected) return finish(null);
      try {
        const found = video.readyState >= 2 ? await detector.detect(video) : [];
        if (found[0]) return finish(codeFromScan(found[0].rawValue));
      } catch {
        // a frame that cannot be read: try the next one
      }
      setTimeout(() => void tick(), 250);
    };
    void tick();
  });
}
