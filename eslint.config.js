// ESLint flat config. The house rules below are the ones a reviewer would otherwise repeat
// (ARCHITECTURE.md §3–4, STYLE.md): import direction, SQL only in repositories, tenancy through
// the tenant scope, `process.env` only in config, kebab-case files, small files.
//
// Flat config does not merge the options of one rule across blocks: for a given file the last
// matching block wins. `no-restricted-imports` therefore gets ONE block per kind of file, built
// from the named restriction sets below; the later, more specific block repeats what it inherits.
import js from '@eslint/js';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import checkFile from 'eslint-plugin-check-file';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// `globals` ships with ESLint (through @eslint/eslintrc) but is not a direct dependency; without
// it, plain JS files fall back to `no-undef: off` (TypeScript files never use `no-undef`).
const globals = await import('globals').then(
  (module) => module.default,
  () => undefined,
);

const TS = '**/*.{ts,tsx,mts,cts}';
const JS = '**/*.{js,mjs,cjs}';
/** How deep below a feature (or web) folder files may sit; one restriction block per depth. */
const MAX_DEPTH = 6;

// ---------------------------------------------------------------------------------------------
// Tenancy: tenant-owned tables are reached through forTenant(db, tenantId) only.
// Keep this list in step with the tables that have `tenant_id NOT NULL` (platform/db/database.ts).
const TENANT_TABLES = [
  'team_member',
  'client',
  'contact',
  'ticket',
  'message',
  'login_token',
  'session',
  'ticket_event',
  'reply_address',
  'file',
  'ticket_read',
];
const QUERY_ROOTS = ['selectFrom', 'updateTable', 'deleteFrom', 'insertInto', 'replaceInto', 'mergeInto'];
const TENANT_TABLE_NAME = `/^(${TENANT_TABLES.join('|')})(\\s+as\\s+\\w+)?$/`;
// `scope.selectFrom('ticket')`, `scopeA.selectFrom(…)` (tests) and `ctx.scope.selectFrom('ticket')` are the scoped forms.
const UNSCOPED_QUERY_ROOT =
  `CallExpression[callee.type='MemberExpression'][callee.property.name=/^(${QUERY_ROOTS.join('|')})$/]` +
  `:not([callee.object.name=/^scope[A-Z]?\\w*$/], [callee.object.property.name='scope'])`;
const TENANCY_MESSAGE =
  'Tenant tables are reached through forTenant(db, tenantId) (platform/db/tenant-scope.ts). ' +
  'A read that must cross tenants belongs in platform/db/cross-tenant.repository.ts, the one module that may.';
const tenancySyntax = [
  { selector: `${UNSCOPED_QUERY_ROOT}[arguments.0.type='Literal'][arguments.0.value=${TENANT_TABLE_NAME}]`, message: TENANCY_MESSAGE },
  // db.selectFrom(['ticket', 'client'])
  {
    selector: `${UNSCOPED_QUERY_ROOT} > ArrayExpression.arguments:first-child > Literal[value=${TENANT_TABLE_NAME}]`,
    message: TENANCY_MESSAGE,
  },
];

// ---------------------------------------------------------------------------------------------
// process.env is read in one place: src/config/config.ts parses it into a frozen Config.
const ENV_MESSAGE = 'Read configuration from the Config passed in; process.env is read only in src/config/ (ARCHITECTURE.md §4.6).';
const envSyntax = [
  {
    selector: "ImportDeclaration[source.value=/^(node:)?process$/] > ImportSpecifier[imported.name='env']",
    message: ENV_MESSAGE,
  },
];
const ENV_ALLOWED = ['src/config/**', 'test/**', 'bench/**', 'vitest.config.ts'];

// ---------------------------------------------------------------------------------------------
// Import restrictions, as named sets. Each is `{ paths?, patterns? }` for no-restricted-imports.
const ROLE_FILE = (roles) => `\\.(${roles.join('|')})(\\.[cm]?[jt]sx?)?$`;

