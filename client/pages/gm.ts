/** The console's entry point (bundled as /assets/gm.js); the console lives in gm/. */
import { startConsole } from './gm/index.js';

startConsole();
