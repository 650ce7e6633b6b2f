/**
 * Every route a node registers, as it registers it: the app handed to the roles records each
 * `get`/`post`/.../`ws` call before passing it on, and `route()` adds what it knows (who may
 * call). The OpenAPI document (openapi.ts) is built from this list, so a route added anywhere
 * appears in it without a second list to keep in step.
 */
import type { Who } from './access.js';
import type { App } from './transport/index.js';

export interface RegisteredRoute {
  /** lower case as the app's method names (`del` for DELETE), or `ws` */
  method: string;
  pattern: string;
  /** the key `route()` checks, when it declares one */
  who?: Who;
}

const REGISTERING = new Set(['get', 'post', 'put', 'patch', 'del', 'options', 'any', 'ws']);

export class RouteRegistry {
  private readonly list: RegisteredRoute[] = [];

  get routes(): readonly RegisteredRoute[] {
    return this.list;
  }

  /** The app, recording each registration; everything else passes straight through. */
  wrap(app: App): App {
    const list = this.list;
    // one function per property, made once: publish and the like are on the fan-out's hot path
    const made = new Map<string | symbol, unknown>();
    const recording: App = new Proxy(app, {
      get(target, prop) {
        if (made.has(prop)) return made.get(prop);
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        const fn =
          typeof prop === 'string' && REGISTERING.has(prop)
            ? (pattern: string, handler: unknown) => {
                list.push({ method: prop, pattern });
                Reflect.apply(value, target, [pattern, handler]);
                return recording;
              }
            : (...args: unknown[]): unknown => Reflect.apply(value, target, args);
        made.set(prop, fn);
        return fn;
      },
    });
    return recording;
  }

  /** What `route()` knows of a route it registered (after the app recorded it). */
  describe(method: string, pattern: string, info: { who?: Who | undefined }): void {
    const found = this.list.findLast((r) => r.method === method && r.pattern === pattern);
    if (found && info.who) found.who = info.who;
  }
}