const noSql = {
  paths: [
    {
      name: 'kysely',
      importNames: ['sql'],
      message: 'SQL lives only in *.repository.ts, src/platform/db/ and migrations/ (ARCHITECTURE.md §4.2). Call a repository function.',
    },
  ],
};
const noFeatures = {
  patterns: [{ regex: '(^|/)features(/|$)', message: 'platform/ never imports features/ (ARCHITECTURE.md §4.1).' }],
};
const noFastify = {
  patterns: [
    {
      regex: '^(fastify|fastify-[^/]+|@fastify/[^/]+)(/.*)?$',
      message: 'Services and repositories never import Fastify; take plain inputs and return domain values (ARCHITECTURE.md §4.1).',
    },
  ],
};
/** Everything under src/ that is not HTTP glue: routes, `*.http.ts`, src/http/, src/platform/http/, app.ts, server.ts. */
const noFastifyOutsideHttp = {
  patterns: [
    {
      regex: '^(fastify|fastify-[^/]+|@fastify/[^/]+)(/.*)?$',
      message:
        'Fastify is imported only by *.routes.ts, *.http.ts, src/http/, src/platform/http/, src/app.ts and src/server.ts ' +
        '(ARCHITECTURE.md §4.1). Take plain inputs here (e.g. RequestMeta from platform/request-meta.ts) and let the route read the request.',
    },
  ],
};
const noKysely = {
  paths: [{ name: 'kysely', message: 'Routes stay thin: no query building here, call a service (ARCHITECTURE.md §4.7).' }],
  patterns: [{ regex: '^kysely/', message: 'Routes stay thin: no query building here, call a service (ARCHITECTURE.md §4.7).' }],
};
const noRepositories = {
  patterns: [{ regex: ROLE_FILE(['repository']), message: 'Routes call services, never repositories (ARCHITECTURE.md §4.1, §4.7).' }],
};
/**
 * From a file `depth` folders below src/features/<feature>/: another feature's repository or table,
 * reached as a sibling folder (`../clients/client.repository.js`) or through a `features/` path.
 */
/** The scope's executor is unwrapped only by repositories and platform/; cross-tenant reads are called only by repositories. */
const noScopeUnwrap = {
  patterns: [
    {
      regex: '(^|/)platform/db/tenant-scope(\\.[cm]?[jt]s)?$',
      importNames: ['executorOf'],
      message: 'Only repositories and platform/ unwrap a scope; pass the scope (or { db: scope, clock }) along (ARCHITECTURE.md §4.3).',
    },
    {
      regex: '(^|/)cross-tenant\\.repository(\\.[cm]?[jt]s)?$',
      message: 'Cross-tenant reads are called by repositories only; everything after them is scoped (ARCHITECTURE.md §4.3).',
    },
  ],
};
const noOtherFeatureData = (depth) => ({
  patterns: [
    {
      regex: `(^(\\.\\./){${depth}}[^./][^/]*/|(^|/)features/)(.*/)?[^/]+${ROLE_FILE(['repository', 'table'])}`,
      message: "A feature may call another feature's service, never its repository or table (ARCHITECTURE.md §4.1).",
    },
  ],
});
const WEB_MESSAGE = 'The web apps import only *.schemas.ts from the server side (ARCHITECTURE.md §3).';
/**
 * From a file `depth` folders below src/web/: anything outside src/web/ except *.schemas files, plus
 * server-only packages and server roles wherever they sit. One regex, so an import is reported once.
 */
const webOnlySchemas = (depth) => ({
  paths: ['kysely', 'fastify', 'better-sqlite3', 'pg'].map((name) => ({ name, message: WEB_MESSAGE })),
  patterns: [
    {
      regex: [
        `^(\\.\\./){${depth + 1}}(?!.*\\.schemas(\\.[cm]?[jt]s)?$)`,
        '(^|/)platform/',
        ROLE_FILE(['repository', 'service', 'routes', 'table', 'presenter']),
        '^(kysely|fastify|better-sqlite3|pg)/|^@fastify/|^fastify-|^pg-|^node:',
      ].join('|'),
      message: WEB_MESSAGE,
    },
  ],
});

/** One `no-restricted-imports` block: the union of the given restriction sets. */
function restrictImports(name, files, sets) {
  const paths = sets.flatMap((set) => set.paths ?? []);
  const patterns = sets.flatMap((set) => set.patterns ?? []);
  const options = sets.length === 0 ? 'off' : ['error', { paths, patterns }];
  return { name: `servelo/imports/${name}`, files, rules: { 'no-restricted-imports': options } };
}

