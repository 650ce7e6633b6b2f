/**
 * The HTTP API of a hunt's puzzles as written (PROTOCOL.md v1.2): puzzles added ("bonus
 * missions"), replaced and removed, the hunt as a definition, and the QR codes of `code`
 * puzzles (an SVG each, and a printable sheet).
 */
import QRCode from 'qrcode';
import { authoredPuzzle, HuntError, type HuntPuzzle } from '../protocol/index.js';
import type { HuntScheduler, HuntStore } from '../rooms/index.js';
import { parseBody, route, type HttpContext, type Request } from './http.js';

export interface PuzzlesApiDeps {
  store: HuntStore;
  scheduler: HuntScheduler;
  /** the origin players reach the node at, for QR links; else `http://<Host header>` */
  publicUrl?: string | undefined;
}

function param(req: Request, i: number): string {
  const value = req.params[i];
  if (!value) throw new HuntError('BAD_REQUEST', 'missing path parameter');
  return value;
}

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** The origin of the links in QR codes: the configured one, or the Host the game master used. */
function originOf(req: Request, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  if (!HOST.test(req.host))
    throw new HuntError('BAD_REQUEST', 'the Host header cannot make a link; set HUNT_PUBLIC_URL');
  return `http://${req.host}`;
}

/** The join link a `code` puzzle's QR holds: opening it joins (if needed) and submits the code. */
export function codeLink(origin: string, hunt: string, puzzle: string, code: string): string {
  return `${origin}/?hunt=${encodeURIComponent(hunt)}&puzzle=${encodeURIComponent(puzzle)}&code=${encodeURIComponent(code)}`;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

type CodePuzzle = Extract<HuntPuzzle, { type: 'code' }> & { id: string };
const isCode = (p: HuntPuzzle): p is CodePuzzle => p.type === 'code' && typeof p.id === 'string';

export function installPuzzlesApi(ctx: HttpContext, deps: PuzzlesApiDeps): void {
  const { store } = deps;

  const written = async (hunt: string): Promise<HuntPuzzle[]> => {
    if (!(await store.views.exists(hunt))) throw new HuntError('HUNT_NOT_FOUND');
    return store.puzzles.written(hunt);
  };

  route(
    ctx,
    'post',
    '/api/hunts/:id/puzzles',
    async (req) => {
      const hunt = param(req, 0);
      const puzzle = parseBody(authoredPuzzle, req.body);
      const { id } = await store.puzzles.add(hunt, puzzle);
      // a timed bonus mission added after launch gets its timers now
      if (puzzle.opensAfterS !== undefined || puzzle.closesAfterS !== undefined)
        await deps.scheduler.timePuzzles(hunt, [id]);
      return { status: 201, body: { ...puzzle, id } };
    },
    { who: 'hunt' },
  );

  route(
    ctx,
    'put',
    '/api/hunts/:id/puzzles/:puzzle',
    async (req) => {
      const [hunt, id] = [param(req, 0), param(req, 1)];
      const puzzle = parseBody(authoredPuzzle, req.body);
      await store.puzzles.replace(hunt, id, puzzle);
      return { body: { ...puzzle, id } };
    },
    { who: 'hunt' },
  );

  route(
    ctx,
    'del',
    '/api/hunts/:id/puzzles/:puzzle',
    async (req) => {
      const [hunt, id] = [param(req, 0), param(req, 1)];
      await store.puzzles.remove(hunt, id);
      return { body: { id: hunt, puzzle: id, removed: true } };
    },
    { who: 'hunt' },
  );

  route(
    ctx,
    'get',
    '/api/hunts/:id/definition',
    async (req) => {
      const hunt = param(req, 0);
      const [view, puzzles, seed] = await Promise.all([store.views.view(hunt), written(hunt), store.seed(hunt)]);
      // the settings `POST /api/hunts` takes, so the copy plays the same
      const settings = { maxPlayers: view.maxPlayers, ...(view.passcode ? { passcode: view.passcode } : {}) };
      return { body: { name: view.name, ...settings, ...(seed ? { seed } : {}), puzzles } };
    },
    { who: 'hunt' },
  );

  route(
    ctx,
    'get',
    '/api/hunts/:id/qr/:puzzle',
    async (req) => {
      const [hunt, id] = [param(req, 0), param(req, 1)];
      const puzzle = (await written(hunt)).find((p) => p.id === id);
      if (!puzzle) throw new HuntError('PUZZLE_NOT_FOUND');
      if (!isCode(puzzle))
        throw new HuntError(
          'VALIDATION_FAILED',
          `puzzle ${id} is a ${puzzle.type} puzzle: only code puzzles have a QR code`,
        );
      const svg = await QRCode.toString(codeLink(originOf(req, deps.publicUrl), hunt, id, puzzle.code), {
        type: 'svg',
        errorCorrectionLevel: 'M',
        margin: 2,
      });
      return {
        text: svg,
        contentType: 'image/svg+xml; charset=utf-8',
        headers: { 'x-content-type-options': 'nosniff' },
      };
    },
    { who: 'hunt' },
  );

  route(
    ctx,
    'get',
    '/api/hunts/:id/qr',
    async (req) => {
      const hunt = param(req, 0);
      const [view, puzzles] = await Promise.all([store.views.view(hunt), written(hunt)]);
      const origin = originOf(req, deps.publicUrl);
      const cards: string[] = [];
      for (const p of puzzles.filter(isCode)) {
        const svg = await QRCode.toString(codeLink(origin, hunt, p.id, p.code), {
          type: 'svg',
          errorCorrectionLevel: 'M',
          margin: 2,
        });
        cards.push(
          `<section class="card"><h2>${escapeHtml(p.title)}</h2>${svg}<p>Scan with a phone camera, or type the code in the app.</p></section>`,
        );
      }
      const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>QR codes · ${escapeHtml(view.name)}</title>
<style>body{font-family:system-ui,sans-serif;margin:1cm}h1{font-size:1.4em}.card{break-inside:avoid;display:inline-block;width:8cm;margin:0 .5cm 1cm 0;vertical-align:top;text-align:center}.card svg{width:6cm;height:6cm}.card h2{font-size:1.1em}.card p{font-size:.8em;color:#444}</style>
</head><body><h1>${escapeHtml(view.name)}</h1>${cards.length > 0 ? cards.join('\n') : '<p>This hunt has no code puzzles.</p>'}</body></html>
`;
      return {
        text: html,
        contentType: 'text/html; charset=utf-8',
        headers: {
          'content-security-policy':
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
          'x-content-type-options': 'nosniff',
        },
      };
    },
    { who: 'hunt' },
  );
}
