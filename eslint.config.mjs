// Lint: typescript-eslint strict + type-checked rules, Prettier for formatting, and Nx module boundaries
// that keep the dependency graph one-way (libs never import the app or the tools).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const boundaries = (extraForLibs) => ({
  '@nx/enforce-module-boundaries': [
    'error',
    {
      enforceBuildableLibDependency: true,
      allow: [],
      depConstraints: [
        { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', ...extraForLibs] },
        { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing'] },
        { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:testing', 'type:tool'] },
        { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', ...extraForLibs] },
      ],
    },
  ],
});

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '.nx/**',
      '**/*.cjs',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  { plugins: { '@nx': nx } },
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      ...boundaries([]),
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        { selector: 'ExportAllDeclaration', message: 'List exports explicitly; no `export *`.' },
      ],
    },
  },
  {
    // Tests may use the test tools (the HA simulator, the influxd harness); published code may not.
    files: ['**/*.test.ts'],
    rules: {
      ...boundaries(['type:testing']),
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  prettier,
);
