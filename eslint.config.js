// @ts-check
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Platform SDKs: only src/platforms/** (and main.ts, http/) may use them, never src/core/**. */
const platformImports = [
  {
    group: ['discord.js', 'discord.js/*', '@discordjs/*'],
    message: 'src/core must stay platform-neutral: Discord code belongs in src/platforms/discord/.',
  },
  {
    group: ['@slack/*'],
    message: 'src/core must stay platform-neutral: Slack code belongs in src/platforms/slack/.',
  },
  {
    group: ['**/platforms/**', '**/http/**', '**/main.js'],
    message: 'src/core must not depend on adapters, HTTP receivers or the composition root.',
  },
];

/** The core defines ports for storage and logging; the implementations live in src/storage and src/log.ts. */
const infrastructureImports = [
  {
    group: ['keyv', '@keyv/*', 'ioredis', 'redis', 'bullmq', 'pino', '**/storage/**', '**/log.js'],
    message:
      'src/core defines ports: storage belongs in src/storage/, and the core is handed its logger.',
  },
];

/** The core does not know how it is talked to: the conversation layer sits above it. */
const conversationImports = [
  {
    group: ['**/conversation/**'],
    message: 'src/core must not depend on the conversation layer, which is built on it.',
  },
];

/** Node globals for the few plain JavaScript files (TypeScript checks its own). */
const nodeGlobals = Object.fromEntries(
  [
    'AbortController',
    'AbortSignal',
    'Buffer',
    'URL',
    'URLSearchParams',
    'clearInterval',
    'clearTimeout',
    'console',
    'fetch',
    'process',
    'queueMicrotask',
    'setInterval',
    'setTimeout',
    'structuredClone',
  ].map((name) => [name, /** @type {const} */ ('readonly')]),
);

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', 'coverage/', 'bench/results/', 'data/']),

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,

  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/consistent-type-exports': 'error',
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
    },
  },

  // The core never imports platform code (DESIGN.md, "Parts and where they live").
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...platformImports, ...conversationImports, ...infrastructureImports] },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: String.raw`ImportExpression[source.value=/^(discord\.js|@discordjs\/|@slack\/)/]`,
          message: 'src/core must stay platform-neutral: no dynamic import of platform SDKs.',
        },
      ],
    },
  },

  // The conversation layer holds every behaviour once, for every platform: it names none of them.
  {
    files: ['src/conversation/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: platformImports.map((pattern) => ({
            ...pattern,
            message: pattern.message.replace('src/core', 'src/conversation'),
          })),
        },
      ],
    },
  },

  // Tests: vitest's spies make unbound methods and await-less async fakes normal.
  {
    files: ['test/**'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },

  // Plain JavaScript (this file, scripts): no type information.
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: nodeGlobals },
  },
);
