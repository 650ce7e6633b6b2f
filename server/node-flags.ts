/**
 * V8 flags every server process runs with: `npm start`, `npm run hunt`, the `hunt` bin, and the
 * processes tests and benchmarks spawn (so what they measure is what users run). They must be on
 * node's command line: the GC is set up before any code of ours runs.
 *
 * `--single-threaded-gc`: the garbage collector works on the main thread only. With helper
 * threads, a scavenge waits for threads that compete for the same few cores with the event loop,
 * Redis and (on a test box) the bots; on 2 cores that put answers' p99 at 30 ms against 18 ms
 * single-threaded, with pings 15 against 9 ms (A/B runs of `npm run bench -- --only answers`).
 * On a machine with many idle cores, parallel GC shortens pauses: drop it there.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--single-threaded-gc'];
