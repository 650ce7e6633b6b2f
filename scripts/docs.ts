/**
 * Documents generated from the code, kept in step by test/docs.test.ts:
 *   npm run docs:openapi    docs/openapi.json, as GET /api/openapi.json of a node with every role
 *                           (started here on a private redis-server) serves it
 *   npm run docs:protocol   the appendix of docs/protocol.md: every message type and error code in protocol/
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLIENT_MESSAGE_TYPES, ERRORS, MESSAGE_KINDS } from '../protocol/index.js';
import { startEmbeddedRedis } from '../redis/index.js';
import { createLogger, createNode } from '../server/index.js';

export const ROOT = new URL('..', import.meta.url).pathname;
export const OPENAPI_FILE = join(ROOT, 'docs/openapi.json');
export const PROTOCOL_FILE = join(ROOT, 'docs/protocol.md');
export const APPENDIX_START =
  '<!-- appendix: written by `npm run docs:protocol` from protocol/; edit the code, not this -->';
export const APPENDIX_END = '<!-- end of appendix -->';

/** The `t` of every server → client message in `ServerMessage` (protocol/messages.ts). */
export function serverMessageTypes(): string[] {
  const source = readFileSync(join(ROOT, 'protocol/messages.ts'), 'utf8');
  const union = source.slice(source.indexOf('export type ServerMessage'));
  const body = union.slice(0, union.indexOf(';\n\n') + 1);
  return [...new Set([...body.matchAll(/\bt: '([a-z_]+)'/g)].map((m) => m[1]!))];
}

/** The appendix: what protocol/ declares, listed so a reader (and the test) finds every name. */
export function protocolAppendix(): string {
  const client = CLIENT_MESSAGE_TYPES.map((t) => `| \`{"t":"${t}"}\` | ${MESSAGE_KINDS[t].lane} |`);
  const server = serverMessageTypes().map((t) => `| \`{"t":"${t}"}\` |`);
  const errors = Object.entries(ERRORS).map(
    ([code, e]) =>
      `| \`${code}\` | ${e.status} | ${'close' in e ? e.close : ''} | ${e.message.replace(/\|/g, '\\|')} |`,
  );
  return [
    APPENDIX_START,
    '',
    '## Appendix: message types and error codes of this implementation',
    '',
    'What `protocol/` declares today, the contract above plus this project’s additions. Meanings of the',
    'error codes: [errors.md](errors.md); the HTTP API as OpenAPI: [openapi.json](openapi.json).',
    '',
    'Client → server frames (`MESSAGE_KINDS`, protocol/message-kinds.ts), with the lane that handles them:',
    '',
    '| message | lane |',
    '|---|---|',
    ...client,
    '',
    'Server → client frames (`ServerMessage`, protocol/messages.ts):',
    '',
    '| message |',
    '|---|',
    ...server,
    '',
    'Error codes (`ERRORS`, protocol/errors.ts):',
    '',
    '| code | HTTP status | close code | message |',
    '|---|---|---|---|',
    ...errors,
    '',
    APPENDIX_END,
  ].join('\n');
}

/** docs/protocol.md with its appendix as the code has it now. */
export function protocolWithAppendix(current: string): string {
  const start = current.indexOf(APPENDIX_START);
  const head = (start < 0 ? current : current.slice(0, start)).trimEnd();
  return `${head}\n\n${protocolAppendix()}\n`;
}

/** The OpenAPI document a node with every role serves, from a private redis-server. */
export async function servedOpenApi(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'hunt-docs-'));
  const redis = await startEmbeddedRedis({ dir });
  try {
    const node = await createNode({
      redisUrl: redis.url,
      port: 0,
      host: '127.0.0.1',
      gmKey: 'docs-key-0123456789',
      logger: createLogger('silent'),
      prefix: 'docs',
    });
    try {
      return formatOpenApi(await (await fetch(`http://127.0.0.1:${node.port}/api/openapi.json`)).json());
    } finally {
      await node.close();
    }
  } finally {
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatOpenApi(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const what = process.argv[2] ?? 'all';
  if (what === 'openapi' || what === 'all') {
    writeFileSync(OPENAPI_FILE, await servedOpenApi());
    console.log(`wrote ${OPENAPI_FILE}`);
  }
  if (what === 'protocol' || what === 'all') {
    writeFileSync(PROTOCOL_FILE, protocolWithAppendix(readFileSync(PROTOCOL_FILE, 'utf8')));
    console.log(`wrote the appendix of ${PROTOCOL_FILE}`);
  }
  process.exit(0);
}
