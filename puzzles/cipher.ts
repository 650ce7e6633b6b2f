/**
 * Cipher puzzles. easy: Caesar shift of a short phrase; medium: Vigenère with a short
 * keyword, key length given; hard: simple substitution of a long text (letter frequencies
 * make it solvable by hand). Word breaks and punctuation are kept, as a person needs them.
 * Measure: method rank × 100 + letters of text.
 */
import type { Difficulty } from '../protocol/index.js';
import type { PuzzleKind } from './kind.js';
import { LONG_PHRASES, SHORT_PHRASES } from './phrases.js';
import type { Rng } from './prng.js';

export type CipherMethod = 'caesar' | 'vigenere' | 'substitution';
export interface CipherPrompt {
  method: CipherMethod;
  ciphertext: string;
  /** vigenère only */
  keyLength?: number;
}
export interface CipherSolution {
  method: CipherMethod;
  key: string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const KEYWORDS = ['MAP', 'GOLD', 'CLUE', 'RUBY', 'ISLE', 'CHEST', 'PIRATE', 'COMPASS'];

/** Case, spaces and punctuation do not count in an answer. */
export function normalizeText(text: string): string {
  return text.toUpperCase().replace(/[^A-Z]/g, '');
}

function shiftLetter(ch: string, by: number): string {
  const i = ALPHABET.indexOf(ch);
  return i < 0 ? ch : ALPHABET[(((i + by) % 26) + 26) % 26]!;
}

export function caesar(text: string, shift: number): string {
  return [...text.toUpperCase()].map((ch) => shiftLetter(ch, shift)).join('');
}

export function vigenere(text: string, key: string, sign: 1 | -1 = 1): string {
  let k = 0;
  return [...text.toUpperCase()]
    .map((ch) => {
      if (!ALPHABET.includes(ch)) return ch;
      const by = ALPHABET.indexOf(key[k++ % key.length]!);
      return shiftLetter(ch, sign * by);
    })
    .join('');
}

export function substitute(text: string, key: string): string {
  return [...text.toUpperCase()]
    .map((ch) => {
      const i = ALPHABET.indexOf(ch);
      return i < 0 ? ch : key[i]!;
    })
    .join('');
}

/** A random derangement-ish alphabet: no letter maps to itself. */
function substitutionKey(rng: Rng): string {
  for (;;) {
    const key = rng.shuffle([...ALPHABET]);
    if (key.every((ch, i) => ch !== ALPHABET[i])) return key.join('');
  }
}

function mostFrequent(text: string, count: number): string[] {
  const freq = new Map<string, number>();
  for (const ch of normalizeText(text)) freq.set(ch, (freq.get(ch) ?? 0) + 1);
  return [...freq]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, count)
    .map(([ch]) => ch);
}

const METHOD_BY_DIFFICULTY: Record<Difficulty, CipherMethod> = {
  easy: 'caesar',
  medium: 'vigenere',
  hard: 'substitution',
};
const METHOD_RANK: Record<CipherMethod, number> = { caesar: 1, vigenere: 2, substitution: 3 };

export const cipherKind: PuzzleKind<CipherPrompt, CipherSolution> = {
  type: 'cipher',
  generate(rng, difficulty) {
    const method = METHOD_BY_DIFFICULTY[difficulty];
    const plain = (method === 'substitution' ? rng.pick(LONG_PHRASES) : rng.pick(SHORT_PHRASES)).toUpperCase();
    const measure = METHOD_RANK[method] * 100 + normalizeText(plain).length;
    if (method === 'caesar') {
      const shift = rng.int(1, 25);
      return {
        prompt: { method, ciphertext: caesar(plain, shift) },
        answer: plain,
        solution: { method, key: String(shift) },
        hints: [
          'Every letter is moved the same number of places along the alphabet.',
          `The shift is ${shift < 13 ? 'less than 13' : 'at least 13'}.`,
          `Each letter was moved ${shift} places forward.`,
        ],
        measure,
      };
    }
    if (method === 'vigenere') {
      const key = rng.pick(KEYWORDS);
      return {
        prompt: { method, ciphertext: vigenere(plain, key), keyLength: key.length },
        answer: plain,
        solution: { method, key },
        hints: [
          `The key is a ${key.length}-letter word about treasure hunting; letters cycle through it.`,
          `The key starts with ${key[0]}.`,
          `The key is ${key}.`,
        ],
        measure,
      };
    }
    const key = substitutionKey(rng);
    const cipherOf = (ch: string): string => key[ALPHABET.indexOf(ch)]!;
    const top = mostFrequent(plain, 6);
    return {
      prompt: { method, ciphertext: substitute(plain, key) },
      answer: plain,
      solution: { method, key },
      hints: [
        'Each letter always stands for the same other letter. The most common letter in English is E.',
        `In the ciphertext ${top
          .slice(0, 2)
          .map((ch) => `${cipherOf(ch)} stands for ${ch}`)
          .join(' and ')}.`,
        `Also ${top
          .slice(2, 6)
          .map((ch) => `${cipherOf(ch)} stands for ${ch}`)
          .join(', ')}.`,
      ],
      measure,
    };
  },
  cheapToVerify: true, // a comparison
  verify(submitted, stored) {
    return normalizeText(submitted) === normalizeText(stored.answer);
  },
};
