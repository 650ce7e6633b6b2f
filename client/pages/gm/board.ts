/**
 * The selected hunt's leaderboard in the side panel, refreshed every second, with what a game
 * master does to a player from it: adjust the score with a reason (the player sees both), send
 * them a message, or remove them (asked first). The open action form survives the refreshes.
 */
import type { LeaderboardEntry } from '../../../protocol/messages.js';
import { entryId } from '../../../protocol/board.js';
import { clear, h, toast } from '../dom.js';
import { api, every } from './session.js';

export async function renderBoard(side: HTMLElement, id: string): Promise<void> {
  let open = '';
  let form: HTMLElement | null = null;
  const message = h('p', { id: 'board-message', role: 'status' });
  const close = (): void => {
    open = '';
    form = null;
    void draw();
  };
  const actions = (e: LeaderboardEntry): HTMLElement => {
    const points = h('input', {
      type: 'number',
      id: 'adjust-points',
      'aria-label': 'Points (negative to take away)',
      placeholder: '+10 or -10',
      step: 1,
      required: true,
      class: 'narrow',
    });
    const reason = h('input', {
      id: 'adjust-reason',
      'aria-label': 'Reason (the player sees it)',
      placeholder: 'reason, shown to the player',
      maxLength: 200,
      required: true,
    });
    const confirmRemove = h('div', { class: 'row' });
    const note = h('input', {
      id: 'message-text',
      'aria-label': `Message to ${e.name}`,
      placeholder: `a message to ${e.name}`,
      maxLength: 500,
      required: true,
    });
    return h(
      'div',
      { class: 'stack player-actions', id: 'player-actions' },
      h('strong', {}, e.name),
      h(
        'form',
        {
          class: 'stack',
          onsubmit: async (ev: Event) => {
            ev.preventDefault();
            const n = Number(points.value);
            if (!Number.isInteger(n) || n === 0 || !reason.value.trim())
              return void (message.textContent = 'Give whole points (not 0) and a reason.');
            try {
              const { score } = await api<{ score: number }>(
                'POST',
                `/api/hunts/${id}/players/${encodeURIComponent(entryId(e))}/adjust`,
                { points: n, reason: reason.value.trim() },
              );
              message.textContent = `${e.name}: ${n > 0 ? '+' : ''}${n} points (${reason.value.trim()}); now ${score}.`;
              close();
            } catch (err) {
              message.textContent = err instanceof Error ? err.message : String(err);
            }
          },
        },
        points,
        reason,
        h(
          'div',
          { class: 'row' },
          h('button', { class: 'primary', type: 'submit', id: 'adjust-apply' }, 'Adjust score'),
          h('button', { type: 'button', onclick: close }, 'Cancel'),
        ),
      ),
      h(
        'form',
        {
          class: 'stack',
          onsubmit: async (ev: Event) => {
            ev.preventDefault();
            if (!note.value.trim()) return;
            try {
              await api('POST', `/api/hunts/${id}/messages`, { text: note.value.trim(), to: { player: e.player } });
              message.textContent = `Message sent to ${e.name}.`;
              close();
            } catch (err) {
              message.textContent = err instanceof Error ? err.message : String(err);
            }
          },
        },
        note,
        h('div', { class: 'row' }, h('button', { type: 'submit', id: 'message-send' }, 'Send message')),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          id: 'remove-player',
          onclick: () =>
            clear(
              confirmRemove,
              h('span', {}, `Remove ${e.name}? They leave the board and can no longer play.`),
              h(
                'button',
                {
                  class: 'danger',
                  id: 'remove-yes',
                  onclick: async () => {
                    try {
                      await api('DELETE', `/api/hunts/${id}/players/${encodeURIComponent(entryId(e))}`);
                      message.textContent = `${e.name} was removed.`;
                      close();
                    } catch (err) {
                      toast(err instanceof Error ? err.message : String(err), 'bad');
                    }
                  },
                },
                'Remove',
              ),
              h('button', { onclick: () => clear(confirmRemove) }, 'Keep'),
            ),
        },
        'Remove from the hunt…',
      ),
      confirmRemove,
    );
  };
  const draw = async (): Promise<void> => {
    const { entries } = await api<{ entries: LeaderboardEntry[] }>('GET', `/api/hunts/${id}/leaderboard?limit=50`);
    if (open && !entries.some((e) => e.player === open)) close();
    const rows = entries.flatMap((e) => {
      const row = h(
        'tr',
        { 'data-player': entryId(e), class: entryId(e) === open ? 'open' : '' },
        h('td', {}, String(e.rank)),
        h('td', {}, e.name),
        h('td', { class: 'score' }, String(e.score)),
        h(
          'td',
          {},
          h(
            'button',
            {
              class: 'small',
              'aria-label': `Actions for ${e.name}`,
              'aria-expanded': String(entryId(e) === open),
              onclick: () => (
                (open = open === entryId(e) ? '' : entryId(e)),
                (form = open ? actions(e) : null),
                void draw()
              ),
            },
            '⋯',
          ),
        ),
      );
      return entryId(e) === open && form
        ? [row, h('tr', { class: 'actions-row' }, h('td', { colSpan: 4 }, form))]
        : [row];
    });
    clear(
      side,
      h('h2', {}, 'Leaderboard'),
      h('p', { class: 'muted' }, 'Tap ⋯ to adjust a score or remove a player.'),
      h('table', { class: 'board', id: 'leaderboard' }, h('tbody', {}, ...rows)),
      message,
    );
  };
  await draw();
  every(1000, () => void draw());
}
