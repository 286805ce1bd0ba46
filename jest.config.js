// Three tiers: `unit` (pure logic, no services, fast), `medium` (stores and use cases against a real Postgres, no
// Kafka; beside the code they test) and `e2e` (real Kafka + Postgres, the whole system), run by scripts/test.sh.
const moduleNameMapper = {
  '^@scimflow/access(/(.*))?$': '<rootDir>/libs/access/src$1',
  '^@scimflow/webhooks(/(.*))?$': '<rootDir>/libs/webhooks/src$1',
  '^@scimflow/replay(/(.*))?$': '<rootDir>/libs/replay/src$1',
  '^@scimflow/reconciliation(/(.*))?$': '<rootDir>/libs/reconciliation/src$1',
  '^@scimflow/(scim|contracts|messaging|persistence|config|provisioning|observability|platform)(/(.*))?$': '<rootDir>/libs/$1/src$2',
};
// Transpile only (swc): `npm run lint:types` type-checks. Legacy decorators with metadata, as tsc emits them, for Nest DI.
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
        target: 'es2022',
        keepClassNames: true,
      },
    },
  ],
};

module.exports = {
  // a worker per core: jest's default (cores - 1) is one worker on 2 cores, though its parent process idles while tests run
  maxWorkers: '100%',
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      // test/conformance: the corpus loader and matcher are pure and unit-tested; its replay is the e2e spec beside them
      roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/bench', '<rootDir>/packages', '<rootDir>/test/conformance'],
      testMatch: ['**/*.spec.ts'],
      moduleFileExtensions: ['ts', 'js', 'json'],
      moduleNameMapper,
      transform,
    },
    {
      displayName: 'medium',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/libs', '<rootDir>/apps'],
      testMatch: ['**/*.medium-spec.ts'],
      moduleFileExtensions: ['ts', 'js', 'json'],
      moduleNameMapper,
      transform,
      globalSetup: '<rootDir>/test/support/medium/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/medium/global-teardown.ts',
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      moduleFileExtensions: ['ts', 'js', 'json'],
      moduleNameMapper,
      transform,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/timeouts.ts'],
    },
  ],
};
