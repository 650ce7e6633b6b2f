/**
 * The text normaliser of authored `text` puzzles (PROTOCOL.md, "Authored puzzles"): an answer
 * is correct when it equals an accepted one after both are normalised. No zod and no Node
 * imports, so the schema, the verifier and the browser pages share this one function.
 */

const MARKS = /\p{M}/gu;
/** anything that is not a letter, a digit or a space: punctuation, symbols, controls */
const NOT_WORD = /[^\p{L}\p{N}\s]/gu;
const SPACES = /\s+/gu;

function once(s: string): string {
  // upper then lower: a full case fold where JS has none (ß → SS → ss, ſ → S → s)
  const folded = s
    .normalize('NFKD')
    .replace(MARKS, '')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFKD')
    .replace(MARKS, '');
  return folded.replace(NOT_WORD, '').replace(SPACES, ' ').trim();
}

/**
 * Unicode NFKD, combining marks dropped, case folded, punctuation and symbols removed, runs of
 * spaces made one, ends trimmed. Idempotent: the result normalises to itself (a few characters
 * need a second pass, which this takes).
 */
export function normalizeAnswer(s: string): string {
  let out = once(s);
  for (let i = 0; i < 3; i++) {
    const again = once(out);
    if (again === out) return out;
    out = again;
  }
  return out;
}
