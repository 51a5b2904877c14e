import type { ParanoiaLevel, RuleHit } from './types.js';

/**
 * Server-side template and expression-language injection (Jinja/Twig `{{ }}`, JSP/Spring EL
 * `${ }` and `#{ }`, ERB/ASP `<%= %>`, OGNL, SpEL, Freemarker, Velocity, log4j lookups).
 * Delimiters alone are common in shop data ("{{name}}" placeholders, "${price}"), so a
 * delimiter only counts when its body is an expression: arithmetic on literals (the classic
 * `{{7*7}}` probe), attribute walks to interpreter internals, or class/runtime access.
 */

/** The engine's rule shape (types.ts): one definition for every detector. */
type Rule = RuleHit;

const R = {
  probe: { ruleId: 'ssti.arithmetic-probe', message: 'Template expression evaluating arithmetic', paranoia: 1, severity: 'critical' },
  internals: { ruleId: 'ssti.interpreter-internals', message: 'Template expression reaching interpreter internals', paranoia: 1, severity: 'critical' },
  javaRuntime: { ruleId: 'ssti.java-runtime', message: 'OGNL/SpEL/EL access to Java classes or runtime', paranoia: 1, severity: 'critical' },
  jndi: { ruleId: 'ssti.jndi-lookup', message: 'JNDI / log4j lookup', paranoia: 1, severity: 'critical' },
  scriptlet: { ruleId: 'ssti.scriptlet', message: 'Server-side scriptlet (<% %>)', paranoia: 1, severity: 'critical' },
  directive: { ruleId: 'ssti.template-directive', message: 'Template directive with code execution', paranoia: 1, severity: 'critical' },
  call: { ruleId: 'ssti.expression-call', message: 'Template expression calling a method, a constructor or an executing function', paranoia: 1, severity: 'critical' },
  expression: { ruleId: 'ssti.template-expression', message: 'Template expression delimiters with an expression body', paranoia: 2, severity: 'warning' },
} as const satisfies Record<string, Rule>;

type RuleKey = keyof typeof R;

