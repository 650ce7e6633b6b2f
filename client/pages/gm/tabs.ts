/**
 * The console's tabs, in the order of the header's buttons. To add a tab (say "Accounts"),
 * write `<name>-tab.ts` exporting a `ConsoleTab` and add it to `TABS`: the header, the
 * navigation and stopping the previous tab's timers come with it.
 */
import { accountsTab } from './accounts-tab.js';
import { configsTab } from './configs.js';
import { huntsTab } from './hunts-tab.js';

export interface ConsoleTab {
  id: string;
  /** the header button's text */
  label: string;
  /** the page title while the tab is shown */
  title: string;
  /** fills `main` (an empty element below the header) */
  render(main: HTMLElement): void | Promise<void>;
  /** shown to the admin key only (a game-master key would get 403 there) */
  adminOnly?: boolean;
}

export const TABS: ConsoleTab[] = [huntsTab, { ...configsTab, adminOnly: true }, accountsTab];
