/**
 * The `hunt` command.
 *   hunt start [--roles front,shard,worker] [--port 8080] [--redis <url>] [--prefix hunt]
 *   hunt puzzle <type> [--difficulty medium] [--seed <s>]
 *   hunt config list | get <name> | set <name> <file> | history <name> | rollback <name> <version>
 */
import { createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DIFFICULTIES, isOneOf, PUZZLE_TYPES } from '../protocol/index.js';
import { DEFAULT_SCORING, parseEnv, ROLES, type Role } from '../config/index.js';
import { makePuzzle } from '../puzzles/index.js';
import { redact, startEmbeddedRedis, type EmbeddedRedis } from '../redis/index.js';
import { configCommand } from './cli-config.js';
import { createLogger } from './logger.js';
import { createNode } from './node.js';
import { openTransport, type TlsFiles, type Transport } from './transport/index.js';
import { openFilesLimit } from './open-files.js';

const USAGE = `usage:
  hunt start [--roles front,shard,worker] [--port <n>] [--host <addr>] [--redis <url>] [--prefix <p>]
  hunt puzzle <type> [--difficulty easy|medium|hard] [--seed <s>]
  hunt config list | get <name> | set <name> <file.json> | history <name> | rollback <name> <version>
  hunt load --url <http(s)://host[,host...]> --gm-key <key> [--players n] [--duration 30s] [--http] [--report out.json] [--slo "answer.p99<100ms"] (hunt load --help)`;

function fail(message: string): never {
  process.stderr.write(`hunt: ${message}\n`);
  process.exit(1);
}

/** The admin key kept in `<data>/gm-key`, made (and then printed, that once) where there is none. */
function gmKeyFrom(dataDir: string): { key: string; created: boolean } {
  const file = join(dataDir, 'gm-key');
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), created: false };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(24).toString('base64url');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, created: true };
}

