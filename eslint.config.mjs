// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const noFunctionsRuntime = {
  name: '@azure/functions',
  message: 'shared/ must not depend on the Functions runtime.',
};
/** The composition root (shared/app) is imported by entry files only: functions/, emulators/, tests/. */
const noCompositionRoot = {
  group: ['**/app/*', '**/shared/app/*'],
  message:
    'Only entry files (functions/, emulators/, tests/) import the composition root; receive dependencies as arguments instead.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.local/**', 'coverage/**'] },
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
    // Functions runtime library. And nothing below the composition root reaches back up to it: the
    // domain and the orchestrations receive their dependencies (docs/architecture.md).
    files: ['shared/**/*.ts'],
    ignores: ['shared/app/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noFunctionsRuntime], patterns: [noCompositionRoot] }],
    },
  },
  {
    // One clock: the domain takes "now" from the Clock the composition root hands it. Exempt: the
    // clock itself and the Graph/batch pacing, which measures elapsed wall time between its own timers.
    files: ['shared/**/*.ts'],
    ignores: [
      'shared/clock.ts',
      'shared/graph/client/**',
      'shared/inventory/batch-queue.ts',
      'shared/inventory/graph-budget.ts',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Take the time from the injected Clock.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Take the time from the injected Clock.',
        },
      ],
    },
  },
  {
    files: ['shared/app/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noFunctionsRuntime] }] },
  },
  {
    files: ['orchestrations/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noCompositionRoot] }] },
  },
  {
    // Orchestrators are replayed: they must be deterministic and free of I/O. The rule covers every file
    // an orchestrator runs: the orchestrators, the lifecycle frame they all run in, and the contracts
    // they import. From shared/ they take types only (values would bring the domain's I/O and clocks
    // into replay), except the dependency-free orchestrator names.
    files: [
      'orchestrations/**/orchestrator.ts',
      'orchestrations/runs/lifecycle.ts',
      'orchestrations/**/contract.ts',
      'tests/fixtures/**/orchestrator*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noCompositionRoot,
            {
              regex: '(^|/)shared/(?!operations/orchestrators$)',
              allowTypeImports: true,
              message:
                'Orchestration code imports only types from shared/ (and ORCHESTRATORS): pass values in the input or read them in an activity.',
            },
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
