import path from 'node:path';
import process from 'node:process';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Plugins never import another plugin's files, and the app's own code imports no plugin: at run
 * time they meet through the event bus or the typed accessor `getService` (docs/architecture.md,
 * "How the parts meet"). The accessor's type map may name plugin services with `import type`,
 * which leaves nothing in the build.
 */
const pluginBoundaries = {
  meta: { type: 'problem', schema: [], messages: { crossing: '{{from}} may not import {{target}}: use getService() or the event bus.' } },
  create(context) {
    const root = context.cwd ?? process.cwd();
    const file = path.relative(root, context.filename ?? context.getFilename());
    const [top, owner] = file.split(path.sep);
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path.relative(root, path.resolve(path.dirname(path.join(root, file)), spec)).split(path.sep);
      if (target[0] !== 'plugins' || target.length < 2) return;
      const typeOnly = node.importKind === 'type' || node.exportKind === 'type';
      if (top === 'plugins' && target[1] !== owner) context.report({ node, messageId: 'crossing', data: { from: `plugins/${owner}`, target: `plugins/${target[1]}` } });
      if (top === 'src' && !typeOnly) context.report({ node, messageId: 'crossing', data: { from: 'src', target: `plugins/${target[1]}` } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', '.tmp/', '.cache/', '.strapi/', 'types/generated/', 'public/', 'test-output/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Strapi's APIs are loosely typed; `any` at those seams is deliberate.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly', setTimeout: 'readonly', URL: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['tests/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx', 'plugins/**/*.ts', 'plugins/**/*.tsx'],
    plugins: { grm: { rules: { 'plugin-boundaries': pluginBoundaries } } },
    rules: { 'grm/plugin-boundaries': 'error' },
  },
  {
    // The case store is the only publisher of case events (docs/architecture.md): everyone else
    // decides and asks it, so every change of a case is written and announced in one place.
    files: ['src/**/*.ts', 'plugins/**/*.ts'],
    ignores: ['plugins/cases/server/src/services/store.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/domain/events'], importNames: ['publish', 'publishMany'], message: 'Case events are published by the case store (plugins/cases/server/src/services/store.ts); ask it.' }],
      }],
    },
  },
  {
    // Strapi's global instance is how app code reaches services outside a factory.
    files: ['src/**/*.ts'],
    languageOptions: { globals: { strapi: 'readonly' } },
  }
);
