import type { ParanoiaLevel, RuleHit } from './types.js';

/**
 * Node.js-specific injection. Prototype pollution writes through `__proto__` or
 * `constructor.prototype` in a parameter name, a JSON key or a dotted path
 * (`a[__proto__][admin]=1`, `{"__proto__": {...}}`, `x.constructor.prototype.y`); node-serialize
 * runs functions marked `_$$ND_FUNC$$_`; injected code reaches the runtime through `require`,
 * `child_process` and `process`.
 */

/** The engine's rule shape (types.ts): one definition for every detector. */
type Rule = RuleHit;

const R = {
  proto: { ruleId: 'nodejs.prototype-pollution', message: '__proto__ or constructor.prototype in a name, key or path', paranoia: 1, severity: 'critical' },
  serialize: { ruleId: 'nodejs.serialized-function', message: 'node-serialize function marker', paranoia: 1, severity: 'critical' },
  runtime: { ruleId: 'nodejs.runtime-access', message: 'Access to child_process, require or process internals', paranoia: 1, severity: 'critical' },
} as const satisfies Record<string, Rule>;

type RuleKey = keyof typeof R;

/** `__proto__` as a name of its own (not part of a longer identifier), `constructor.prototype`, `constructor["prototype"]`. */
const PROTO = /(?<![\w$])__proto__(?![\w$])|\bconstructor\s*["'`]?\s*\]?\s*(?:\.|\[)\s*["'`]?\s*prototype\b/;
const SERIALIZED_FUNCTION = /_\$\$ND_FUNC\$\$_|_\$\$ND_CC\$\$_/;
const RUNTIME = /\brequire\s*\(\s*["'`](?:child_process|fs|net|vm|os|module|worker_threads)["'`]\s*\)|\bchild_process\b|\bprocess\s*\.\s*(?:mainmodule|binding|dlopen|kill|exit)\b|\bglobal\s*\.\s*process\b|\b(?:execsync|spawnsync|execfilesync)\s*\(/i;

function mayContainNode(value: string): boolean {
  return value.includes('__') || value.includes('prototype') || value.includes('_$$') || value.includes('process') || value.includes('require');
}

export function detectNodeInjection(value: string, paranoia: ParanoiaLevel): RuleHit[] {
  if (!mayContainNode(value)) return [];
  const found = new Set<RuleKey>();
  if (PROTO.test(value)) found.add('proto');
  if (value.includes('_$$') && SERIALIZED_FUNCTION.test(value)) found.add('serialize');
  if (RUNTIME.test(value)) found.add('runtime');
  const hits: RuleHit[] = [];
  for (const key of found) {
    const r = R[key];
    if (r.paranoia <= paranoia) hits.push({ ruleId: r.ruleId, message: r.message, paranoia: r.paranoia, severity: r.severity });
  }
  return hits;
}
