// The `bazaar` command: migrate, seed:demo, tenant:create, tenant:move, admin:create, start [web|worker|all].
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from './config.js';
import { createRuntime, migrateAll, type Role } from './server.js';
import { createSystemCtx } from './context.js';
import { createPlatformAdmin } from './users/auth.service.js';
import { AppError } from './errors.js';
import { provisionTenant } from '../tenants/tenant.service.js';
import { moveTenant, DEFAULT_DRAIN_MS } from '../tenants/tenant.move.js';
import { seedDemo, DEMO } from '../tenants/demo-seed.js';
import { bootBanner } from './banner.js';
import { MemoryQueue } from './events/memory-queue.js';
import { seedDemoProducts } from './catalog/demo-seed.js';
import { runProductImport } from './catalog/import/import.command.js';
import { tenantCreateBody } from '../tenants/tenant.schemas.js';
import { ajvStrict, toFieldErrors } from './http/validation.js';
import { ensureConsoleBuilt } from '../admin-ui/build.js';

const validateTenant = ajvStrict.compile(tenantCreateBody);

const USAGE = `usage: bazaar <command>
  migrate                                  run database migrations on every placement
  seed:demo                                seed the demo store (only on an empty database)
  tenant:create --slug S --name N --owner-email E [--owner-password P] [--currency USD] [--locale en]
  tenant:move --slug S --to P [--drain-seconds 8]
                                           move a store to another placement (read-only meanwhile; copied, verified, switched)
  admin:create --email E --password P [--name N]
  import:products <tenant-slug> <file>     import products from a .csv or .jsonl file (progress on stderr)
  start [web|worker|all]                   serve HTTP, consume queues, or both (default: all)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      slug: { type: 'string' }, name: { type: 'string' }, 'owner-email': { type: 'string' }, 'owner-password': { type: 'string' },
      'owner-name': { type: 'string' }, to: { type: 'string' }, 'drain-seconds': { type: 'string' }, currency: { type: 'string' }, locale: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' },
    },
  });
  const config = loadConfig();
  switch (command) {
    case 'migrate': {
      const rt = await createRuntime({ config, role: 'web', migrate: false });
      const done = await migrateAll(rt.kernel);
      console.log(done.length ? `migrated: ${done.join(', ')}` : 'already up to date');
      await rt.close();
      return 0;
    }
    case 'seed:demo': {
      const rt = await createRuntime({ config, role: 'web' });
      const result = await seedDemo(rt.kernel, seedDemoProducts);
      console.log(result.seeded ? `seeded the demo store "${DEMO.slug}"` : 'the database already has tenants; nothing seeded');
      await rt.close();
      return 0;
    }
    case 'tenant:create': {
      if (!values.slug || !values.name || !values['owner-email']) throw new UsageError('tenant:create needs --slug, --name and --owner-email');
      const currency = values.currency ?? 'USD';
      const input = {
        slug: values.slug, name: values.name, defaultCurrency: currency, currencies: [currency], defaultLocale: values.locale ?? 'en',
        owner: { email: values['owner-email'], name: values['owner-name'] ?? values['owner-email'], ...(values['owner-password'] ? { password: values['owner-password'] } : {}) },
      };
      if (!validateTenant(input)) {
        const flags: Record<string, string> = { '/slug': '--slug', '/name': '--name', '/defaultCurrency': '--currency', '/currencies/0': '--currency', '/defaultLocale': '--locale', '/owner/email': '--owner-email', '/owner/password': '--owner-password', '/owner/name': '--owner-name' };
        throw new UsageError(toFieldErrors('input', validateTenant.errors).map((e) => `${flags[e.pointer] ?? e.pointer}: ${e.message.replace(/^input\S* /, '')}`).join('\n'));
      }
      // Without a password the owner is mailed a link. With an in-process queue (no REDIS_URL)
      // nobody else would ever send it: this process consumes its queue and waits for it.
      const inProcess = !config.redisUrl;
      const rt = await createRuntime({ config, role: inProcess ? 'all' : 'web' });
      try {
        const ctx = createSystemCtx(rt.kernel, null, { actor: { type: 'system', name: 'cli' } });
        const tenant = await provisionTenant(ctx, input);
        console.log(JSON.stringify(tenant, null, 2));
        if (!input.owner.password) {
          const to = input.owner.email;
          if (!inProcess) {
            console.error(`the link to set a password for ${to} is queued on Redis; a worker (bazaar start worker) sends it`);
          } else if (rt.kernel.queue instanceof MemoryQueue && !(await rt.kernel.queue.whenIdle(60_000))) {
            console.error(`the link to set a password for ${to} could not be sent in time (see the log)`);
            return 1;
          } else if (config.smtpUrl) {
            console.error(`the link to set a password was mailed to ${to} through ${new URL(config.smtpUrl).host} (SMTP_URL)`);
          } else {
            console.error(`no SMTP_URL is set: the mail to ${to} with the link to set a password was written to the log (stdout), not sent`);
          }
        }
      } finally {
        await rt.close();
      }
      return 0;
    }
    case 'tenant:move': {
      if (!values.slug || !values.to) throw new UsageError('tenant:move needs --slug and --to');
      const drain = values['drain-seconds'];
      if (drain !== undefined && !/^\d{1,3}$/.test(drain)) throw new UsageError('--drain-seconds must be a whole number of seconds, 0-999');
      const rt = await createRuntime({ config, role: 'web' });
      try {
        const ctx = createSystemCtx(rt.kernel, null, { actor: { type: 'system', name: 'cli' } });
        const report = await moveTenant(ctx, { slug: values.slug, to: values.to, drainMs: drain === undefined ? DEFAULT_DRAIN_MS : Number(drain) * 1000, log: (line) => console.error(line) });
        console.log(JSON.stringify(report, null, 2));
        return report.cleanupError ? 3 : 0;
      } finally {
        await rt.close();
      }
    }
    case 'admin:create': {
      if (!values.email || !values.password) throw new UsageError('admin:create needs --email and --password');
      if (values.password.length < 10) throw new UsageError('--password must be at least 10 characters');
      const rt = await createRuntime({ config, role: 'web' });
      try {
        const admin = await createPlatformAdmin(rt.kernel, { email: values.email, password: values.password, name: values.name ?? values.email });
        console.log(`platform admin ${admin.email} created (${admin.id})`);
      } finally {
        await rt.close();
      }
      return 0;
    }
    case 'import:products': {
      const [slug, file] = positionals;
      if (!slug || !file) throw new UsageError('import:products needs <tenant-slug> <file>');
      const rt = await createRuntime({ config, role: 'web' });
      try {
        return await runProductImport(rt.kernel, slug, file);
      } finally {
        await rt.close();
      }
    }
    case 'start': {
      const role = (positionals[0] ?? 'all') as Role;
      if (!['web', 'worker', 'all'].includes(role)) throw new UsageError(`start takes web, worker or all (got "${role}")`);
      const started = Date.now();
      // The admin console is built here when its sources changed (or it never was): `npm ci && npm start`.
      if (role !== 'worker' && config.env !== 'production') await ensureConsoleBuilt({ log: (line) => console.log(line), packages: config.plugins });
      const rt = await createRuntime({ config, role });
      // Only a serving process seeds, so a web and a worker starting together never race for it.
      if (config.seedDemo && role !== 'worker') {
        const seeded = await seedDemo(rt.kernel, seedDemoProducts);
        if (seeded.seeded) rt.kernel.log.info({ owner: DEMO.owner, platformAdmin: DEMO.admin }, 'seeded the demo store');
      }
      const shutdown = async (signal: string) => {
        rt.kernel.log.info({ signal }, 'shutting down');
        await rt.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      if (role === 'worker') {
        console.log(`bazaar worker running (queue: ${config.redisUrl ? 'redis' : 'in-process'})`);
        return -1;
      }
      const server = await rt.listen();
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const base = config.publicUrl.replace(/:\d+$/, '') + `:${port}`;
      console.log(
        [
          `bazaar ${role} ready in ${Date.now() - started} ms on ${config.databaseUrl.startsWith('sqlite') ? 'SQLite (embedded)' : 'MySQL'}${config.redisUrl ? ' + Redis' : ', in-process queue and cache'}`,
          ...bootBanner(base, port, DEMO),
        ].join('\n'),
      );
      return -1;
    }
    default:
      console.log(USAGE);
      return command ? 2 : 0;
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof UsageError) {
      console.error(err.message);
      process.exit(2);
    }
    if (err instanceof AppError) {
      console.error(`${err.code}: ${err.message}${err.errors ? ' ' + err.errors.map((e) => e.message).join('; ') : ''}`);
      process.exit(1);
    }
    console.error(err);
    process.exit(1);
  },
);