/** Openers of `{{ body }}`, `${ body }`, `#{ body }`, `*{ body }`, `@{ body }`, `~{ body }`, `{= body }`. */
const OPENER = /\{\{|[$#*@~]\{|\{=/g;
const MAX_BODY = 300;
const ARITHMETIC = /^\s*=?\s*[-+({]*\s*\d+(?:\.\d+)?\s*[-+*/%]\s*[-+(]*\s*\d+/;
const STRING_REPEAT = /^\s*[{(]*\s*(?:['"][^'"]*['"]\s*\*\s*\d+|\d+\s*\*\s*['"]\d+['"])/;
/** A bare probe of the template context objects: `{{config}}`, `{{self}}`, `${request}`. */
const BARE_OBJECT = /^\s*(?:config|self|request|settings|_self|this|application|session)\s*$/i;
/** Freemarker built-ins applied to a literal number (`${9?lower_abc}`): evaluation, not a placeholder. */
const BUILTIN_ON_LITERAL = /^\s*\d+\s*\?\s*[a-z_]+/i;
/**
 * A dotted path that ends in a credential (`{{ messages.storages.0.signer.key }}` is Django's
 * SECRET_KEY, `{{ e.user.password }}`), or the template engine's own settings (`_.templateSettings`,
 * `_.VERSION`, lodash/underscore): reading these is the disclosure half of template injection.
 */
const SECRET_PATH = /(?:^|[\s=(])[a-z_$][\w$]*(?:\.[\w$]+)*\.(?:password|passwd|secret(?:_?key)?|signer\.key|api_?key|private_?key|secret_?token)\s*$|(?:^|[^\w$.])_\s*\.\s*(?:templatesettings|version)\b/i;
/** Razor `@(7*7)`. */
const RAZOR_PROBE = /@\(\s*\d+\s*[-+*/%]\s*\d+\s*\)/;
/** Interpreter internals reachable from any template language. */
const INTERNALS = /__\s+(?:class|mro|subclasses|globals|builtins|import|init|base|bases)\s*__|__\s*(?:class|mro|subclasses|globals|builtins|import|init|base|bases)\s+__|__(?:class|mro|subclasses|globals|builtins|import|init|base|bases|dict|getattribute|reduce|code)__|\|\s*attr\s*\(|\bconstructor\s*(?:\.\s*constructor|\(|\[)|\bprocess\s*\.\s*(?:mainmodule|env|binding)|\b(?:os|subprocess)\s*\.\s*(?:popen|system|exec\w*|spawn\w*|call|run|check_output)\s*\(/i;
/** Template globals that only matter inside an expression body (Jinja/Flask, Twig). */
const TEMPLATE_OBJECTS = /\b(?:self|config|request|lipsum|cycler|joiner|namespace|url_for|get_flashed_messages|_self|app|range)\s*[.[|(]|\.(?:popen|system|exec|eval|spawn|fork|registerundefinedfiltercallback|getfilter)\s*\(|\brequire\s*\(/i;
const JAVA = /\bT\s*\(\s*java\.|\bjava\.(?:lang|io|net|util)\.|\bruntime\s*\.\s*getruntime|\bprocessbuilder\b|@java\.lang|#_?memberaccess|#context\s*\[|#application\s*\[|\bognl\.|\.getclass\s*\(|\.forname\s*\(|\bclassloader\b|freemarker\.template\.utility|\?new\s*\(|\bscriptengine(?:manager)?\b|\.getdeclared(?:method|field|constructor)s?\s*\(|class\.module\.classloader|\.(?:newinstance|readallbytes|getmethod|getinputstream|waitfor|exec)\s*\(|\(\s*\d+\s*\)\s*\.\s*type\b|\.mainmodule\b/i;
const JNDI = /\$\{\s*jndi\s*:/i;
/** `${::-j}`, `${lower:J}`, `${env:X:-n}`: nested lookups that spell a word once resolved. */
const NESTED_LOOKUP = /\$\{(?:[^${}]{0,40}:-([^${}]{0,10})|(?:lower|upper)\s*:\s*([^${}]{0,10}))\}/gi;
const LOOKUP = /\$\{\s*(?:env|sys|java|ctx|main|date|lower|upper|base64|bundle|docker|k8s|spring|web|log4j|marker|map|sd|event)\s*:/i;
const SCRIPTLET = /<%[=@!#-]?\s*[\w$@'"([]/;
const DIRECTIVE = /<#(?:assign|import|include|list|if|macro|function|setting)\b|#set\s*\(\s*\$|#(?:foreach|evaluate|include|parse|define)\s*\(|\{(?:php|system|exec|include|eval)\b|\{\$smarty\.|\{%\s*(?:import|from|include|extends|set|for|macro|call|filter|with|raw|do)\b[^%]*(?:__|os|popen|system|import|config|request|self|\(\))/i;

/**
 * Inside a template expression: a method call on a value (`''.toUpperCase()`, `x.execute()`), a
 * constructor (`new File(...)`), a cast, a call of a PHP executing function or a dump of the
 * context, filters that call functions by name (`|map('system')`), attribute walks to
 * `class`/`mro`/`subclasses`, or a filter applied to a number (`{{7|add:7}}`).
 */
const EXPRESSION_CALL = /[\w)\]'"]\s*\.\s*[a-z_]\w*\s*\(|\bnew\s*(?:\/\*.*?\*\/)?\s*[a-z_][\w.]*\s*[(/]|\(\s*char\s*\)|\b(?:system|passthru|exec|shell_exec|popen|proc_open|call_user_func|implode|array_map|chr|dump|include|source|eval|attribute|constant)\s*\(|\|\s*(?:map|filter|sort|reduce|attr)\s*\(|\b_(?:context|self)\b|\.\s*_*(?:class|mro|subclasses|base|bases|globals|builtins)_*\s*(?:[.([]|$)|^\s*\d+\s*\|\s*\w+\s*:\s*\d+/i;
/** Velocity: a method call on a reference (`$ex.waitFor()`, `$str.valueOf(...)`), and its directives. */
const VELOCITY = /\$!?\{?[a-z_]\w*(?:\.[a-z_]\w*)*\.[a-z_]\w*\s*\(|#(?:if|elseif|foreach|set|macro)\s*\(\s*\$/i;
/**
 * Template statements that assign, load, include, import or dump (`{% set x = ... %}`,
 * `{% include 'admin/x' %}`, `{% debug %}`); plain control flow (`{% if in_stock %}`) passes.
 * Handlebars block helpers used by sandbox escapes (`{{#with "s" as |string|}}`).
 */
const STATEMENT = /\{%-?\s*(?:set|include|extends|import|from|load|debug|macro|call|filter|get_admin_log|csrf_token|ssi|templatetag)\b[^%]{0,300}%\}|\{%-?\s*(?:set|include|import|debug)\b|\{\{\s*[#/](?:with|each|lookup|let)\b/i;

/** Twig filters that call a PHP function named by a string: `|map('system')`, `|sort("ini_set")`. */
const FILTER_CALLBACK = /\|\s*(?:map|filter|sort|reduce)\s*\(\s*["'](?:system|passthru|exec|shell_exec|popen|proc_open|call_user_func(?:_array)?|ini_set|assert|eval|file_get_contents|file_put_contents|readfile)["']/i;

function mayContainTemplate(value: string): boolean {
  return value.includes('{') || value.includes('@(') || value.includes('<%') || value.includes('<#') || value.includes('#set') ||
    value.includes('$') || value.includes('freemarker') || value.includes('?new') || value.includes(').') || value.includes('.exec') ||
    value.includes('.new') || value.includes('.read') || value.includes('ainModule') ||
    value.includes('#foreach') || value.includes('java.') || value.includes('T(') || value.includes('__') ||
    value.includes('getClass') || value.includes('getRuntime');
}

function checkExpressions(value: string, out: Set<RuleKey>): void {
  OPENER.lastIndex = 0;
  let m: RegExpExecArray | null;
  let count = 0;
  while ((m = OPENER.exec(value)) !== null && count < 32) {
    count += 1;
    const start = m.index + m[0].length;
    const close = value.indexOf('}', start);
    const closed = close !== -1 && close - start <= MAX_BODY;
    const body = value.slice(start, closed ? close : Math.min(value.length, start + MAX_BODY));
    if (closed && (ARITHMETIC.test(body) || STRING_REPEAT.test(body) || (m[0] === '${' && BUILTIN_ON_LITERAL.test(body)))) out.add('probe');
    else if (EXPRESSION_CALL.test(body)) out.add('call');
    else if (TEMPLATE_OBJECTS.test(body) || (closed && BARE_OBJECT.test(body) && m[0] === '{{') || (closed && SECRET_PATH.test(body))) out.add('internals');
    else if (/[().[\]|*+]/.test(body) && /\w/.test(body)) out.add('expression');
  }
}

/** Resolves the nested-lookup obfuscations of log4j payloads (bounded rounds). */
function resolveLookups(value: string): string {
  let current = value;
  for (let round = 0; round < 4; round++) {
    const next = current.replace(NESTED_LOOKUP, (_m, dflt: string | undefined, cased: string | undefined) => dflt ?? cased ?? '');
    if (next === current) break;
    current = next;
  }
  return current;
}

export function detectTemplateInjection(value: string, paranoia: ParanoiaLevel): RuleHit[] {
  if (!mayContainTemplate(value)) return [];
  const found = new Set<RuleKey>();
  if (value.includes('{')) {
    checkExpressions(value, found);
    if (value.includes('${')) {
      if (JNDI.test(value) || LOOKUP.test(value)) found.add('jndi');
      else if (value.includes(':') && JNDI.test(resolveLookups(value))) found.add('jndi');
    }
  }
  if (INTERNALS.test(value)) found.add('internals');
  if (JAVA.test(value)) found.add('javaRuntime');
  if (value.includes('<%') && SCRIPTLET.test(value)) found.add('scriptlet');
  if (value.includes('@(') && RAZOR_PROBE.test(value)) found.add('probe');
  if (DIRECTIVE.test(value)) found.add('directive');
  if (value.includes('$') && VELOCITY.test(value)) found.add('directive');
  if (value.includes('|') && FILTER_CALLBACK.test(value)) found.add('call');
  if ((value.includes('{%') || value.includes('{{')) && STATEMENT.test(value)) found.add('directive');
  // ERB/JSP/Freemarker-square bodies: `<%= ... %>`, `[= ... ]`.
  if (value.includes('[=') && /\[=[^\]]*(?:\?new\s*\(|\.\w+\s*\()/.test(value)) found.add('call');
  const hits: RuleHit[] = [];
  for (const key of found) {
    const r = R[key];
    if (r.paranoia <= paranoia) hits.push({ ruleId: r.ruleId, message: r.message, paranoia: r.paranoia, severity: r.severity });
  }
  return hits;
}
