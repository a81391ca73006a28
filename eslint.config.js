// Flat config: typescript-eslint's type-aware recommended rules over src, test, seeds and bench.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const offlineLaneUsers =
  'Only src/db/connection.ts (and tests) may use the offline MongoDB lane; app code gets its database from the connection module.';
const offlineLaneEntry = "Use the offline MongoDB lane through its entry, 'src/db/offline/index.js'.";
const offlineLaneAlone = 'The offline MongoDB lane is a library: it must not import app code.';
/** `await import('…offline…')`, which no-restricted-imports does not see (esquery regexes take no '/'). */
const offlineDynamicImport = 'ImportExpression[source.value=/offline/]';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'coverage/',
      'data/',
      'node_modules/',
      'public/vendor/',
      'scratch/',
      '.scratch*/',
      'test-results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // chai's expect(...).to.be.true style reads as an unused expression.
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  // The offline MongoDB lane is a library inside the project (docs/offline-lane.md), fenced in
  // both directions. Outside it, only src/db/connection.ts and tests may use it, and only through
  // its entry, src/db/offline/index.ts; the lane's own unit tests (test/unit/db/offline/) test its
  // modules directly. Inside it, nothing imports app code.
  {
    files: ['src/**/*.ts', 'seeds/**/*.ts'],
    ignores: ['src/db/offline/**', 'src/db/connection.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/db/offline', '**/db/offline/**'], message: offlineLaneUsers }] },
      ],
      'no-restricted-syntax': ['error', { selector: offlineDynamicImport, message: offlineLaneUsers }],
    },
  },
  {
    files: ['src/db/connection.ts', 'test/**/*.ts'],
    ignores: ['test/unit/db/offline/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/offline/*', '!**/offline/index.js', '**/offline/*/**'],
              message: offlineLaneEntry,
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: `${offlineDynamicImport}:not([source.value=/offline.index[.]js$/])`,
          message: offlineLaneEntry,
        },
      ],
    },
  },
  {
    files: ['src/db/offline/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../*'], message: offlineLaneAlone }] }],
    },
  },
  {
    files: ['src/db/offline/*/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../../*'], message: offlineLaneAlone }] }],
    },
  },
  { files: ['*.js', '.ci/**'], extends: [tseslint.configs.disableTypeChecked] },
);
