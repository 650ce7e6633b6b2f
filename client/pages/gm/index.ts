/**
 * The game-master console: sign in with the key; then tabs (tabs.ts): hunts — create from a
 * template or a custom mix and watch generation, run the lifecycle, watch the board and live
 * figures, see the answer key, export (sections in hunt-sections.ts) — and named configs.
 */
import { session } from './session.js';
import { showSignIn, showTab } from './shell.js';

export function startConsole(): void {
  if (session.key) void showTab().catch(() => showSignIn());
  else showSignIn();
}
