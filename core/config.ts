// Environment -> validated, frozen config. A bad value stops the process at boot with one
// line naming the variable, so a typo never turns into a confusing failure later.
import { Ajv } from 'ajv';

export type Env = 'development' | 'test' | 'production';

export interface Config {
  readonly env: Env;
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string;
  readonly databaseUrl: string;
  /** Extra databases a tenant may be placed on: placement name -> URL. */
  readonly placements: Readonly<Record<string, string>>;
  readonly redisUrl: string | null;
  readonly baseDomain: string;
  readonly allowTenantHeader: boolean;
  readonly logLevel: string;
  readonly bodyLimit: string;
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  readonly sessionTtlHours: number;
  readonly passwordResetTtlMinutes: number;
  readonly loginMaxFailures: number;
  readonly loginWindowSeconds: number;
  readonly passwordCost: number;
  readonly plugins: readonly string[];
  readonly pluginOptions: Readonly<Record<string, unknown>>;
  readonly seedDemo: boolean;
  readonly queuePrefix: string;
  /** Bearer token that /metrics asks for; without one, /metrics answers 404 (private by default). */
  readonly metricsToken: string | null;
}

interface VarSpec {
  key: keyof Config;
  schema: Record<string, unknown>;
  expected: string;
  default?: (env: Env, raw: NodeJS.ProcessEnv) => unknown;
  parse?: (value: string) => unknown;
}

const csv = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);
const json = (v: string) => JSON.parse(v) as unknown;
const bool = (v: string) => (['1', 'true', 'yes', 'on'].includes(v.toLowerCase()) ? true : ['0', 'false', 'no', 'off'].includes(v.toLowerCase()) ? false : v);

const VARS: Record<string, VarSpec> = {
  NODE_ENV: { key: 'env', schema: { enum: ['development', 'test', 'production'] }, expected: 'one of development, test, production', default: () => 'development' },
  HOST: { key: 'host', schema: { type: 'string', minLength: 1 }, expected: 'a listen address', default: () => '0.0.0.0' },
  PORT: { key: 'port', schema: { type: 'integer', minimum: 0, maximum: 65535 }, expected: 'an integer port 0-65535', default: () => 3000, parse: Number },
  PUBLIC_URL: { key: 'publicUrl', schema: { type: 'string', pattern: '^(https?://[^/]+.*)?$' }, expected: 'an http(s) URL', default: () => '' },
  DATABASE_URL: { key: 'databaseUrl', schema: { type: 'string', pattern: '^(sqlite:|mysql://|mariadb://)' }, expected: 'sqlite:<file>, sqlite::memory: or mysql://user:pass@host:port/db', default: () => 'sqlite:data/bazaar.sqlite' },
  DATABASE_PLACEMENTS: { key: 'placements', schema: { type: 'object', additionalProperties: { type: 'string', pattern: '^(sqlite:|mysql://|mariadb://)' } }, expected: 'a JSON object of placement name -> database URL', default: () => ({}), parse: json },
  REDIS_URL: { key: 'redisUrl', schema: { type: ['string', 'null'], pattern: '^(rediss?://|redis\\+cluster://[^,/]+:[0-9]+(,[^,/]+:[0-9]+)*$)' }, expected: 'redis://host:port[/db] or redis+cluster://host:port,host:port,...', default: () => null },
  BASE_DOMAIN: { key: 'baseDomain', schema: { type: 'string', pattern: '^[a-z0-9.-]+$' }, expected: 'a domain such as shops.example.com', default: () => 'localhost' },
  ALLOW_TENANT_HEADER: { key: 'allowTenantHeader', schema: { type: 'boolean' }, expected: 'true or false', default: (env) => env !== 'production', parse: bool },
  LOG_LEVEL: { key: 'logLevel', schema: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] }, expected: 'a pino level (info, debug, silent, ...)', default: (env) => (env === 'test' ? 'silent' : 'info') },
  BODY_LIMIT: { key: 'bodyLimit', schema: { type: 'string', pattern: '^[0-9]+(b|kb|mb)$' }, expected: 'a size such as 1mb or 512kb', default: () => '1mb' },
  SMTP_URL: { key: 'smtpUrl', schema: { type: ['string', 'null'], pattern: '^smtps?://' }, expected: 'smtp://user:pass@host:port', default: () => null },
  MAIL_FROM: { key: 'mailFrom', schema: { type: 'string', minLength: 3 }, expected: 'a sender address', default: () => 'Bazaar <no-reply@bazaar.local>' },
  SESSION_TTL_HOURS: { key: 'sessionTtlHours', schema: { type: 'number', exclusiveMinimum: 0 }, expected: 'a positive number of hours', default: () => 24, parse: Number },
  PASSWORD_RESET_TTL_MINUTES: { key: 'passwordResetTtlMinutes', schema: { type: 'integer', minimum: 1 }, expected: 'a positive integer', default: () => 60, parse: Number },
  LOGIN_MAX_FAILURES: { key: 'loginMaxFailures', schema: { type: 'integer', minimum: 1 }, expected: 'a positive integer', default: () => 5, parse: Number },
  LOGIN_WINDOW_SECONDS: { key: 'loginWindowSeconds', schema: { type: 'integer', minimum: 1 }, expected: 'a positive integer of seconds', default: () => 900, parse: Number },
  PASSWORD_COST: { key: 'passwordCost', schema: { type: 'integer', minimum: 10, maximum: 20 }, expected: 'log2 of the scrypt cost, 10-20', default: (env) => (env === 'test' ? 12 : 15), parse: Number },
  BAZAAR_PLUGINS: { key: 'plugins', schema: { type: 'array', items: { type: 'string', minLength: 1 } }, expected: 'a comma-separated list of npm package names', default: () => [], parse: csv },
  BAZAAR_PLUGIN_OPTIONS: { key: 'pluginOptions', schema: { type: 'object' }, expected: 'a JSON object of plugin name -> options', default: () => ({}), parse: json },
  SEED_DEMO: { key: 'seedDemo', schema: { type: 'boolean' }, expected: 'true or false', default: (env) => env === 'development', parse: bool },
  METRICS_TOKEN: { key: 'metricsToken', schema: { type: ['string', 'null'], minLength: 16, maxLength: 256, pattern: '^[\\x21-\\x7e]+$' }, expected: 'a token of 16-256 printable characters', default: () => null },
  QUEUE_PREFIX: { key: 'queuePrefix', schema: { type: 'string', pattern: '^[a-zA-Z0-9:_{}-]+$' }, expected: 'letters, digits, : _ { } -', default: () => '{bazaar}' },
};

export class ConfigError extends Error {}

const ajv = new Ajv({ allowUnionTypes: true });

export function loadConfig(raw: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  const envName = (raw.NODE_ENV ?? 'development') as Env;
  for (const [name, spec] of Object.entries(VARS)) {
    const given = raw[name];
    let value: unknown;
    if (given === undefined || given === '') {
      value = spec.default?.(envName, raw);
    } else {
      try {
        value = spec.parse ? spec.parse(given) : given;
      } catch {
        throw new ConfigError(`config: ${name} must be ${spec.expected} (got ${JSON.stringify(given)})`);
      }
    }
    if (!ajv.validate(spec.schema, value)) {
      throw new ConfigError(`config: ${name} must be ${spec.expected} (got ${JSON.stringify(given)})`);
    }
    out[spec.key] = value;
  }
  if (!out.publicUrl) out.publicUrl = `http://localhost:${out.port as number}`;
  return deepFreeze(out as unknown as Config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
