// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.local/**', 'coverage/**', 'examples/api-types.ts'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // Domain code stays framework-free: only functions/, orchestrations/ and the local host may import the
    // Functions runtime library.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@azure/functions', message: 'shared/ must not depend on the Functions runtime.' }],
        },
      ],
    },
  },
  {
    // Orchestrators are replayed: they must be deterministic and free of I/O.
    files: ['orchestrations/**/orchestrator.ts', 'tests/fixtures/**/orchestrator*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'http', 'https', 'crypto', 'child_process', 'net'],
              message: 'No I/O in orchestrators.',
            },
            {
              group: ['@azure/cosmos', '@azure/identity', '@azure/service-bus', '@microsoft/*'],
              message: 'No SDKs in orchestrators.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'fetch', 'setTimeout', 'setInterval'],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use context.df.currentUtcDateTime.' },
        { object: 'Math', property: 'random', message: 'Use context.df.newGuid.' },
        { object: 'process', property: 'env', message: 'Pass settings in the orchestration input.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Use context.df.currentUtcDateTime.',
        },
      ],
    },
  },
);
