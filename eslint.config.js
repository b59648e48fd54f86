// Lint as part of `npm test`: import cycles, the layer rules (which context may import which),
// and no floating promises in the worker. Formatting is not linted.
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';

/** A path group no file of a layer may import from (type imports included: the contracts live in src/shared). */
const forbid = (group, message) => ({ group, message });

const TEST_DOUBLES = forbid(['**/testing/**', '**/scripted-transport*', '**/fake-clock*', '**/fake-portal*'], 'Test doubles stay out of the shipped code.');
const CONTEXTS = ['**/background/**', '**/popup/**', '**/options/**', '**/content/**'];

function layer(files, patterns) {
  return { files, rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [...patterns, TEST_DOUBLES] }] } };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'e2e/**', 'scripts/**', '**/*.config.*'] },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: { 'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })] },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-duplicates': 'error',
    },
  },
  // The pure core imports no browser API and no context.
  layer(['src/core/**'], [forbid(['webextension-polyfill', '**/shared/**', ...CONTEXTS], 'src/core is pure: no browser API, no context.')]),
  // The contracts below every context.
  layer(['src/shared/**'], [forbid(CONTEXTS, 'src/shared sits below every context: it imports from none.')]),
  // The pages talk to the worker by messages only, and carry no page selectors.
  layer(['src/popup/**', 'src/options/**'], [forbid(['**/background/**', '**/content/**'], 'Pages reach the worker by messages (src/shared/messages.ts), never by import.')]),
  // The worker gets what it needs from a page through the content script's typed answer.
  // (A script's built file name, `?iife`, is no code: the worker injects it with scripting.executeScript.)
  layer(['src/background/**'], [forbid(['**/content/**', '!**/content/*.iife.ts?iife', '**/popup/**', '**/options/**'], 'The worker bundle carries no page code or selectors: ask the content script (src/shared/messages.ts).')]),
  layer(['src/content/**'], [forbid(['**/background/**', '**/popup/**', '**/options/**'], 'The content script talks to the worker by messages only.')]),
  // Tests may use the doubles.
  {
    files: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'src/**/testing/**', 'src/core/rest/scripted-transport.ts', 'src/core/throttle/fake-clock.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  // A promise nobody awaits in the worker is an unhandled rejection waiting to happen.
  {
    files: ['src/background/**/*.ts', 'src/core/**/*.ts', 'src/shared/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
);
