// Nest 12 packages (and a few of their dependencies) ship as ES modules only. Node 20 can
// require() them at run time, but Jest has its own module loader, so we let @swc/jest compile
// those packages to CommonJS alongside our TypeScript.
const esmOnly = [
  '@nestjs',
  'file-type',
  'uid',
  'load-esm',
  '@borewit',
  'token-types',
  'strtok3',
  'bs58check',
  'base-x',
  '@noble',
  'uint8array-extras',
  '@tokenizer',
  'content-disposition',
];
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];
const common = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testEnvironment: 'node',
};
module.exports = {
  // Real databases, brokers and child processes: a per-test timeout of minutes, not Jest's 5 s
  // (testTimeout is read from the root config, not from a project).
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/src/**/*.spec.ts',
        '<rootDir>/sim/**/*.spec.ts',
        '<rootDir>/scripts/**/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
