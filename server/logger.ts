import pino, { type Logger } from 'pino';

/** Fields that may hold a secret, at the top of a log line or one level down: they are logged as `[redacted]`. */
const SECRET_FIELDS = [
  'token',
  'gmKey',
  'key',
  'passcode',
  'password',
  'authorization',
  'cookie',
  'redisUrl',
  'secret',
];
const REDACT = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

/**
 * The root logger: JSON lines with secrets redacted; pretty (pino-pretty) only when
 * `pretty` is set, which the CLI does when stdout is a terminal.
 */
export function createLogger(
  level: string,
  options: { pretty?: boolean; destination?: pino.DestinationStream } = {},
): Logger {
  const base = { level, base: { pid: process.pid }, redact: { paths: REDACT, censor: '[redacted]' } };
  if (options.pretty) return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  return pino(base, options.destination);
}
