// Lint, including the folder rules of docs/architecture.md: who may import whom.
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const nodeBuiltins = `^(node:.*|(${builtinModules.map(escape).join('|')})(/.*)?)$`;

const forbid = (message, regex) => ({ regex, message, caseSensitive: true });
/** A relative import that enters the named top-level folder. */
const intoFolder = (folder) => `^(\\.{1,2}/)+(.*/)?${folder}(/|$)`;

const noNode = forbid('runs in the page or anywhere: no Node.js built-ins.', nodeBuiltins);
const noElectron = forbid('must not import electron (only main/ may).', '^electron(/|$)');
const noApp = forbid('reaches the engine only through the contract in shared/.', intoFolder('app'));
const noMain = forbid('must not import the Electron main process (main/).', intoFolder('main'));
const noRenderer = forbid('must not import the console page (renderer/).', intoFolder('renderer'));
const onlyPure = forbid('shared/ may import only pure libraries (zod) and itself.', '^(?!zod(/|$)|\\.{1,2}/)');

const folderRule = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'e2e/artifacts/**', 'test-results/**', 'bench/data/**', 'test/lint-fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  { files: ['shared/**'], rules: folderRule(noNode, noElectron, noApp, noMain, noRenderer, onlyPure) },
  { files: ['app/**'], rules: folderRule(noElectron, noMain, noRenderer) },
  { files: ['main/**'], rules: folderRule(noApp, noRenderer) },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: folderRule(noNode, noElectron, noApp, noMain, forbid('runs in the page: no server libraries.', '^ws$')),
  },
);
