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
  windowsSystemPath: { ruleId: 'lfi.windows-system-path', message: 'Windows path into system, server or configuration files', paranoia: 1, severity: 'critical' },
  windowsPath: { ruleId: 'lfi.windows-path', message: 'Absolute Windows path', paranoia: 2, severity: 'warning' },
  systemPath: { ruleId: 'lfi.system-path-value', message: 'Value is a path into a system directory or to a server file', paranoia: 1, severity: 'critical' },
  dotfile: { ruleId: 'lfi.restricted-dotfile', message: 'Version-control, environment or tool dotfile', paranoia: 1, severity: 'critical' },
  obfuscated: { ruleId: 'lfi.obfuscated-traversal', message: 'Traversal or file name hidden in broken or nested encodings', paranoia: 1, severity: 'critical' },
  encodedTraversal: { ruleId: 'lfi.base64-traversal', message: 'Base64-encoded traversal or system path', paranoia: 1, severity: 'critical' },
  uncPath: { ruleId: 'lfi.unc-path', message: 'UNC path to a network share (remote inclusion)', paranoia: 1, severity: 'critical' },
  remoteInclude: { ruleId: 'lfi.remote-file-inclusion', message: 'URL of a script or text file cut short for inclusion', paranoia: 1, severity: 'critical' },
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
/**
 * A Windows path is everyday in a form field (`C:\\fakepath\\photo.jpg`, `D:\\Projects\\plan.xlsx`);
 * one into the system, a server stack, or to a configuration or log file is not.
 */
