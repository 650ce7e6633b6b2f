/**
 * The join form: a hunt code (from the link), a display name, the hunt's passcode once the server
 * asks for one, and in a team hunt (once the server says TEAM_REQUIRED, or a `team` in the link)
 * a new team's name or a team's code.
 */
import { isRecord } from '../../../protocol/input.js';
import { byId, clear, h } from '../dom.js';
import { play } from './play.js';
import { params, saveSession } from './state.js';

const app = byId('app', HTMLElement);

/** What the form keeps across a refused join: what was typed, and whether the hunt wants a passcode. */
interface Typed {
  hunt?: string;
  name?: string;
  askPasscode?: boolean;
  askTeam?: boolean;
}

export function joinView(error = '', typed: Typed = {}): void {
  const code = h('input', {
    name: 'hunt',
    required: true,
    value: typed.hunt ?? params.get('hunt') ?? '',
    'aria-label': 'Hunt code',
    placeholder: 'hunt code',
  });
  const name = h('input', {
    name: 'name',
    required: true,
    maxLength: 32,
    value: typed.name ?? '',
    'aria-label': 'Display name',
    placeholder: 'your name',
    autocomplete: 'nickname',
  });
  const passcode = typed.askPasscode
    ? h('input', {
        name: 'passcode',
        id: 'passcode',
        required: true,
        maxLength: 64,
        'aria-label': 'Passcode',
        placeholder: 'passcode from the game master',
        autocomplete: 'off',
      })
    : null;
  const askTeam = typed.askTeam || params.has('team');
  const team = askTeam
    ? h('input', {
        name: 'team',
        id: 'team-name',
        maxLength: 40,
        'aria-label': 'New team name',
        placeholder: 'a new team',
      })
    : null;
  const teamCode = askTeam
    ? h('input', {
        name: 'teamCode',
        id: 'team-code-input',
        maxLength: 16,
        value: params.get('team') ?? '',
        'aria-label': 'Team code',
        placeholder: 'or a team code',
        autocomplete: 'off',
      })
    : null;
  const form = h(
    'form',
    {
      class: 'stack panel',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void join(code.value.trim(), name.value.trim(), passcode?.value, {
          team: team?.value.trim(),
          teamCode: teamCode?.value.trim(),
        });
      },
    },
    h('h2', {}, 'Join a treasure hunt'),
    h('label', {}, 'Hunt code', code),
    h('label', {}, 'Display name', name),
    passcode ? h('label', {}, 'Passcode', passcode) : null,
    team ? h('label', {}, 'Start a team', team) : null,
    teamCode ? h('label', {}, 'Or join a team with its code', teamCode) : null,
    h('button', { class: 'primary', type: 'submit' }, 'Join'),
    error ? h('p', { class: 'error', role: 'alert' }, error) : null,
  );
  clear(app, h('header', { class: 'bar' }, h('h1', {}, 'Treasure hunt')), h('section', { class: 'panel' }, form));
  (passcode && typed.name ? passcode : params.get('hunt') || typed.hunt ? name : code).focus();
}

async function join(
  hunt: string,
  name: string,
  passcode?: string,
  teamChoice: { team?: string | undefined; teamCode?: string | undefined } = {},
): Promise<void> {
  const typed: Typed = { hunt, name, askPasscode: passcode !== undefined, askTeam: teamChoice.team !== undefined };
  if (!hunt || !name) return joinView('Enter the hunt code and a name.', typed);
  const teamBody = teamChoice.teamCode
    ? { teamCode: teamChoice.teamCode }
    : teamChoice.team
      ? { team: teamChoice.team }
      : {};
  const res = await fetch(`/api/hunts/${encodeURIComponent(hunt)}/players`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, ...(passcode ? { passcode } : {}), ...teamBody }),
  });
  const body = joinReply(await res.json().catch(() => null));
  if (!res.ok || !body.player || !body.token) {
    const code = body.error?.code;
    // the hunt has a passcode: ask for it, keeping what was typed
    const askPasscode = typed.askPasscode || code === 'PASSCODE_REQUIRED' || code === 'PASSCODE_WRONG';
    const askTeam = typed.askTeam || (code !== undefined && code.startsWith('TEAM_'));
    const retry = code === 'RATE_LIMITED' ? res.headers.get('retry-after') : null;
    const message =
      code === 'PASSCODE_REQUIRED'
        ? 'This hunt needs the passcode your game master gave you.'
        : code === 'TEAM_REQUIRED'
          ? 'This hunt is played in teams: start one, or join one with its code.'
          : retry
            ? `Too many joins from your network just now; try again in ${retry} s.`
            : (body.error?.message ?? 'Could not join.');
    return joinView(message, { ...typed, askPasscode, askTeam });
  }
  const session = { hunt, player: body.player, token: body.token, name };
  saveSession(session);
  history.replaceState(null, '', `/?hunt=${encodeURIComponent(hunt)}`);
  play(session);
}

/** What `POST /api/hunts/:id/players` answered, read as far as it has the expected fields. */
function joinReply(raw: unknown): { player?: string; token?: string; error?: { code?: string; message?: string } } {
  if (!isRecord(raw)) return {};
  const { player, token, error } = raw;
  return {
    ...(typeof player === 'string' ? { player } : {}),
    ...(typeof token === 'string' ? { token } : {}),
    ...(isRecord(error)
      ? {
          error: {
            ...(typeof error.code === 'string' ? { code: error.code } : {}),
            ...(typeof error.message === 'string' ? { message: error.message } : {}),
          },
        }
      : {}),
  };
}
