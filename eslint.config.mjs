// Lint: typescript-eslint's recommended rules, plus the architecture's one-way arrows:
// only src/extension may import `vscode`, and nothing outside src/trainer imports the trainer;
// and no synchronous tensor reads in the trainer (GPU backends cannot do them).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['src/trainer/**', 'src/shared/**', 'webview/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'Only src/extension may import vscode.' }] },
      ],
    },
  },
  {
    // GPU backends (webgpu) have no synchronous read in Node: the trainer reads with await, and
    // so does the conformance suite, which runs every case on webgpu too.
    files: ['src/trainer/**', 'src/shared/**', 'test/conformance/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['dataSync', 'arraySync', 'bufferSync'].map((property) => ({
          property,
          message: 'GPU backends need async reads: use await t.data() (src/trainer/engine/read.ts)',
        })),
      ],
    },
  },
  {
    files: ['src/shared/**', 'webview/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Only src/extension may import vscode.' }],
          // ...except the TensorFlow-free family registry (src/trainer/models/infos.ts), which
          // the config reads for its family names, defaults and checks.
          patterns: [
            {
              regex: '(^|/)(trainer|extension)/(?!models/infos$)',
              message: 'shared and webview code must not depend on the trainer or the host.',
            },
          ],
        },
      ],
    },
  },
);
