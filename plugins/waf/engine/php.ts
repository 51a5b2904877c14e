import type { ParanoiaLevel, RuleHit } from './types.js';

/**
 * PHP object injection and PHP code. `unserialize()` on a request value builds any class the
 * application can load and runs its magic methods, so a serialized object or array
 * (`O:8:"Example":1:{s:1:"a";...}`, `a:2:{i:0;s:3:"abc";...}`) is flagged by its grammar:
 * type letter, length, quoted class name, member count and an opening brace followed by a
 * member. Superglobal access (`$_GET['x']`, `$GLOBALS[...]`) is PHP source, not text. Calls to
 * executing functions and `<?php` are the command-injection detector's (`rce.php-code`); stream
 * wrappers are the path-traversal detector's.
 */

/** The engine's rule shape (types.ts): one definition for every detector. */
type Rule = RuleHit;

const R = {
  serialized: { ruleId: 'php.serialized-object', message: 'PHP serialized object or array', paranoia: 1, severity: 'critical' },
  superglobal: { ruleId: 'php.superglobal', message: 'PHP superglobal access', paranoia: 1, severity: 'critical' },
  variableCall: { ruleId: 'php.variable-function-call', message: 'PHP variable function or backtick execution', paranoia: 1, severity: 'critical' },
} as const satisfies Record<string, Rule>;

type RuleKey = keyof typeof R;

/** `O:8:"Example":2:{`, `C:11:"ArrayObject":20:{`, `a:2:{i:0;`, `a:1:{s:4:"`. */
const SERIALIZED = /(?:^|[^\w])(?:[OC]:\+?\d+:"[\w\\]+":\d+:\{|a:\d+:\{(?:[ib]:\d+;|s:\d+:"|d:[\d.]+;|N;|\}))/;
const SUPERGLOBAL = /\$(?:_(?:GET|POST|REQUEST|COOKIE|SERVER|FILES|ENV|SESSION)|GLOBALS|HTTP_(?:GET|POST|COOKIE|SERVER)_VARS)\s*\[/;
/** `$_GET['f']($_GET['a'])`, `$f = 'sys'.'tem'; $f('id');`, `` `$cmd` `` inside PHP. */
const VARIABLE_CALL = /\$\w+\s*(?:\[[^\]]{1,40}\])?\s*\(\s*\$\w+|\$\w+\s*=\s*["'][a-z_]{1,20}["']\s*\.\s*["'][a-z_]{1,20}["']\s*;/i;

function mayContainPhp(value: string): boolean {
  return value.includes(':{') || value.includes('$');
}

export function detectPhpInjection(value: string, paranoia: ParanoiaLevel): RuleHit[] {
  if (!mayContainPhp(value)) return [];
  const found = new Set<RuleKey>();
  if (value.includes(':{') && SERIALIZED.test(value)) found.add('serialized');
  if (value.includes('$')) {
    if (SUPERGLOBAL.test(value)) found.add('superglobal');
    if (VARIABLE_CALL.test(value)) found.add('variableCall');
  }
  const hits: RuleHit[] = [];
  for (const key of found) {
    const r = R[key];
    if (r.paranoia <= paranoia) hits.push({ ruleId: r.ruleId, message: r.message, paranoia: r.paranoia, severity: r.severity });
  }
  return hits;
}
