// `npm run plugin:new -- <name> [--dir <folder>] [--package] [--console]`: writes plugins/<name>/ with a manifest, a
// store and an admin route, an event and its subscriber, a table with its migration, locale
// files, a README and a passing test. The output compiles under `tsc` as it is.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../paths.js';
import { PLUGIN_NAME, tablePrefix } from './manifest.js';

const RESERVED = new Set(['plugins', 'auth', 'me', 'store', 'staff', 'customers', 'api-keys', 'audit', 'products', 'categories', 'orders', 'carts', 'checkout', 'returns', 'tenants', 'payments', 'inventory', 'search', 'public', 'core', 'sdk']);

export interface ScaffoldResult {
  dir: string;
  files: string[];
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());
}

function stamp(d = new Date()): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

const SDK = '@bazaar/sdk';

export interface ScaffoldOptions {
  /**
   * A package of its own, outside this repository: adds package.json (peer of @bazaar/sdk),
   * tsconfig.json and tsconfig.build.json, so the folder builds to dist/ and packs for npm.
   */
  package?: boolean;
  /**
   * A console page too: admin/console.ts (its navigation item, loaded only where the plugin is
   * on) and admin/GreetingsPage.tsx (the greetings log, in the console's languages).
   */
  console?: boolean;
}

export function scaffoldPlugin(name: string, parent = path.join(projectRoot, 'plugins'), opts: ScaffoldOptions = {}): ScaffoldResult {
  if (!PLUGIN_NAME.test(name) || name.length < 2 || name.length > 40) throw new Error(`"${name}" is not a plugin name: use lowercase letters, digits and single dashes (2-40), e.g. gift-cards`);
  if (RESERVED.has(name)) throw new Error(`"${name}" is taken by the core's routes; choose another name`);
  const dir = path.join(parent, name);
  if (fs.existsSync(dir)) throw new Error(`${dir} already exists`);
  const prefix = tablePrefix(name);
  const Name = pascal(name);
  // Generated code imports the SDK by name, exactly as a published plugin does.
  const sdk = SDK;
  const sdkDeep = SDK;
  const kit = `${SDK}/testing`;
  const [major, minor] = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).version.split('.') as string[];
  const coreRange = `^${major}.${minor}.0`;

  const files: Record<string, string> = {
    'index.ts': `// ${Name}: what it does for a store, in one line.
import { definePlugin } from '${sdk}';
import { Greeting } from './${name}.model.js';
import { storeRoutes, adminRoutes } from './${name}.routes.js';

export default definePlugin({
  name: '${name}',
  version: '0.1.0',
  core: '${coreRange}',
  description: 'Greets shoppers and keeps a log of greetings',
  // What the plugin may use: api.use('<permission>') returns the service. To hear the core's
  // order events, add 'events:order' and subscribe to 'order.paid'.
  permissions: [],
  // Per-store settings, validated on every write; the admin renders a form from this schema.
  settingsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { greeting: { type: 'string', minLength: 1, maxLength: 60, default: 'Hello' } },
  },
  models: [Greeting],
  migrations: new URL('./migrations', import.meta.url),
  locales: new URL('./locales', import.meta.url),
  register(api) {
    api.routes.store(...storeRoutes(api));
    api.routes.admin(...adminRoutes());
    // The plugin's own events need no permission; subscribers run from the queue, once per event.
    api.subscribe({
      name: 'logGreeting',
      events: ['${name}.greeted'],
      async handle(ctx, event) {
        await Greeting.log(ctx, String(event.payload.who ?? 'someone'));
      },
    });
  },
});
`,
    [`${name}.model.ts`]: `import { TenantModel, scoped, type TenantCtx } from '${sdk}';

/** One greeting given in a store. Tables start with '${prefix}'. */
export class Greeting extends TenantModel {
  static override tableName = '${prefix}greetings';
  id!: string;
  who!: string;
  createdAt!: string;
  updatedAt!: string;

  static async log(ctx: TenantCtx, who: string): Promise<void> {
    await scoped(ctx, Greeting).insert({ who });
  }
}
`,
    [`${name}.routes.ts`]: `// Mounted under /store/v1/${name}/ and /admin/v1/${name}/.
import { route, requireTenant, scoped, type PluginApi, type PluginRoute } from '${sdk}';
import { Greeting } from './${name}.model.js';

export function storeRoutes(api: PluginApi<never>): PluginRoute[] {
  return [
    route({
      method: 'GET', path: '/hello', summary: 'Greets the shopper in their language', access: 'public',
      query: { type: 'object', additionalProperties: false, properties: { who: { type: 'string', minLength: 1, maxLength: 40 } } },
      responses: { 200: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } } },
      async handler({ ctx, query }) {
        const tctx = requireTenant(ctx);
        const { greeting } = await api.settings<{ greeting: string }>(tctx);
        await api.emit(tctx, '${name}.greeted', { who: query.who ?? 'shopper' });
        return { message: api.t(ctx, 'hello', { greeting, store: tctx.tenant.name }) };
      },
    }),
  ];
}

export function adminRoutes(): PluginRoute[] {
  return [
    route({
      method: 'GET', path: '/greetings', summary: 'Greetings given in this store', access: 'staff',
      responses: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { type: 'object', required: ['id', 'who'], properties: { id: { type: 'string' }, who: { type: 'string' }, createdAt: { type: 'string' } } } } } } },
      async handler({ ctx }) {
        const rows = await scoped(ctx, Greeting).orderBy('id');
        return { items: rows.map((g) => ({ id: g.id, who: g.who, createdAt: g.createdAt })) };
      },
    }),
  ];
}
`,
    [`migrations/${stamp()}_${prefix}init.ts`]: `import { tenantKey, timestamps, type Knex } from '${SDK}';

// Runs once, platform-wide, when the plugin is installed. Tenant tables: tenantKey() first.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('${prefix}greetings', (t) => {
    tenantKey(t);
    t.string('who', 40).notNullable();
    timestamps(t);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('${prefix}greetings');
}
`,
    'locales/en.json': `${JSON.stringify({ hello: '{{greeting}} from {{store}}!', errors: {} }, null, 2)}\n`,
    'locales/zh-CN.json': `${JSON.stringify({ hello: '{{store}}向你问好：{{greeting}}！', errors: {} }, null, 2)}\n`,
    'README.md': `# ${name}

Greets shoppers and keeps a log of greetings. (Say what the plugin does for a store.)

## Glossary
- **greeting**: one \`GET /store/v1/${name}/hello\`, logged by the \`${name}.logGreeting\` subscriber.

## Shape
\`index.ts\` (manifest, register) -> \`${name}.routes.ts\` (store and admin routes) ->
event \`${name}.greeted\` -> subscriber -> \`${name}.model.ts\` (table \`${prefix}greetings\`).
Settings: \`greeting\` (per store). Migrations in \`migrations/\`, texts in \`locales/\`.

## Develop
    npx mocha plugins/${name}/test/*.test.ts     # boots the core with this plugin only
    npx tsc --noEmit

See docs/plugins.md for the API, and for publishing on npm.
`,
    [`test/${name}.test.ts`]: `import { expect } from 'chai';
import { startTestKit, type TestKit } from '${kit}';
import type { TenantCtx } from '${sdkDeep}';
import plugin from '../index.js';

describe('${name} plugin', function () {
  this.timeout(60_000);
  let kit: TestKit;

  before(async () => {
    kit = await startTestKit({ plugin });
  });
  after(() => kit?.close());

  it('greets shoppers of a store that enabled it, and is invisible elsewhere', async () => {
    const on = await kit.tenant({ enable: ['${name}'] });
    const off = await kit.tenant();
    const res = await kit.get('/store/v1/${name}/hello', { tenant: on.slug });
    expect(res.status).to.equal(200);
    expect(res.body.message).to.equal(\`Hello from \${on.tenant.name}!\`);
    expect((await kit.get('/store/v1/${name}/hello', { tenant: off.slug })).status).to.equal(404);
  });

  it('uses the store settings, checked on write', async () => {
    const t = await kit.tenant({ enable: ['${name}'] });
    const bad = await kit.put('/admin/v1/plugins/${name}/settings', { settings: { greeting: '' } }, { token: t.ownerToken });
    expect(bad.status).to.equal(400);
    await kit.put('/admin/v1/plugins/${name}/settings', { settings: { greeting: 'Welcome' } }, { token: t.ownerToken });
    expect((await kit.get('/store/v1/${name}/hello', { tenant: t.slug })).body.message).to.equal(\`Welcome from \${t.tenant.name}!\`);
  });

  it('logs each greeting through its subscriber', async () => {
    const t: { slug: string; ownerToken: string; ctx: TenantCtx } = await kit.tenant({ enable: ['${name}'] });
    await kit.get('/store/v1/${name}/hello?who=ada', { tenant: t.slug });
    const items = await kit.waitFor(async () => {
      const res = await kit.get('/admin/v1/${name}/greetings', { token: t.ownerToken });
      return res.body.items.length === 1 && res.body.items;
    }, { what: 'the logged greeting' });
    expect(items[0].who).to.equal('ada');
  });
});
`,
  };

  if (opts.console) {
    Object.assign(files, consoleFiles(name));
    files['README.md'] = files['README.md'].replace('Settings: `greeting` (per store).', 'Settings: `greeting` (per store). Console page: `admin/console.ts` names it, `admin/GreetingsPage.tsx` draws it.');
  }

  if (opts.package) {
    Object.assign(files, packageFiles(name, coreRange, Boolean(opts.console)));
    files['README.md'] = files['README.md'].replace(/## Develop[\s\S]*$/, `## Develop
    npm install -D <bazaar checkout>/bazaar-sdk-<version>.tgz   # once; \`npm run sdk:pack\` there makes it
    npx tsc --noEmit                                            # against the SDK's declarations
    BAZAAR_HOME=<bazaar checkout> npm test                      # boots that core with this plugin only
    npm pack                                                    # builds dist/ and packs the tarball

## Install in a Bazaar deployment
    npm install bazaar-plugin-${name}-0.1.0.tgz    # in the application's folder (or from your registry)
    BAZAAR_PLUGINS=bazaar-plugin-${name} npx bazaar start

then a platform admin installs it (\`POST /platform/v1/plugins/${name}/install\`) and a store enables
it (\`POST /admin/v1/plugins/${name}/enable\`). See docs/plugins.md in Bazaar.
`);
  }

  const written: string[] = [];
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    written.push(file);
  }
  return { dir, files: written };
}

