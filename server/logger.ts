import pino, { type Logger } from 'pino';

const REDACT = ['token', 'gmKey', 'authorization', 'req.headers.authorization', '*.token', '*.gmKey'];

/**
 * The root logger: JSON lines with secrets redacted; pretty (pino-pretty) only when
 * `pretty` is set, which the CLI does when stdout is a terminal.
 */
export function createLogger(level: string, options: { pretty?: boolean; destination?: pino.DestinationStream } = {}): Logger {
  const base = { level, base: { pid: process.pid }, redact: { paths: REDACT, censor: '[redacted]' } };
  if (options.pretty) return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  return pino(base, options.destination);
}
