/**
 * The one reply shape of the hunt's scripts, read in one place. A script answers
 * `{ 'OK', ...values }` when it did its work, or `{ CODE, ...details }` when it refused, CODE
 * being a code of the error registry (protocol/errors.ts): the script speaks the contract's
 * words, and this file is where they enter TypeScript. A reply of another shape, or a code the
 * registry does not know, is a bug of the script (an Error naming it), never a HuntError.
 * (Scripts still on an older shape are listed in docs/architecture.md, "Script replies".)
 */
import { HuntError, isErrorCode, type ErrorCode } from '../protocol/index.js';

export type ScriptReply = { ok: true; values: unknown[] } | { ok: false; code: ErrorCode; details: unknown[] };

/** Reads `{ 'OK' | code, ... }`; an unknown code or another shape throws, naming the script. */
export function readReply(script: string, reply: unknown): ScriptReply {
  if (!Array.isArray(reply) || typeof reply[0] !== 'string')
    throw new Error(`script ${script} replied ${JSON.stringify(reply)}, not { 'OK' | code, ... }`);
  const [head, ...rest] = reply;
  if (head === 'OK') return { ok: true, values: rest };
  if (!isErrorCode(head)) throw new Error(`script ${script} replied the unknown code ${JSON.stringify(head)}`);
  return { ok: false, code: head, details: rest };
}

/** The values of an `OK` reply; a refusal becomes the HuntError of its code. */
export function okValues(script: string, reply: unknown): unknown[] {
  const read = readReply(script, reply);
  if (!read.ok) throw new HuntError(read.code);
  return read.values;
}

/** The values of an `OK` reply, which must be `n` integers; a refusal becomes the HuntError of its code. */
export function okIntegers(script: string, reply: unknown, n: number): number[] {
  const values = okValues(script, reply);
  if (values.length !== n || !values.every((v): v is number => typeof v === 'number' && Number.isInteger(v)))
    throw new Error(`script ${script} replied ${JSON.stringify(reply)}, not 'OK' and ${n} integers`);
  return values;
}

/** The single integer of an `OK` reply. */
export function okInteger(script: string, reply: unknown): number {
  const [value = 0] = okIntegers(script, reply, 1);
  return value;
}
