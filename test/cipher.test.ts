// vitest: redis-free (it never touches the run's Redis, so npm run test:cluster leaves it out)
/** Cipher puzzles over many seeds: deterministic, solvable by their own key, no leak, harder as difficulty rises. */
import { describe, expect, it } from 'vitest';
import { DIFFICULTIES } from '../protocol/index.js';
import {
  caesar,
  cipherKind,
  normalizeText,
  substitute,
  vigenere,
  type CipherPrompt,
  type CipherSolution,
} from '../puzzles/cipher.js';
import { Rng } from '../puzzles/prng.js';

const SEEDS = Array.from({ length: 60 }, (_, i) => `seed-${i}`);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function decrypt(prompt: CipherPrompt, solution: CipherSolution): string {
  if (solution.method === 'caesar') return caesar(prompt.ciphertext, -Number(solution.key));
  if (solution.method === 'vigenere') return vigenere(prompt.ciphertext, solution.key, -1);
  const inverse = [...ALPHABET].map((_, i) => ALPHABET[solution.key.indexOf(ALPHABET[i] as string)]).join('');
  return substitute(prompt.ciphertext, inverse);
}

describe('cipher puzzles', () => {
  for (const difficulty of DIFFICULTIES) {
    it(`${difficulty}: the key decrypts the prompt to the answer, the verifier accepts it and rejects one-letter changes`, () => {
      for (const seed of SEEDS) {
        const made = cipherKind.generate(new Rng(seed), difficulty);
        expect(normalizeText(decrypt(made.prompt, made.solution))).toBe(normalizeText(made.answer));
        const stored = { answer: made.answer, solution: made.solution };
        expect(cipherKind.verify(made.answer, stored)).toBe(true);
        expect(cipherKind.verify(made.answer.toLowerCase().replace(/ /g, ''), stored)).toBe(true);
        const letters = normalizeText(made.answer);
        for (let i = 0; i < letters.length; i += 7) {
          const mutated = letters.slice(0, i) + (letters[i] === 'A' ? 'B' : 'A') + letters.slice(i + 1);
          expect(cipherKind.verify(mutated, stored)).toBe(false);
        }
        expect(cipherKind.verify('', stored)).toBe(false);
      }
    });

    it(`${difficulty}: the prompt and the hints hold no whole answer`, () => {
      for (const seed of SEEDS) {
        const made = cipherKind.generate(new Rng(seed), difficulty);
        const answer = normalizeText(made.answer);
        expect(normalizeText(JSON.stringify(made.prompt))).not.toContain(answer);
        for (const hint of made.hints) expect(normalizeText(hint)).not.toContain(answer);
        // no plaintext word of five letters or more shows in the ciphertext
        for (const word of made.answer.split(/\s+/).filter((w) => w.length >= 5))
          expect(made.prompt.ciphertext.split(/\s+/)).not.toContain(word);
      }
    });
  }

  it('gives the same puzzle for the same seed and different ones for different seeds', () => {
    const a = cipherKind.generate(new Rng('same'), 'hard');
    const b = cipherKind.generate(new Rng('same'), 'hard');
    expect(b).toEqual(a);
    const others = new Set(SEEDS.map((s) => cipherKind.generate(new Rng(s), 'hard').prompt.ciphertext));
    expect(others.size).toBeGreaterThan(SEEDS.length / 2);
  });

  it('has a difficulty measure that rises from easy to hard', () => {
    const mean = (d: (typeof DIFFICULTIES)[number]): number =>
      SEEDS.reduce((sum, s) => sum + cipherKind.generate(new Rng(s), d).measure, 0) / SEEDS.length;
    expect(mean('easy')).toBeLessThan(mean('medium'));
    expect(mean('medium')).toBeLessThan(mean('hard'));
  });
});