/**
 * A console page: the module the console build finds (plugins/<name>/admin/console.ts, or in a
 * package the file its package.json names as bazaar.console) and the page it loads on demand.
 */
function consoleFiles(name: string): Record<string, string> {
  const Name = pascal(name);
  return {
    'admin/console.ts': `// ${Name}'s console pages: shown in the store console's navigation only where the plugin is on
// and the role may open them; the page's code loads when opened. See docs/plugins.md.
import { defineConsole } from '@bazaar/console';

export default defineConsole({
  plugin: '${name}',
  pages: [{ path: 'greetings', label: { en: 'Greetings', 'zh-CN': '问候记录' }, permission: 'plugins:read', load: () => import('./GreetingsPage') }],
  // Titles of the settings form's fields per language (the schema's own text is the fallback).
  settingsLabels: { en: { greeting: { title: 'Greeting' } }, 'zh-CN': { greeting: { title: '问候语' } } },
});
`,
    'admin/GreetingsPage.tsx': `// The greetings logged in this store (GET /admin/v1/${name}/greetings), in the console's languages.
import { Table } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { storeApi, useSession, PageTitle, ScrollTable, DateText, Data, EmptyRow, ErrorAlert, Loading } from '@bazaar/console';

interface Greeting {
  id: string;
  who: string;
  createdAt?: string;
}

const TEXT = {
  en: { title: 'Greetings', who: 'Who', at: 'When' },
  'zh-CN': { title: '问候记录', who: '对象', at: '时间' },
};

export default function GreetingsPage() {
  const { i18n } = useTranslation();
  const text = i18n.language === 'zh-CN' ? TEXT['zh-CN'] : TEXT.en;
  const session = useSession('store');
  const q = useQuery({ queryKey: ['store', session?.tenant, '${name}-greetings'], queryFn: () => storeApi<{ items: Greeting[] }>('GET', '/${name}/greetings') });
  return (
    <>
      <PageTitle>{text.title}</PageTitle>
      {q.isPending ? (
        <Loading />
      ) : q.error ? (
        <ErrorAlert error={q.error} />
      ) : (
        <ScrollTable label={text.title}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{text.who}</Table.Th>
              <Table.Th>{text.at}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {q.data.items.map((g) => (
              <Table.Tr key={g.id}>
                <Table.Td>
                  <Data>{g.who}</Data>
                </Table.Td>
                <Table.Td>
                  <DateText value={g.createdAt} />
                </Table.Td>
              </Table.Tr>
            ))}
            {q.data.items.length === 0 && <EmptyRow cols={2} />}
          </Table.Tbody>
        </ScrollTable>
      )}
    </>
  );
}
`,
  };
}

