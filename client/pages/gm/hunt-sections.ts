/**
 * The sections of the hunt panel, top to bottom. To add one (an editor, a review queue, a map),
 * write a file exporting a `HuntSection` and put it in `HUNT_SECTIONS` where it should appear.
 */
import { accessSection } from './access-section.js';
import { answersSection } from './answer-key.js';
import { fieldSection } from './field-section.js';
import { figuresSection } from './figures.js';
import { filesSection } from './files-section.js';
import { controlsSection, puzzlesSection } from './hunt-controls.js';
import { missionsSection } from './missions-section.js';
import { reviewSection } from './review-section.js';

/** GET /api/hunts/:id */
export interface HuntView {
  id: string;
  name: string;
  status: string;
  generation: { done: number; total: number };
  puzzles: { id: string; type: string; difficulty: string; points: number; title?: string }[];
  players: number;
  deadLetters: { count: number };
  /** players it takes */
  maxPlayers?: number;
  /** what a join must carry (null: none) */
  passcode?: string | null;
  /** the account that created it, or 'admin' */
  owner?: string;
}

export interface HuntContext {
  id: string;
  view: HuntView;
  /** the player app's join link for this hunt */
  link: string;
  /** reloads the hunt panel and the list (after a change of status, say) */
  refresh(): void;
}

export interface HuntSection {
  id: string;
  /** the section's nodes; poll with `every` from session.ts (stopped when the view changes) */
  render(ctx: HuntContext): (Node | string)[] | Promise<(Node | string)[]>;
}

export const HUNT_SECTIONS: HuntSection[] = [
  controlsSection,
  fieldSection,
  reviewSection,
  figuresSection,
  puzzlesSection,
  missionsSection,
  filesSection,
  answersSection,
  accessSection,
];
