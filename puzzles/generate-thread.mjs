// Worker-thread entry: loads the TypeScript side through tsx (workers do not inherit the loader).
import { register } from 'tsx/esm/api';

register();
await import('./generate-thread.ts');
