/**
 * Anagrams. A word is drawn from the shipped list (puzzles/words.ts) among those no other
 * listed word shares letters with; its letters are shuffled until they spell no word.
 * Difficulty: 5, 7 and 9 letters. Measure: letters.
 */
import type { Difficulty } from '../protocol/index.js';
import type { PuzzleKind } from './kind.js';
import { ALL_WORDS, WORDS_BY_LENGTH } from './words.js';

export interface AnagramPrompt {
  letters: string;
}
export type AnagramSolution = Record<string, never>;

const letterKey = (word: string): string => [...word].sort().join('');

/** How many listed words spell exactly these letters. */
export function wordsFrom(letters: string): string[] {
  const key = letterKey(letters.toUpperCase());
  return ALL_WORDS.filter((w) => letterKey(w) === key);
}

const LENGTH: Record<Difficulty, number> = { easy: 5, medium: 7, hard: 9 };

export const anagramKind: PuzzleKind<AnagramPrompt, AnagramSolution> = {
  type: 'anagram',
  generate(rng, difficulty) {
    const pool = (WORDS_BY_LENGTH[LENGTH[difficulty]] ?? []).filter((w) => wordsFrom(w).length === 1);
    const word = rng.pick(pool);
    let letters = word;
    for (let i = 0; i < 100 && (letters === word || letters.slice(0, 3) === word.slice(0, 3)); i++)
      letters = rng.shuffle([...word]).join('');
    return {
      prompt: { letters },
      answer: word,
      solution: {},
      hints: [
        `The word has ${word.length} letters and is something a treasure hunter could meet.`,
        `It starts with ${word[0]}.`,
        `It ends with ${word.at(-1)}.`,
      ],
      measure: word.length,
    };
  },
  cheapToVerify: true, // a comparison
  verify(submitted, stored) {
    return submitted.trim().toUpperCase() === stored.answer;
  },
};