/** The TLS files are readable PEM and belong together, or the node stops here with one line. */
function checkTls(cert: string, key: string): TlsFiles {
  try {
    const x509 = new X509Certificate(readFileSync(cert));
    if (!x509.checkPrivateKey(createPrivateKey(readFileSync(key))))
      fail(`HUNT_TLS_KEY ${key} is not the key of the certificate in HUNT_TLS_CERT ${cert}`);
  } catch (err) {
    fail(`HUNT_TLS_CERT ${cert} / HUNT_TLS_KEY ${key}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { cert, key };
}

async function start(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      roles: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      redis: { type: 'string' },
      prefix: { type: 'string' },
    },
    strict: true,
  });
  let env;
  try {
    env = parseEnv({
      ...process.env,
      ...(values.port === undefined ? {} : { PORT: values.port }),
      ...(values.host === undefined ? {} : { HOST: values.host }),
      ...(values.redis === undefined ? {} : { REDIS_URL: values.redis }),
      ...(values.prefix === undefined ? {} : { HUNT_PREFIX: values.prefix }),
    });
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  const named = (values.roles ?? ROLES.join(','))
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const roles = named.filter((r): r is Role => isOneOf(ROLES, r));
  const bad = named.filter((r) => !isOneOf(ROLES, r));
  if (bad.length || roles.length === 0)
    fail(`unknown role ${bad.join(', ') || '(none)'}; roles are ${ROLES.join(', ')}`);

  const logger = createLogger(env.LOG_LEVEL, {
    pretty: (env.HUNT_LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json')) === 'pretty',
  });
  const tls =
    env.HUNT_TLS_CERT !== undefined && env.HUNT_TLS_KEY !== undefined
      ? checkTls(env.HUNT_TLS_CERT, env.HUNT_TLS_KEY)
      : undefined;
  // before the embedded redis-server starts: a transport that cannot be had stops here, in one line
  let transport: Transport;
  try {
    transport = openTransport({ choice: env.HUNT_TRANSPORT, logger, ...(tls ? { tls } : {}) });
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  // every socket is a file: the limit bounds the players this node can hold (see Listener)
  const files = openFilesLimit();
  if (files) logger.info({ limit: files.soft }, 'open-file limit');
  let embedded: EmbeddedRedis | undefined;
  let redisUrl = env.REDIS_URL;
  let stop: ((signal: string, code?: number) => void) | undefined;
  if (!redisUrl) {
    try {
      embedded = await startEmbeddedRedis({
        dir: join(env.HUNT_DATA_DIR, 'redis'),
        ...(env.HUNT_REDIS_MAXMEMORY === undefined ? {} : { maxmemory: env.HUNT_REDIS_MAXMEMORY }),
        say: (line) => process.stdout.write(`${line}\n`),
        // the embedded redis-server is restarted when it dies (AOF keeps the data); /readyz says 503 meanwhile
        onUnexpectedExit: ({ code, signal, restarts, gaveUp }) => {
          logger.error(
            { code, signal, restarts, gaveUp },
            gaveUp
              ? 'embedded redis-server keeps dying; stopping the node'
              : 'embedded redis-server exited; restarting it',
          );
          if (gaveUp) stop?.('redis', 1);
        },
        onRestarted: (pid) => logger.warn({ pid }, 'embedded redis-server restarted'),
      });
    } catch (err) {
      fail(err instanceof Error ? err.message : String(err));
    }
    redisUrl = embedded.url;
  }
  const stored = env.HUNT_GM_KEY ? undefined : gmKeyFrom(env.HUNT_DATA_DIR);
  const gmKey = env.HUNT_GM_KEY ?? stored?.key ?? '';
  const node = await createNode({
    redisUrl,
    port: env.PORT,
    host: env.HOST,
    roles,
    prefix: env.HUNT_PREFIX,
    gmKey,
    logger,
    transport,
    trustedProxies: env.HUNT_TRUSTED_PROXIES,
    tokenTtlSeconds: env.HUNT_TOKEN_TTL,
    metricsLoopbackOnly: env.HUNT_METRICS_LOOPBACK_ONLY === '1',
    mapTiles: env.HUNT_MAP_TILES,
    ...(embedded ? { readiness: embedded.problem } : {}),
  });
  process.stdout.write(
    [
      `hunt node ${node.id} (${roles.join(', ')}) listening on ${node.scheme}://localhost:${node.port}`,
      `transport: ${node.transport === 'uws' ? 'uWebSockets.js (native)' : 'ws fallback (see the warning above)'}${node.scheme === 'https' ? ', TLS' : ''}`,
      `redis: ${redact(redisUrl)}${embedded ? ` (embedded, data in ${join(env.HUNT_DATA_DIR, 'redis')})` : ''}`,
      // a key is printed once, when it is made; one the operator gave is never printed
      stored?.created
        ? `admin key (printed this once): ${gmKey} (stored in ${join(env.HUNT_DATA_DIR, 'gm-key')})`
        : `admin key: ${env.HUNT_GM_KEY ? 'from HUNT_GM_KEY' : `in ${join(env.HUNT_DATA_DIR, 'gm-key')}`}`,
      '',
    ].join('\n'),
  );

  let stopping = false;
  stop = (signal: string, code = 0): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // a graceful stop takes well under a second; this only guards against a hung dependency
    const force = setTimeout(() => {
      logger.error('shutdown took over 10 s; exiting');
      void embedded?.close().finally(() => process.exit(1));
    }, 10_000);
    force.unref();
    void node
      .close()
      .then(() => embedded?.close())
      .then(() => process.exit(code));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

function puzzle(argv: string[]): void {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { difficulty: { type: 'string', default: 'medium' }, seed: { type: 'string' } },
    allowPositionals: true,
  });
  const type = positionals[0];
  const difficulty = values.difficulty;
  if (!isOneOf(PUZZLE_TYPES, type)) fail(`give a puzzle type: ${PUZZLE_TYPES.join(', ')}`);
  if (!isOneOf(DIFFICULTIES, difficulty)) fail(`difficulty is one of ${DIFFICULTIES.join(', ')}`);
  const seed = values.seed ?? randomBytes(4).toString('hex');
  try {
    const made = makePuzzle(
      {
        hunt: 'cli',
        puzzle: 'p1',
        index: 0,
        type,
        difficulty,
        seed,
      },
      DEFAULT_SCORING.points,
    );
    process.stdout.write(`${JSON.stringify({ seed, ...made }, null, 2)}\n`);
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
}

const [command, ...rest] = process.argv.slice(2);
switch (command) {
  case 'start':
    await start(rest);
    break;
  case 'puzzle':
    puzzle(rest);
    break;
  case 'config':
    process.exit(await configCommand(rest));
    break;
  case 'load': {
    // the load tester lives with the other load tools; loaded only for this command
    const { runLoad } = await import('../load/hunt-load.js');
    process.exit(await runLoad(rest));
    break;
  }
  default:
    process.stderr.write(`${USAGE}\n`);
    process.exit(command === undefined || command === 'help' || command === '--help' ? 0 : 1);
}
