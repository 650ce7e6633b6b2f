/** The hunt's lifecycle: one table of transitions, used by the API and by scheduled jobs alike. */
import type { HuntStatus } from '../protocol/index.js';

export type LifecycleAction = 'launch' | 'pause' | 'resume' | 'end';

export const TRANSITIONS: Readonly<Record<LifecycleAction, { to: HuntStatus; from: readonly HuntStatus[] }>> = {
  launch: { to: 'live', from: ['ready'] },
  pause: { to: 'paused', from: ['live'] },
  resume: { to: 'live', from: ['paused'] },
  end: { to: 'ended', from: ['ready', 'live', 'paused'] },
};

/** Whether `action` may run on a hunt that is `status`. */
export function allows(action: LifecycleAction, status: string): boolean {
  return TRANSITIONS[action].from.some((from) => from === status);
}