const depths = Array.from({ length: MAX_DEPTH }, (_, index) => index);
const importBlocks = [
  restrictImports('default', [TS, JS], [noSql]),
  // Fastify stays in the HTTP glue: the blocks below that match such files leave it out.
  restrictImports('src', ['src/**/*.{ts,tsx}'], [noSql, noFastifyOutsideHttp, noScopeUnwrap]),
  restrictImports('http-glue', ['src/http/**/*.ts', 'src/**/*.http.ts', 'src/app.ts', 'src/server.ts'], [noSql, noScopeUnwrap]),
  restrictImports('repositories', ['src/**/*.repository.ts'], [noFastify]),
  restrictImports('routes', ['src/**/*.routes.ts'], [noKysely, noRepositories, noScopeUnwrap]),
  restrictImports('platform', ['src/platform/**/*.{ts,tsx}'], [noFeatures, noSql, noFastifyOutsideHttp]),
  restrictImports('platform-http', ['src/platform/http/**/*.ts'], [noFeatures, noSql]),
  restrictImports('platform-db', ['src/platform/db/**/*.ts', 'src/platform/**/*.repository.ts'], [noFeatures, noFastify]),
  restrictImports('platform-routes', ['src/platform/**/*.routes.ts'], [noFeatures, noKysely, noRepositories]),
  ...depths.flatMap((index) => {
    const depth = index + 1;
    const dir = `src/features/*/${'*/'.repeat(index)}`;
    return [
      restrictImports(`features-${depth}`, [`${dir}*.{ts,tsx}`], [noSql, noFastifyOutsideHttp, noScopeUnwrap, noOtherFeatureData(depth)]),
      restrictImports(`features-${depth}-http`, [`${dir}*.http.ts`], [noSql, noScopeUnwrap, noOtherFeatureData(depth)]),
      restrictImports(`features-${depth}-services`, [`${dir}*.service.ts`], [noSql, noFastify, noScopeUnwrap, noOtherFeatureData(depth)]),
      restrictImports(`features-${depth}-repositories`, [`${dir}*.repository.ts`], [noFastify, noOtherFeatureData(depth)]),
      restrictImports(
        `features-${depth}-routes`,
        [`${dir}*.routes.ts`],
        [noKysely, noRepositories, noScopeUnwrap, noOtherFeatureData(depth)],
      ),
    ];
  }),
  ...depths.map((depth) => restrictImports(`web-${depth}`, [`src/web/${'*/'.repeat(depth)}*.{ts,tsx}`], [webOnlySchemas(depth)])),
  // Tests and migrations reach everything on purpose.
  restrictImports('tests-and-migrations', ['migrations/**', 'test/**', '**/*.test.{ts,tsx}', '**/*.spec.{ts,tsx}'], []),
];

// ---------------------------------------------------------------------------------------------
export default defineConfig(
  {
    name: 'servelo/ignores',
    ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'test-results/', 'playwright-report/'],
  },
  {
    name: 'servelo/linter-options',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  comments.recommended,

  {
    name: 'servelo/typescript',
    files: [TS],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
    },
  },
  {
    name: 'servelo/javascript',
    files: [JS],
    languageOptions: globals ? { globals: { ...globals.node } } : {},
    rules: globals ? {} : { 'no-undef': 'off' },
  },
  {
    name: 'servelo/web',
    files: ['src/web/**/*.{ts,tsx}'],
    languageOptions: globals ? { globals: { ...globals.browser } } : {},
  },

  {
    name: 'servelo/house',
    files: [TS, JS],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      'max-lines': ['warn', { max: 400, skipBlankLines: true, skipComments: true }],
      '@eslint-community/eslint-comments/require-description': 'error',
      // A file-wide `/* eslint-disable rule -- reason */` at the top is fine.
      '@eslint-community/eslint-comments/disable-enable-pair': ['error', { allowWholeFile: true }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: ENV_MESSAGE }],
      'no-restricted-syntax': ['error', ...tenancySyntax, ...envSyntax],
    },
  },
  {
    name: 'servelo/env-allowed',
    files: ENV_ALLOWED,
    rules: {
      'no-restricted-properties': 'off',
      'no-restricted-syntax': ['error', ...tenancySyntax],
    },
  },
  {
    // Migrations are frozen history written against Kysely<any>; tenancy is for application code.
    name: 'servelo/migrations',
    files: ['migrations/**'],
    rules: { 'no-restricted-syntax': ['error', ...envSyntax] },
  },

  ...importBlocks,

  {
    name: 'servelo/file-names',
    files: ['src/**/*.{ts,tsx}', 'test/**/*.{ts,tsx}', 'migrations/**/*.ts'],
    plugins: { 'check-file': checkFile },
    rules: {
      'check-file/filename-naming-convention': [
        'error',
        {
          'src/**/*.{ts,tsx}': 'KEBAB_CASE',
          'test/**/*.{ts,tsx}': 'KEBAB_CASE',
          // 2026-11-24-0001-spine.ts: ISO date, a four-digit sequence, then a kebab-case name.
          'migrations/**/*.ts': '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]-[0-9][0-9][0-9][0-9]-+([a-z0-9])*(-+([a-z0-9]))',
        },
        // ticket.repository.ts and x.routes.test.ts are judged by their first segment.
        { ignoreMiddleExtensions: true },
      ],
    },
  },

  {
    name: 'servelo/javascript-untyped',
    files: [JS],
    ...tseslint.configs.disableTypeChecked,
  },
);
