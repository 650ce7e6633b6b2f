// Flat config: typescript-eslint's recommended rules over the whole tree, a few turned off
// where they fight the codebase's deliberate style (each says why). Formatting is prettier's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.data/',
      '.cache/',
      'test-artifacts/',
      'bench-results/',
      'client/pages/vendor/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        // Node.js and the browser pages share the tree; tsc checks which globals each may use
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
      },
    },
    rules: {
      // tsc (strict, noUnusedLocals where set) knows the globals and unused names better; `_name` marks a deliberate skip
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          caughtErrors: 'none',
        },
      ],
      // `a && b()` and `cond ? f() : g()` as statements are used on purpose in hot paths and callbacks
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      // empty catch blocks carry a comment saying why the error is dropped (a socket gone, a best-effort close)
      'no-empty': ['error', { allowEmptyCatch: true }],
      // the frame readers compare raw bytes; control characters in those regexes are the point
      'no-control-regex': 'off',
      // parts that call each other (a sink handed to the fan-out before the gateway it calls
      // exists, a signal handler installed before its body) are declared with `let` first
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // TypeScript's definite-assignment analysis wants the initial values this rule calls
      // useless (a value set in a try and read after it, a result set in every branch of a loop)
      'no-useless-assignment': 'off',
    },
  },
  {
    // bin/ holds plain Node.js launchers
    files: ['bin/**/*.js', 'scripts/**/*.js', '*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
