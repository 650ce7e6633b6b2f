// vitest: redis-free (it never touches the run's Redis, so npm run test:cluster leaves it out)
/** The error registry and its documentation agree. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS, HuntError } from '../protocol/index.js';
import { ROOT } from './helpers.js';

describe('error registry', () => {
  const doc = readFileSync(`${ROOT}docs/errors.md`, 'utf8');

  it('documents every code with its HTTP status and close code', () => {
    for (const [code, spec] of Object.entries(ERRORS)) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
      expect(row, `docs/errors.md lacks ${code}`).toBeDefined();
      const cells = row!.split('|').map((c) => c.trim());
      expect(Number(cells[2]), `${code} status`).toBe(spec.status);
      if ('close' in spec) expect(Number(cells[3]), `${code} close`).toBe(spec.close);
    }
  });

  it('lists no code the registry lacks', () => {
    const documented = [...doc.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(ERRORS).sort());
  });

  it('renders the contract error body', () => {
    const err = new HuntError('HUNT_NOT_FOUND', undefined, { id: 'x' });
    expect(err.status).toBe(404);
    expect(err.toBody()).toEqual({
      error: { code: 'HUNT_NOT_FOUND', message: ERRORS.HUNT_NOT_FOUND.message, details: { id: 'x' } },
    });
  });
});
