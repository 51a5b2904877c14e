// ESLint flat config: typescript-eslint's recommended rules plus the few this codebase leans on.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'admin-ui/dist/**', 'plugins/*/template/**', 'bench/out/**', 'core/sdk/types/**', 'core/sdk/index.js', 'core/sdk/testing.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setImmediate: 'readonly', URL: 'readonly', fetch: 'readonly', NodeJS: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='only'][callee.object.name=/^(it|describe)$/]", message: 'no focused tests' }],
    },
  },
  {
    // The kernel knows no plugin and no tenant management: only the composition root wires them.
    files: ['core/**/*.ts'],
    ignores: ['core/server.ts', 'core/cli.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/tenants/*', '**/plugins/*/*', '../../plugins/**'], message: 'core/ must not import tenants/ or plugins/ (only core/server.ts and core/cli.ts assemble them)' }] }],
    },
  },
  {
    // UI-6: the consoles' words go through i18next (t() or a page's own text per language);
    // a raw word in JSX, or a literal label, would show English whatever the language.
    files: ['admin-ui/src/**/*.tsx', 'plugins/*/admin/**/*.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'JSXText[value=/[A-Za-z\\u3040-\\u30ff\\u3400-\\u9fff]/]', message: 'console text goes through t() (UI-6)' },
        { selector: 'JSXAttribute[name.name=/^(label|title|placeholder|aria-label|description|alt)$/] > Literal[value=/[A-Za-z\\u3040-\\u30ff\\u3400-\\u9fff]/]', message: 'console labels go through t() (UI-6)' },
      ],
    },
  },
  {
    // SQL text is constant; values go in bindings (`?`, identifiers `??`). MariaDB connections run
    // with multipleStatements on (core/db/batching.ts), so a value pasted into SQL could stack
    // statements. A template with ${...} in a raw SQL call is refused unless every part is a
    // constant, said on the line with eslint-disable-next-line and why.
    files: ['core/**/*.ts', 'plugins/**/*.ts', 'tenants/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='only'][callee.object.name=/^(it|describe)$/]", message: 'no focused tests' },
        {
          selector: 'CallExpression[callee.property.name=/^(raw|whereRaw|orWhereRaw|havingRaw|orHavingRaw|orderByRaw|groupByRaw|joinRaw|fromRaw|selectRaw)$/] > TemplateLiteral[expressions.length>0]',
          message: 'SQL text built with ${...}: put values in bindings (?) and identifiers in ?? (multipleStatements is on: core/db/batching.ts); if every part is a constant, say so with eslint-disable-next-line and why',
        },
      ],
    },
  },
  {
    // A plugin imports nothing from core but the SDK.
    files: ['plugins/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/core/*', '**/core/**'], message: 'plugins import the SDK by name: @bazaar/sdk and @bazaar/sdk/testing' }] }],
    },
  },
);
