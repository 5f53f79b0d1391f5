// Lint makes the boundaries real: web ↛ server, staff ↔ portal, shared ↛ anything, process.env only in config.ts.
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] })

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'test-results/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/server/config.ts'],
    rules: { 'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/server/config.ts' }] },
  },
  { files: ['src/web/**'], rules: restrict([{ group: ['**/server/**'], message: 'The web app must not import server code' }]) },
  { files: ['src/web/portal/**'], rules: restrict([{ group: ['**/staff/**', '**/server/**'], message: 'The portal bundle must never contain staff or server code' }]) },
  { files: ['src/web/staff/**'], rules: restrict([{ group: ['**/portal/**', '**/server/**'], message: 'Staff and portal front ends never import each other' }]) },
  { files: ['src/shared/**'], rules: restrict([{ group: ['**/server/**', '**/web/**'], message: 'shared/ depends on nothing else' }]) },
  {
    files: ['src/server/**/*.routes.ts', 'src/server/portal/routes/**'],
    rules: restrict([{ group: ['**/*.queries.js', '**/db/database.js', 'kysely'], message: 'Routes call services; they never run SQL' }]),
  },
)
