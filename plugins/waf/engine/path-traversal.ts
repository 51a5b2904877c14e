import type { ParanoiaLevel, RuleHit } from './types.js';

/**
 * Path traversal and local file inclusion. Decoding (URL, double URL, overlong UTF-8, `%u`)
 * happens before this runs, so `..%c0%af` arrives here as `../`. What remains is recognising
 * the shapes: dot-dot segments in their obfuscated spellings, well-known sensitive files,
 * Windows drive paths, and stream wrappers that turn an include into a file read.
 */

/** The engine's rule shape (types.ts): one definition for every detector. */
type Rule = RuleHit;

const R = {
  traversal: { ruleId: 'lfi.dot-dot-segment', message: 'Directory traversal segment', paranoia: 1, severity: 'critical' },
  sensitiveFile: { ruleId: 'lfi.sensitive-file', message: 'Well-known sensitive system or application file', paranoia: 1, severity: 'critical' },
  wrapper: { ruleId: 'lfi.stream-wrapper', message: 'File or stream wrapper URL', paranoia: 1, severity: 'critical' },
  windowsPath: { ruleId: 'lfi.windows-path', message: 'Absolute Windows path', paranoia: 1, severity: 'critical' },
  dotSegments: { ruleId: 'lfi.dot-segment-padding', message: 'Repeated ./ segments used to defeat path filters', paranoia: 1, severity: 'critical' },
  separators: { ruleId: 'lfi.redundant-separators', message: 'Runs of path separators used to defeat path filters', paranoia: 1, severity: 'critical' },
  absolutePath: { ruleId: 'lfi.absolute-unix-path', message: 'Absolute path into a system directory', paranoia: 2, severity: 'warning' },
  truncation: { ruleId: 'lfi.path-truncation', message: 'Overlong padded path (path truncation)', paranoia: 1, severity: 'critical' },
  dotPadding: { ruleId: 'lfi.dot-padding', message: 'Run of dots before a file name', paranoia: 1, severity: 'critical' },
} as const satisfies Record<string, Rule>;

type RuleKey = keyof typeof R;

/** `../`, `..\`, `....//`, `.../`, `/..` at the end, `/..` glued to a file name. */
const DOT_DOT = /(?:^|[\\/])(?:\.\.|\.{4,})(?:[\\/]|$)|(?:^|[\\/])\.{3}[\\/]|[\\/]\.\.(?!\.)|[\\/]\.{3,}(?![\s.\w]|$)|\.\.;[\\/]/;
const DOT_SEGMENTS = /(?:[\\/]+\.){2,}(?![\w.])|^(?:\.[\\/]){2,}|^[\\/]\.[\\/]$/;
/** `......boot.ini`: dot padding in front of a file name, left over when separators are stripped. */
const DOT_PADDING = /\.{6,}[\w-]*\.(?:ini|xml|asa|asax|conf|config|cnf|log|php|inc|txt|sys|bat|dat|htaccess|htpasswd)\b/i;
/** Path truncation: a path padded past the length at which old runtimes cut it. */
const TRUNCATION_LENGTH = 256;
const LONG_RUN = /(.)\1{199}/;
const SEPARATOR_RUNS = /^[\\/]{3,}|[\\/]{4,}/;
const WRAPPER = /(?:^|[^a-z0-9])(?:php|file|zip|phar|expect|glob|data|zlib|rar|ogg|ssh2|gopher|dict|ldap|tftp|netdoc|jar|compress\.zlib|compress\.bzip2):(?:\/\/|[\\/]|[a-z]:)/i;
const WINDOWS_PATH = /(?:^|[\s"'=(|;,&])[a-z]:(?:[\\/]|[\w.$-]*\.(?:ini|asa|asax|sys|bat|cmd|exe|dll|log|cnf|conf|config|inf|xml|txt|php|dat)\b)/i;
const SYSTEM_DIR = /(?:^|[\s"'=(|;,&])\/(?:etc|proc|sys|dev|var|usr|bin|sbin|boot|root|home|tmp|opt)\/[\w.-]/;

/**
 * Files whose only reason to appear in a request value is that someone wants to read them.
 * Matched on a lower-cased copy with backslashes turned into slashes; several entries also
 * cover the separator-stripped spellings (`etcpasswd`) that broken filters produce.
 */
const SENSITIVE_FILES = new RegExp([
  'etc/passwd', 'etcpasswd', 'etc/shadow', 'etcshadow', 'etc/group', 'etc/hosts', 'etc/issue', 'etc/motd',
  'etc/sudoers', 'etc/crontab', 'etc/httpd', 'etc/apache', 'etc/nginx', 'etc/mysql', 'etc/my.cnf',
  'proc/self/', 'proc/version', 'proc/cmdline', 'proc/sched_debug', 'proc/mounts',
  'boot.ini', 'win.ini', 'system.ini', 'windows/system32', 'winnt/system32', 'system32/drivers',
  'inetpub', 'global.asa', 'web.config', 'web.xml', 'web-inf', 'meta-inf/', '/.htaccess', '.htpasswd',
  '/.env', '/.git/', '.git/config', '/.ssh/', 'id_rsa', 'authorized_keys', 'wp-config.php', 'php.ini',
  'my.cnf', 'httpd.conf', '/var/log/', 'access_log', 'access.log', 'error_log', '.bash_history', '.bashrc',
  'autoexec.bat', 'repair/sam', 'system32/config', 'appsettings.json', 'database.yml', 'localsettings.php',
  '/.aws/credentials', '/.docker/config', 'server.xml', 'tomcat-users.xml',
].map((f) => f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'));

/** `..0x2f..0x2f`: hex spelled as text by some payload generators and decoded by some apps. */
function decodeHexSpelling(value: string): string {
  return value.replace(/0x2e/gi, '.').replace(/0x2f/gi, '/').replace(/0x5c/gi, '\\');
}

function mayContainPath(value: string): boolean {
  return value.includes('.') || value.includes('/') || value.includes('\\') || value.includes(':');
}

function checkPath(value: string, out: Set<RuleKey>): void {
  if (DOT_DOT.test(value)) out.add('traversal');
  if (DOT_SEGMENTS.test(value)) out.add('dotSegments');
  if (SEPARATOR_RUNS.test(value)) out.add('separators');
  if (value.includes(':')) {
    if (WRAPPER.test(value)) out.add('wrapper');
    if (WINDOWS_PATH.test(value)) out.add('windowsPath');
  }
  if (value.length >= 6 && DOT_PADDING.test(value)) out.add('dotPadding');
  if (value.length >= TRUNCATION_LENGTH && /^[.\\/]/.test(value) && (value.includes('..') || LONG_RUN.test(value))) out.add('truncation');
  const lower = value.toLowerCase().replace(/\\/g, '/');
  if (SENSITIVE_FILES.test(lower)) out.add('sensitiveFile');
  if (lower.includes('/') && SYSTEM_DIR.test(lower)) out.add('absolutePath');
}

export function detectPathTraversal(value: string, paranoia: ParanoiaLevel): RuleHit[] {
  if (!mayContainPath(value)) return [];
  const found = new Set<RuleKey>();
  checkPath(value, found);
  if (/0x(?:2e|2f|5c)/i.test(value)) checkPath(decodeHexSpelling(value), found);
  const hits: RuleHit[] = [];
  for (const key of found) {
    const r = R[key];
    if (r.paranoia <= paranoia) hits.push({ ruleId: r.ruleId, message: r.message, paranoia: r.paranoia, severity: r.severity });
  }
  return hits;
}
