/**
 * The console's side of the live channel: `GET /api/hunts/:id/live` read with `fetch` (the key
 * in its header; an EventSource cannot send one), event by event, reopened after a break. Once
 * it says `ready`, the caller reads `GET .../messages` and merges by id: nothing falls between.
 */
import { session } from './session.js';

export interface LiveEvents {
  onReady(): void;
  onEvent(kind: string, data: unknown): void;
}

/** Follows the hunt's live stream until `stop` is called; returns `stop`. */
export function followLive(hunt: string, on: LiveEvents): () => void {
  let stopped = false;
  let abort: AbortController | undefined;
  const run = async (): Promise<void> => {
    while (!stopped) {
      abort = new AbortController();
      try {
        const res = await fetch(`/api/hunts/${encodeURIComponent(hunt)}/live`, {
          headers: { authorization: `Bearer ${session.key}` },
          signal: abort.signal,
        });
        if (!res.ok || !res.body) throw new Error(`live stream: ${res.status}`);
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const kind = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (kind === 'ready') on.onReady();
            else if (kind !== undefined && data !== undefined) {
              try {
                const value: unknown = JSON.parse(data);
                on.onEvent(kind, value);
              } catch {
                // one unreadable event does not end the stream
              }
            }
          }
        }
      } catch {
        // a break (node restart, network): open it again below
      }
      if (!stopped) await new Promise((r) => setTimeout(r, 2000));
    }
  };
  void run();
  return () => {
    stopped = true;
    abort?.abort();
  };
}