/** What a plugin published on its own adds: its package, its compiler settings, its build. */
function packageFiles(name: string, coreRange: string, withConsole = false): Record<string, string> {
  const own = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; engines: Record<string, string> };
  // The versions this core is developed and tested with.
  const dev = (n: string) => own.devDependencies[n] ?? own.dependencies[n];
  const pkg = {
    name: `bazaar-plugin-${name}`,
    version: '0.1.0',
    description: 'A Bazaar plugin. (Say what it does for a store.)',
    type: 'module',
    exports: { '.': './dist/index.js' },
    files: ['dist', 'README.md', ...(withConsole ? ['admin'] : [])],
    // The console build compiles admin/ itself (with the console's React, Mantine and helpers).
    ...(withConsole ? { bazaar: { console: './admin/console.ts' } } : {}),
    keywords: ['bazaar-plugin'],
    engines: own.engines,
    scripts: {
      build: "rm -rf dist && tsc -p tsconfig.build.json && node -e \"require('fs').cpSync('locales','dist/locales',{recursive:true})\"",
      typecheck: 'tsc --noEmit',
      test: "mocha --node-option import=tsx 'test/**/*.test.ts'",
      prepack: 'npm run build',
    },
    // The host provides the SDK at run time (one copy of every class): a peer, never bundled,
    // and optional so that installing the plugin into an application never fetches it.
    peerDependencies: { '@bazaar/sdk': coreRange },
    peerDependenciesMeta: { '@bazaar/sdk': { optional: true } },
    devDependencies: Object.fromEntries(['@bazaar/sdk', '@types/chai', '@types/mocha', '@types/node', 'chai', 'mocha', 'tsx', 'typescript'].map((n) => [n, n === '@bazaar/sdk' ? coreRange : dev(n)])),
  };
  const compilerOptions = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noImplicitOverride: true, esModuleInterop: true, outDir: 'dist', rootDir: '.', types: ['node', 'mocha'] };
  return {
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true }, include: ['**/*.ts'], exclude: ['node_modules', 'dist', 'admin'] }, null, 2)}\n`,
    'tsconfig.build.json': `${JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: false, types: ['node'] }, exclude: ['node_modules', 'dist', 'test'] }, null, 2)}\n`,
    '.gitignore': 'node_modules/\ndist/\n*.tgz\n',
  };
}

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { dir: { type: 'string' }, package: { type: 'boolean', default: false }, console: { type: 'boolean', default: false } } });
  const name = positionals[0];
  if (!name) {
    console.error('usage: npm run plugin:new -- <name> [--dir <folder>] [--package] [--console]   (name: lowercase letters, digits, dashes; --package: a plugin published on its own; --console: with a console page)');
    process.exit(2);
  }
  try {
    const { dir, files } = scaffoldPlugin(name, values.dir ? path.resolve(values.dir) : undefined, { package: values.package, console: values.console });
    const rel = path.relative(process.cwd(), dir) || dir;
    const next = values.package
      ? [`cd ${rel}`, 'npm install -D <path to bazaar>/bazaar-sdk-*.tgz   (npm run sdk:pack in a Bazaar checkout makes it)', 'npx tsc --noEmit', 'BAZAAR_HOME=<path to bazaar> npm test', 'npm pack']
      : [`npx mocha ${rel}/test/*.test.ts`, 'npx tsc --noEmit'];
    console.log(`created ${rel}/\n${files.map((f) => `  ${path.relative(dir, f)}`).join('\n')}\n\nnext:\n${[...next, 'read docs/plugins.md'].map((l) => `  ${l}`).join('\n')}`);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