const WINDOWS_SYSTEM_PATH = /(?:^|[^\w])(?:[a-z]:)?[\\/]+(?:windows|winnt|inetpub|boot\.ini|pagefile\.sys|\$recycle\.bin|system volume information|xampp|wamp\d*|apache\d*|nginx|php\d*|mysql|tomcat\d*|programdata[\\/]|documents and settings[\\/]|users[\\/][^\\/]+[\\/](?:ntuser|appdata)|program files(?: \(x86\))?[\\/](?:apache|xampp|mysql|php|tomcat|iis|microsoft sql|filezilla|mercury))(?:[\\/]|$|\.ini)|(?:^|[^\w])[a-z]:[\\/]?(?:[^\\/:*?"<>|\r\n]+[\\/])*[^\\/:*?"<>|\r\n]*\.(?:ini|sys|log|cnf|conf|config|inf|asa|asax|dat|cfg)\b/i;
/**
 * A value that is nothing but a path into a system directory (`/etc/fstab`, `/var/log`,
 * `/proc/1/environ`). Directories that sites also use for routes or assets (`/lib/`, `/opt/`,
 * `/srv/`) are left out.
 */
const SYSTEM_PATH_VALUE = /^\s*(?:file:\/\/)?\/+(?:etc|proc|sys|var|usr|bin|sbin|boot|root|run\/secrets|dev\/(?:tcp|udp|shm|mem|kmem|null|zero|u?random|fd|std(?:in|out|err))|private\/(?:etc|var))(?:\/[^\s]*)?\s*$/i;
/** A path-only value ending in a configuration, log, key or database file, or inside a logs directory. */
const SERVER_FILE_VALUE = /^\s*[\\/](?:[^\s\\/]+(?: [^\s\\/]+)*[\\/])*[^\s\\/]*(?:\.(?:log|conf|cnf|ini|cfg|config|inf|htaccess|htpasswd|pem|key|sqlite3?|db|pdb|bak|sql|swp|old|inc)|_log)\s*$|^\s*[\\/](?:[\w .()-]+[\\/])*logs?[\\/]/i;
/** Dotfiles and dot-directories of shells, version control, package managers and cloud tools. */
const DOTFILE = /(?:^|[\\/=])\.(?:bash_\w+|bashrc|zshrc|zsh_history|profile|cshrc|tcshrc|login|logout|netrc|rhosts|shosts|forward|xauthority|sh_history|mysql_history|psql_history|python_history|viminfo|lesshst|git|svn|hg|bzr|env(?:\.[\w-]+)?|npmrc|yarnrc|pypirc|dockerenv|docker|aws|ssh|kube|gnupg|gitconfig|git-credentials|htpasswd|htaccess|ds_store|idea|vscode|passwd|composer|config)(?=$|[\\/\s\0?#]|%00)/i;
/** Anything but a letter or white space, including broken escapes (`%c0%qf`, `%%35%%63`, `%uEFC8`, `0x2f`). */
const JUNK = String.raw`(?:%u[0-9a-f]{4}|%[0-9a-z]{1,2}|0x[0-9a-f]{2}|[0-9][0-9a-f]|[^a-z\s])`;
/** Sensitive names whose parts are held apart by encoding junk (`etc%c0%qfpasswd`, `windows%2%fsystem32`). */
const JUNK_SEPARATED = new RegExp(String.raw`etc(?:${JUNK}){1,16}(?:passwd|shadow|issue|hosts|group|motd|fstab|crontab|sudoers)|(?:windows|winnt)(?:${JUNK}){1,16}(?:system32|win(?:${JUNK}){1,8}ini|system(?:${JUNK}){1,8}ini|repair)|system32(?:${JUNK}){1,16}(?:drivers|config)|boot(?:${JUNK}){1,12}ini\b`, 'i');
/** Four or more dots interleaved with junk: `..%bg%qf..%bg%qf`, `%c0.%c0.`, `.\0.%5%c`. */
const JUNK_DOTS = new RegExp(String.raw`(?:\.(?:${JUNK}){0,8}){4,}`, 'gi');
/** Base64 of `../`, `..\`, `/etc/`, `etc/passwd`. */
const BASE64_TRAVERSAL = /Li4v(?:Li4v|ZXRj|d2lu)|Li4vLi4|Li4cLi4c|L2V0Yy9wYXNzd2|ZXRjL3Bhc3N3ZA|ZXRjL3NoYWRvdw|L2V0Yy9zaGFkb3c|Li4vZXRj/;
const UNC_PATH = /^\s*(?:\\\\|\/\/)(?:[\w.-]+|\[[0-9a-f:]+\])[\\/][\w$.-]+[\\/]?/i;
const REMOTE_INCLUDE = /^\s*(?:https?|ftp):\/\/[^\s?#]+\.(?:php\d?|phtml|inc|txt|pl|cgi|sh|asp|aspx|jsp)(?:\?+\s*$|\0|%00)/i;
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

function hasJunkDots(value: string): boolean {
  JUNK_DOTS.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = JUNK_DOTS.exec(value)) !== null) {
    // Plain dot runs are prose ("wait....") or caught as traversal; junk between them is not.
    if (/%|0x|\ufffd|\0/.test(m[0])) return true;
    if (m[0].length === 0) JUNK_DOTS.lastIndex += 1;
  }
  return false;
}

function mayContainPath(value: string): boolean {
  return value.includes('.') || value.includes('/') || value.includes('\\') || value.includes(':') || value.includes('%');
}

function checkPath(value: string, out: Set<RuleKey>): void {
  if (DOT_DOT.test(value)) out.add('traversal');
  if (DOT_SEGMENTS.test(value)) out.add('dotSegments');
  if (SEPARATOR_RUNS.test(value)) out.add('separators');
  if (value.includes(':')) {
    if (WRAPPER.test(value)) out.add('wrapper');
    if (WINDOWS_PATH.test(value)) out.add('windowsPath');
  }
  if ((value.includes('\\') || value.includes('/') || value.includes(':')) && WINDOWS_SYSTEM_PATH.test(value)) out.add('windowsSystemPath');
  const path = value.includes('\0') ? value.replace(/\0/g, '') : value;
  if (SYSTEM_PATH_VALUE.test(path) || SERVER_FILE_VALUE.test(path)) out.add('systemPath');
  if (value.includes('.') && DOTFILE.test(value)) out.add('dotfile');
  if ((value.includes('\\\\') || value.includes('//')) && UNC_PATH.test(value)) out.add('uncPath');
  if (value.includes('://') && REMOTE_INCLUDE.test(value)) out.add('remoteInclude');

  if (value.length >= 6 && DOT_PADDING.test(value)) out.add('dotPadding');
  if (value.length >= TRUNCATION_LENGTH && /^[.\\/]/.test(value) && (value.includes('..') || LONG_RUN.test(value))) out.add('truncation');
  if (JUNK_SEPARATED.test(value) || hasJunkDots(value)) out.add('obfuscated');
  const lower = value.toLowerCase().replace(/\\/g, '/');
  if (SENSITIVE_FILES.test(lower)) out.add('sensitiveFile');
  if (lower.includes('/') && SYSTEM_DIR.test(lower)) out.add('absolutePath');
}

export function detectPathTraversal(value: string, paranoia: ParanoiaLevel): RuleHit[] {
  const base64 = (value.includes('Li4') || value.includes('ZXRj') || value.includes('L2V0')) && BASE64_TRAVERSAL.test(value);
  if (!base64 && !mayContainPath(value)) return [];
  const found = new Set<RuleKey>();
  if (base64) found.add('encodedTraversal');
  checkPath(value, found);
  if (/0x(?:2e|2f|5c)/i.test(value)) checkPath(decodeHexSpelling(value), found);
  const hits: RuleHit[] = [];
  for (const key of found) {
    const r = R[key];
    if (r.paranoia <= paranoia) hits.push({ ruleId: r.ruleId, message: r.message, paranoia: r.paranoia, severity: r.severity });
  }
  return hits;
}
