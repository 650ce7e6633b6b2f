/** A game master's live stream (`GET /api/hunts/:id/live`) read the way the console reads it: fetch, event by event. */
import { until } from './helpers.js';

export interface LiveEvent {
  event: string;
  data: unknown;
}

export interface LiveStream {
  events: LiveEvent[];
  status: number;
  waitFor(what: string, test: (e: LiveEvent) => boolean, timeoutMs?: number): Promise<LiveEvent>;
  close(): void;
}

/** Opens the stream and resolves once it says `ready` (this node hears the hunt from then on). */
export async function openLive(baseUrl: string, hunt: string, key: string): Promise<LiveStream> {
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/api/hunts/${hunt}/live`, {
    headers: { authorization: `Bearer ${key}` },
    signal: abort.signal,
  });
  const events: LiveEvent[] = [];
  const stream: LiveStream = {
    events,
    status: res.status,
    waitFor: (what, test, timeoutMs = 10_000) => until(what, () => events.find(test), timeoutMs),
    close: () => abort.abort(),
  };
  if (!res.ok || !res.body) {
    await res.text().catch(() => '');
    return stream;
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined)
            events.push({ event, data: data === undefined ? undefined : (JSON.parse(data) as unknown) });
        }
      }
    } catch {
      // aborted
    }
  })();
  await stream.waitFor('the live stream ready', (e) => e.event === 'ready');
  return stream;
}
