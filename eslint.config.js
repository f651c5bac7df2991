// ESLint (flat config): typescript-eslint's recommended rules, the layout's import boundaries,
// no import cycles, and the formatting today's code follows (`npx eslint --fix .` applies it).
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import tseslint from 'typescript-eslint';
import noImportCycles from './scripts/eslint/no-import-cycles.js';

/** An import boundary: files matching `files` may not import from `rooms`. */
function boundary(files, rooms, why) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', {
        patterns: rooms.map((room) => ({ group: [`**/${room}/**`], message: `${why}` })),
      }],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.tools/', 'native/', 'charts/', 'crds/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@stylistic': stylistic, local: { rules: { 'no-import-cycles': noImportCycles } } },
    rules: {
      'local/no-import-cycles': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
      // A closure may read a variable assigned after it is made (the queue and the reconciler
      // refer to each other).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', { args: 'all', argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true, caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@stylistic/semi': ['error', 'always'],
      '@stylistic/quotes': ['error', 'single', { avoidEscape: true }],
      '@stylistic/indent': ['error', 2, { SwitchCase: 1, flatTernaryExpressions: true, ignoredNodes: ['TemplateLiteral *'] }],
      '@stylistic/comma-dangle': ['error', 'always-multiline'],
      '@stylistic/eol-last': 'error',
      '@stylistic/no-trailing-spaces': 'error',
      '@stylistic/object-curly-spacing': ['error', 'always'],
      '@stylistic/brace-style': ['error', '1tbs', { allowSingleLine: true }],
      '@stylistic/keyword-spacing': 'error',
      '@stylistic/comma-spacing': 'error',
      '@stylistic/space-infix-ops': 'error',
      '@stylistic/arrow-parens': ['error', 'always'],
      '@stylistic/max-len': ['error', { code: 200, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreComments: false }],
    },
  },
  boundary(['common/**'], ['plugin', 'operator', 'apiserver'], 'common/ is below every other room: it imports nothing of plugin/, operator/ or apiserver/'),
  boundary(['plugin/**'], ['operator', 'apiserver'], 'the plugin runs on workstations: it imports nothing of operator/ or apiserver/'),
  boundary(['apiserver/**'], ['operator', 'plugin'], 'the API server imports nothing of the agent (operator/) or the plugin'),
  boundary(['operator/**'], ['plugin'], 'the agent imports nothing of the plugin'),
  {
    files: ['operator/**'],
    ignores: ['operator/src/standalone/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/plugin/**'], message: 'the agent imports nothing of the plugin' },
          { group: ['**/apiserver/**'], message: 'only standalone mode embeds the API server (the agent image ships without it)' },
        ],
      }],
    },
  },
);
