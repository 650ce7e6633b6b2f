/** Review outcomes of judged missions this session, by puzzle id (shown until the next submission). */
import type { ReviewOutcome } from './mission.js';

export const reviews = new Map<string, ReviewOutcome>();
