// Lint for the whole repo: typescript-eslint's recommended rules (Prettier owns formatting), and the layers of the
// code as import rules, so that a machine keeps them: domain libs import neither Nest nor TypeORM nor drivers, each
// lib imports only the libs below it (LIB_DEPENDENCIES), libs never import apps, an app imports libs and not another
// app.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Plain TypeScript: decisions, formats and protocols, testable without any service. */
const DOMAIN_LIBS = ['scim', 'access', 'webhooks', 'contracts', 'provisioning'];
/** What each lib may import of the others; anything else is an upward or sideways import. */
const LIB_DEPENDENCIES = {
  scim: [],
  contracts: ['scim'],
  access: ['contracts', 'scim'],
  webhooks: ['contracts', 'scim'],
  provisioning: ['contracts', 'scim'],
  observability: [],
  config: ['access', 'contracts'],
  platform: ['config', 'observability'],
  messaging: ['config', 'contracts', 'observability', 'scim'],
  persistence: ['access', 'config', 'contracts', 'observability', 'provisioning', 'scim', 'webhooks'],
  replay: ['contracts', 'messaging', 'persistence', 'webhooks'],
  reconciliation: ['config', 'contracts', 'observability', 'persistence', 'provisioning', 'scim'],
};
const LIBS = Object.keys(LIB_DEPENDENCIES);
const APPS = ['ingress', 'reconciler', 'notifier', 'scimctl', 'console'];
const INFRASTRUCTURE = ['@nestjs/*', 'typeorm', 'pg', 'kafkajs', 'nestjs-pino', 'prom-client', '@opentelemetry/*'];

const noApps = { group: ['**/apps/**', ...APPS.map((a) => `**/${a}/src/**`)], message: 'libs never import apps: move what is shared into a lib' };
const restricted = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

const libLayers = LIBS.map((lib) => {
  const forbidden = LIBS.filter((other) => other !== lib && !LIB_DEPENDENCIES[lib].includes(other));
  const patterns = [noApps];
  if (forbidden.length)
    patterns.push({
      group: forbidden.flatMap((other) => [`@scimflow/${other}`, `@scimflow/${other}/*`, `**/libs/${other}/**`, `../../${other}/**`]),
      message: `libs/${lib} may import only ${LIB_DEPENDENCIES[lib].join(', ') || 'no other lib'} (see LIB_DEPENDENCIES in eslint.config.mjs)`,
    });
  if (DOMAIN_LIBS.includes(lib))
    patterns.push({ group: INFRASTRUCTURE, message: `libs/${lib} is plain TypeScript: no Nest, TypeORM, drivers or telemetry SDKs` });
  return { files: [`libs/${lib}/src/**/*.ts`], ignores: ['**/*.spec.ts', '**/*.medium-spec.ts'], rules: restricted(patterns) };
});

const appLayers = APPS.map((app) => ({
  files: [`apps/${app}/src/**/*.{ts,tsx}`],
  rules: restricted([
    {
      group: APPS.filter((a) => a !== app).flatMap((a) => [`**/apps/${a}/**`, `../../${a}/**`, `../../../${a}/**`]),
      message: `apps/${app} does not import another app: move what is shared into a lib`,
    },
  ]),
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'packages/client/dist/**', '.run/**', '.local/**', 'deploy/**', 'docs/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  { languageOptions: { globals: { ...globals.node } } },
  { files: ['apps/console/src/**'], languageOptions: { globals: { ...globals.browser } } },
  {
    rules: {
      // `_name` marks a value taken only for its position (a callback's unused parameter, a destructured leftover)
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  // tests read JSON bodies whose shape is what they assert
  { files: ['test/**/*.ts', '**/*.spec.ts', '**/*.medium-spec.ts', '**/*.e2e-spec.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  ...libLayers,
  ...appLayers,
);
