/** The player app's entry point (bundled as /assets/player.js); the app lives in player/. */
import { startPlayer } from './player/index.js';

startPlayer();
