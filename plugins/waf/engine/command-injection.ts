import type { ParanoiaLevel, RuleHit } from './types.js';

/**
 * OS command injection. A shell only runs an injected command after a command boundary
 * (`;`, `|`, `&`, `&&`, `||`, newline, `$(`, a backtick) or when the whole value is the
 * command. So the value is split at boundaries and each piece is checked for "command word
 * followed by something shaped like shell arguments". Command names that are also English
 * words ("cat", "sleep", "find") must be followed by shell-shaped arguments (an option, a
 * path, a redirect, another boundary), which "Kitten & cat toys" or "Rest; sleep well" are not.
 */

/** The engine's rule shape (types.ts): one definition for every detector. */
type Rule = RuleHit;

const R = {
  chained: { ruleId: 'rce.chained-command', message: 'Shell command after a command separator', paranoia: 1, severity: 'critical' },
  substitution: { ruleId: 'rce.command-substitution', message: 'Command substitution ($(...) or backticks)', paranoia: 1, severity: 'critical' },
  binaryPath: { ruleId: 'rce.binary-path', message: 'Path to a system binary', paranoia: 1, severity: 'critical' },
  leadingCommand: { ruleId: 'rce.bare-command', message: 'Value is a shell command', paranoia: 1, severity: 'critical' },
  windows: { ruleId: 'rce.windows-command', message: 'Windows shell command', paranoia: 1, severity: 'critical' },
  ssi: { ruleId: 'rce.server-side-include', message: 'Server-side include directive', paranoia: 1, severity: 'critical' },
  php: { ruleId: 'rce.php-code', message: 'PHP code or process-execution call', paranoia: 1, severity: 'critical' },
  shellTrick: { ruleId: 'rce.shell-evasion', message: 'Shell evasion construct ($IFS, /dev/tcp, reverse shell)', paranoia: 1, severity: 'critical' },
  pipeLead: { ruleId: 'rce.leading-pipe', message: 'Value starts with a pipe into a program', paranoia: 1, severity: 'critical' },
  obfuscatedWord: { ruleId: 'rce.obfuscated-command', message: 'Command name split by quotes, backslashes or empty expansions', paranoia: 1, severity: 'critical' },
  expansion: { ruleId: 'rce.parameter-expansion', message: 'Shell parameter expansion, variable execution or here-string', paranoia: 1, severity: 'critical' },
  shellshock: { ruleId: 'rce.shellshock', message: 'Bash function definition in a value (Shellshock)', paranoia: 1, severity: 'critical' },
  powershell: { ruleId: 'rce.powershell', message: 'PowerShell cmdlet or download cradle', paranoia: 1, severity: 'critical' },
  argumentInjection: { ruleId: 'rce.argument-injection', message: 'Option that makes a program run a command', paranoia: 1, severity: 'critical' },
  pathGlob: { ruleId: 'rce.path-glob', message: 'Shell glob that expands to a system binary or file (/???/c?t, /etc/pa[s]swd)', paranoia: 1, severity: 'critical' },
} as const satisfies Record<string, Rule>;

type RuleKey = keyof typeof R;

function toWordSet(words: string): ReadonlySet<string> {
  return new Set(words.trim().split(/\s+/));
}

/** Programs with no everyday meaning: seeing one after a boundary is enough. */
const UNAMBIGUOUS = toWordSet(`
  whoami uname ifconfig ipconfig netstat nslookup wget nc ncat netcat zsh ksh tcsh
  powershell pwsh systeminfo tasklist taskkill wmic certutil bitsadmin cscript wscript mshta rundll32
  regsvr32 chmod chown chgrp useradd usermod userdel crontab sudo mkfifo mknod base64 xxd nohup socat
  telnet tftp nmap python2 python3 lsof strace systemctl getent busybox gawk xargs netsh schtasks
  sysinfo
`);

/** Reconnaissance commands that are an attack even as the entire value. */
const RECON = toWordSet('whoami uname ifconfig ipconfig netstat systeminfo tasklist getent');

/** Short shell-only names (not English words) that also run with no arguments. */
const SHELL_SHORT = toWordSet('id ls ps pwd env dir uname lsb_release hostid');

/** Commands that are also English words or names: they need shell-shaped arguments. */
const AMBIGUOUS = toWordSet(`
  cat echo sleep ping set type start copy move del erase find sort head tail more less kill killall
  touch cut make time date test true false which who last host dig net wait read print yes history
  source alias export query tee tar zip unzip gzip od dd ip reg rm mv cp mkdir rmdir ln grep
  exec eval printf timeout locate whereis mount passwd su nl rev tr at sc call cd ver
  curl bash sh dash python perl ruby php sed awk ssh scp rsync gcc openssl hostname uptime
`);

/** cmd.exe is case-insensitive; Unix shells are not, so "Name & ID" is not `id`. */
const WINDOWS_COMMANDS = toWordSet(`
  dir type copy del erase net ver start set call cd ipconfig systeminfo tasklist taskkill netsh ping
  echo cmd powershell wmic certutil bitsadmin cscript wscript mshta rundll32 regsvr32 schtasks nslookup
  move find sort more hostname whoami
`);

const NUMERIC_ARG_COMMANDS = toWordSet('sleep ping timeout kill');
/** Interpreters and filters that only make sense as the target of a pipe. */
const PIPE_SINKS = toWordSet('sh bash dash zsh ksh python python3 perl ruby php node awk sed nc ncat tee xargs base64 sudo');
const NETWORK_COMMANDS = toWordSet('curl wget nc ncat ping nslookup dig host telnet ssh scp ftp tftp');
/** Commands whose arguments are free text; after a tight separator any argument counts. */
const PRINT_COMMANDS = toWordSet('echo printf print');

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** How a piece after a boundary begins: [command name, rest], or null if not a command word. */
function splitCommand(piece: string): [string, string] | null {
  // Quotes and redirections around the name are shell noise: `'id'`, `"cat" /etc/x`, `<id`.
  const m = /^[\s'"(<{]*((?:[a-z]:)?(?:[\\/]?[\w.-]+[\\/])*)([a-z][\w.-]*)/i.exec(piece);
  if (m === null) return null;
  let name = m[2].toLowerCase();
  if (name.endsWith('.exe') || name.endsWith('.com')) name = name.slice(0, -4);
  if (m[2] !== name && m[2] !== name + '.exe' && !WINDOWS_COMMANDS.has(name)) return null;
  return [name, piece.slice(m[0].length)];
}

/** Whether `rest` (what follows a command name) looks like shell arguments. */
function hasShellArguments(name: string, rest: string): boolean {
  const trimmed = rest.replace(/^['"]+/, '').trimStart();
  if (trimmed === '') return true;
  const c = trimmed[0];
  if (c === '`' || c === '>' || c === '<' || c === '$') return true;
  const arg = /^[^\s;|&`'"]+/.exec(trimmed)?.[0] ?? '';
  if (/^-{1,2}[a-z]/i.test(arg) || /^\/[a-z]$/i.test(arg)) return true; // -la, --help, cmd /c
  if (/^(?:\/|~\/|\.{1,2}\/|\\\\|[a-z]:[\\/]?$|[a-z]:[\\/])/i.test(arg)) return true; // paths, drives
  if (IPV4.test(arg)) return true;
  if (NETWORK_COMMANDS.has(name) && (/^(?:https?|ftp|file|gopher|dict):\/\//i.test(arg) || /^[\w.-]+\.[a-z]{2,}(?::\d+)?(?:\/\S*)?$/i.test(arg))) return true;
  if (NUMERIC_ARG_COMMANDS.has(name) && /^\d+$/.test(arg)) {
    const after = trimmed.slice(arg.length).trimStart();
    return after === '' || /^[;|&`'"]/.test(after) || /^-/.test(after) || IPV4.test(after.split(/\s/)[0] ?? '');
  }
  return false;
}

function isCommandEnd(rest: string): boolean {
  return /^['"]*\s*(?:$|[;|&`)<>#])/.test(rest);
}

function isCommandPiece(piece: string, tight: boolean, separator = ''): boolean {
  const parts = splitCommand(piece);
  if (parts === null) return false;
  const [name, rest] = parts;
  if ((separator === '|' || separator === '||') && PIPE_SINKS.has(name) && isCommandEnd(rest)) return true;
  if (tight && PRINT_COMMANDS.has(name) && /^\s+\S/.test(rest)) return true;
  if (UNAMBIGUOUS.has(name)) return /^[\s'"]*$|^[\s'"]*[\s;|&`$)<>-]/.test(rest);
  if (SHELL_SHORT.has(name)) return isCommandEnd(rest) || hasShellArguments(name, rest);
  if (AMBIGUOUS.has(name)) {
    // A lone English word after a loosely spaced separator ("Rest & sleep") is prose.
    if (isCommandEnd(rest)) return tight && /^['"]*\s*(?:$|[|`)])/.test(rest);
    return hasShellArguments(name, rest);
  }
  return false;
}

/** Boundaries: `;` `|` `||` `&` `&&` newline, and `$(` / backtick handled separately. */
const BOUNDARY = /(\|\||&&|[;|&\n\r]|%0a)/gi;

function checkChains(value: string, out: Set<RuleKey>): void {
  BOUNDARY.lastIndex = 0;
  let m: RegExpExecArray | null;
  let count = 0;
  while ((m = BOUNDARY.exec(value)) !== null && count < 64) {
    count += 1;
    const after = value.slice(m.index + m[0].length, m.index + m[0].length + 256);
    // `&` inside an entity or query string (`&amp;`, `a=1&b=2`) is not a shell boundary.
    if (m[0] === '&' && /^[\w#]+[;=]/.test(after)) continue;
    const tight = after.length > 0 && !/^\s/.test(after);
    if (isCommandPiece(after, tight, m[0])) {
      out.add('chained');
      return;
    }
  }
}

const SUBSTITUTION = /\$\(\s*([^)]{1,200})|`([^`]{1,200})`?/g;

function checkSubstitution(value: string, out: Set<RuleKey>): void {
  SUBSTITUTION.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SUBSTITUTION.exec(value)) !== null) {
    // `$(` is shell syntax already: any command in it counts; a backtick pair may be Markdown.
    const dollar = m[1] !== undefined;
    const body = (m[1] ?? m[2] ?? '').replace(/^[`\s]+/, '');
    const parts = splitCommand(body);
    if (parts !== null && (UNAMBIGUOUS.has(parts[0]) || SHELL_SHORT.has(parts[0]) || AMBIGUOUS.has(parts[0]))) {
      const [name, rest] = parts;
      if (dollar || !AMBIGUOUS.has(name) || rest.trim() === '' || hasShellArguments(name, rest)) {
        out.add('substitution');
        return;
      }
    }
  }
}

const BINARY_PATH = /(?:^|[^\w.]|\\[nrt])\/(?:usr\/(?:local\/)?)?s?bin\/[a-z][\w.-]*/i;
const WINDOWS_COMMAND = /(?:^|[^\w])(?:cmd(?:\.exe)?\s*\/[ck]\b|powershell(?:\.exe)?\s+-|dir\s*[a-z]:|net\s+(?:user|localgroup|view|use|share)\b|type\s+[a-z]:[\\/]|(?:ping|nslookup)\.exe\b|copy\s+[a-z]:[\\/]|certutil\s+-|bitsadmin\s+\/)/i;
const SSI = /<!--\s*#\s*(?:exec|include|echo|config|fsize|flastmod|printenv|set)\b/i;
const PHP_CODE = /<\?(?:php\b|=|\s)|(?:^|[^\w$])(?:system|shell_exec|passthru|popen|proc_open|pcntl_exec|phpinfo|assert|create_function|call_user_func(?:_array)?|base64_decode|file_get_contents|file_put_contents|fopen|readfile|highlight_file|show_source|include|require|include_once|require_once|preg_replace|exec|escapeshellcmd|str_rot13|gzinflate)\s*\(\s*['"$`)]/i;
/**
 * A whole short-tag block `<?name ...?>`: with short_open_tag PHP runs whatever follows `<?`.
 * XML's own instructions (`<?xml-stylesheet ...?>`) are not among them, nor any instruction of an
 * XML document (prolog first: `<?mso-application ...?>` in a spreadsheet), which PHP could not
 * run: its `<?xml` would already be a syntax error.
 */
const PHP_SHORT_BLOCK = /<\?(?!xml)[a-z_][^<>]{0,200}\?>/i;
const XML_PROLOG_FIRST = /^[\s\ufeff]*<\?xml\s/i;
const SHELL_TRICK = /\$\{?ifs\}?|\/dev\/(?:tcp|udp)\/|\b(?:ba)?sh\s+-i\b|\bnc(?:at)?\s+(?:-\w+\s+)*-e\s|-e\s+\/bin\/(?:ba)?sh|\{[a-z]+,[^}\s]*\/[^}\s]*\}|\bmkfifo\s|>\s*&\s*\/dev\//i;
const PIPE_LEAD = /^[\s'"]*\|{1,2}[a-z]/i;
/** `<id`, `^id`: a redirect or cmd's escape character before the command that is the whole value. */
const REDIRECT_LEAD = /^[\s'"]*[<^]\s*([a-z][\w.-]*)\s*(?:$|[;|&\r\n])/i;
/**
 * Parameter expansion with operators (`${HOME:0:1}`, `${x//a/b}`, `${!v}`), ANSI-C quoting with
 * escapes (`$'\x69d'`), a variable run as a command after an assignment (`C=id;$C`), `$0` as a
 * command, here-strings and process substitution after a command, cmd substrings (`%PATH:~10,1%`).
 */
const EXPANSION = /\$\{[!#]?[a-z_]\w*(?::-?\d+(?::-?\d+)?|\/\/?[^}]*|##?[^}]*|%%?[^}]*|:[-=?+][^}]*|\^\^?|,,?)\}|\$'[^']*\\(?:x[0-9a-f]{2}|[0-7]{3}|u[0-9a-f]{4})|\b[a-z_]\w*=\S*\s*(?:;|&&|\|\||\n)\s*\$\{?[a-z_]\w*\}?\s*(?:$|[;&|\n])|(?:^|[;&|\n`(])\s*\$\{?0\}?\s*(?:$|[;&|\n)`])|%[a-z_]\w*:~-?\d+(?:,-?\d+)?%/i;
/** `cmd ... <<< word` (group 1) or `<(cmd` / `>(cmd` (group 2). */
const HERE_STRING = /\b([a-z][\w.-]*)\b[^;|&\n]{0,80}<<<|[<>]\(\s*([a-z][\w.-]*)/i;
const SHELLSHOCK = /\(\s*\)\s*\{\s*:?\s*;?\s*\}\s*;/;
/** Windows environment variables that only a command line expands, and registry edits. */
const WINDOWS_TRICK = /%(?:systemroot|windir|comspec|username|userprofile|userdomain|computername|programfiles|commonprogramfiles|appdata|localappdata|temp|tmp|homepath|homedrive|systemdrive|path|os|processor_\w+)%|\breg(?:\.exe)?\s+(?:add|query|delete|save|export|import|load)\s+["']?hk/i;
const POWERSHELL = /\b(?:powershell|pwsh)(?:\.exe)?\s+-[a-z]{1,20}\b|\b(?:invoke-(?:webrequest|restmethod|expression|command|item|wmimethod)|iwr|irm|start-process|start-bitstransfer|new-object\s+(?:-typename\s+)?(?:system\.)?net\.webclient|set-executionpolicy|add-mppreference|get-wmiobject)\b|\.download(?:string|file|data)\s*\(|\[(?:system\.)?convert\]::frombase64string|(?:^|[;|&(]|\s)iex\s*[($]|\|\s*iex\b|\b(?:invoke|start|get|set|remove|new|out|add|stop|copy|move|import|export|convertto|convertfrom|write|read|test)-[a-z]{3,}\s+-[a-z]{2,}|(?:^|\s)-(?:enc|encodedcommand|e|ec)\s+[a-z0-9+/]{20,}={0,2}/i;
const ARGUMENT_INJECTION = /(?:^|[\s'"])-{1,2}(?:o\s*proxycommand|gpu-launcher|renderer-cmd-prefix|browser-subprocess-path|utility-cmd-prefix|use-compress-program|checkpoint-action|to-command|upload-pack|receive-pack)\s*=/i;

/** All command names the detector knows. */
function isKnownCommand(name: string): boolean {
  return UNAMBIGUOUS.has(name) || SHELL_SHORT.has(name) || AMBIGUOUS.has(name) || WINDOWS_COMMANDS.has(name);
}

/**
 * Removes what a shell (or cmd) drops from a word without changing the command: quotes inside
 * words (`w'h'o'am'i`, `wh""oami`), backslashes (`w\ho\am\i`), line continuations, empty
 * expansions (`$@`, `$()`, ````), and cmd's `^` escapes (`p^i^n^g`).
 */
export function unquoteShellWords(value: string): string {
  return value
    .replace(/\\\r?\n/g, '')
    .replace(/\$@|\$\*|\$\(\s*\)|``|\$\{\s*\}/g, '')
    .replace(/(['"])([^'"\s;|&]*)\1/g, '$2')
    .replace(/\\(?=[\w/.-])/g, '')
    .replace(/(?<=\w)\^(?=\w)/g, '');
}

/** Words that became a command name only once their quotes and escapes were removed. */
function checkObfuscatedWords(value: string, out: Set<RuleKey>): void {
  const plain = unquoteShellWords(value);
  if (plain === value) return;
  // A quoted word (`"cat" toys`) is not split: only quotes and escapes inside a word count.
  const before = new Set(value.toLowerCase().split(/[\s;|&<>()`]+/).map((w) => w.replace(/^['"]+|['"]+$/g, '')));
  for (const word of plain.toLowerCase().split(/[\s;|&<>()`]+/)) {
    const name = word.replace(/^.*\//, '');
    if (name.length >= 2 && !before.has(word) && (UNAMBIGUOUS.has(name) || SHELL_SHORT.has(name) || name === 'cat' || name === 'bash' || name === 'sh' || name === 'curl' || name === 'ping' || name === 'echo')) {
      out.add('obfuscatedWord');
      return;
    }
  }
  // `cat /et\c/pa\sswd`, `"\n/bin/ls"`: the unquoted form is judged like any value, and a
  // command with shell arguments that only appeared once unquoted is an attack by itself.
  const again = new Set<RuleKey>();
  checkValue(plain, again);
  const first = splitCommand(plain.trim());
  if (again.size > 0 || (first !== null && isKnownCommand(first[0]) && first[1].trim() !== '' && hasShellArguments(first[0], first[1]))) out.add('obfuscatedWord');
}

function mayContainCommand(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // ; | & ` $ ( / \ < newline
    if (c === 59 || c === 124 || c === 38 || c === 96 || c === 36 || c === 40 || c === 47 || c === 92 || c === 60 || c === 10 || c === 13) return true;
  }
  return false;
}

function checkValue(value: string, out: Set<RuleKey>): void {
  if (!mayContainCommand(value) && !/[\s'"]/.test(value)) {
    // A single bare word: only a reconnaissance command name is worth flagging.
    if (RECON.has(value)) out.add('leadingCommand');
    return;
  }
  const trimmed = value.trim();
  const bare = trimmed.replace(/^['"`]+|['"`]+$/g, '');
  // A value that is nothing but a reconnaissance command (`uname -a`, `'whoami'`).
  const first = splitCommand(bare);
  if (first !== null) {
    const [name, rest] = first;
    if (RECON.has(name) && (rest.trim() === '' || hasShellArguments(name, rest))) out.add('leadingCommand');
    const known = UNAMBIGUOUS.has(name) || AMBIGUOUS.has(name) || SHELL_SHORT.has(name);
    // `ping -n 31 127.0.0.1`, `curl -O http://x/s.sh`, `nc -e /bin/sh 10.0.0.1 4444`
    if (known && /^\s+-{1,2}[a-z]+\s+(?:\S+\s+)*(?:\d{1,3}(?:\.\d{1,3}){3}|https?:\/\/|\/)/i.test(rest)) out.add('leadingCommand');
    if ((SHELL_SHORT.has(name) || UNAMBIGUOUS.has(name)) && /^\s*[;|&`]/.test(rest)) out.add('leadingCommand');
  }
  if (!mayContainCommand(value)) return;
  checkChains(value, out);
  if (value.includes('`') || value.includes('$(')) checkSubstitution(value, out);
  if (value.includes('/') && BINARY_PATH.test(value)) out.add('binaryPath');
  if (WINDOWS_COMMAND.test(value)) out.add('windows');
  if (value.includes('<!--') && SSI.test(value)) out.add('ssi');
  if (value.includes('(') || value.includes('<?')) {
    if (PHP_CODE.test(value) || (value.includes('?>') && PHP_SHORT_BLOCK.test(value) && !XML_PROLOG_FIRST.test(value))) out.add('php');
  }
  if (SHELL_TRICK.test(value)) out.add('shellTrick');
  if (PIPE_LEAD.test(value)) out.add('pipeLead');
}

/** Shell and cmd constructs that need no command separator. */
function checkGrammar(value: string, out: Set<RuleKey>): void {
  const lead = REDIRECT_LEAD.exec(value);
  if (lead !== null && (UNAMBIGUOUS.has(lead[1].toLowerCase()) || SHELL_SHORT.has(lead[1].toLowerCase()))) out.add('leadingCommand');
  if ((value.includes('$') || value.includes('%')) && EXPANSION.test(value)) out.add('expansion');
  if (value.includes('<') || value.includes('>(')) {
    const here = HERE_STRING.exec(value);
    if (here !== null && isKnownCommand((here[1] ?? here[2]).toLowerCase())) out.add('expansion');
  }
  if (value.includes('{') && SHELLSHOCK.test(value)) out.add('shellshock');
  if (WINDOWS_TRICK.test(value)) out.add('windows');
  if (value.includes('-')) {
    if (ARGUMENT_INJECTION.test(value)) out.add('argumentInjection');
    if (POWERSHELL.test(value)) out.add('powershell');
  } else if ((value.includes('.') || value.includes('|') || value.includes('(')) && POWERSHELL.test(value)) out.add('powershell');
  if (DOWNLOAD_VALUE.test(value)) out.add('leadingCommand');
  if (value.includes('/') && (value.includes('?') || value.includes('*') || value.includes('[')) && hasPathGlob(value)) out.add('pathGlob');
}

/**
 * What a shell glob in an injected command is written to reach: interpreters, download and
 * network tools, and the files read to prove the injection worked.
 */
const GLOB_TARGETS = [
  '/bin/sh', '/bin/bash', '/bin/dash', '/bin/zsh', '/bin/cat', '/bin/ls', '/bin/nc', '/bin/netcat', '/bin/busybox', '/bin/echo',
  '/bin/id', '/bin/uname', '/bin/ping', '/bin/sleep', '/bin/rm', '/bin/chmod', '/usr/bin/id', '/usr/bin/whoami', '/usr/bin/wget',
  '/usr/bin/curl', '/usr/bin/nc', '/usr/bin/ncat', '/usr/bin/python', '/usr/bin/python3', '/usr/bin/perl', '/usr/bin/php',
  '/usr/bin/ruby', '/usr/bin/base64', '/usr/bin/env', '/usr/bin/uname', '/usr/bin/cat', '/usr/bin/nslookup',
  '/etc/passwd', '/etc/shadow', '/etc/group', '/etc/hosts', '/etc/issue', '/etc/hostname', '/proc/self/environ',
];
/** A path (absolute, or climbing with `../`) with a `?`, `*` or `[...]` in it. */
const GLOB_PATH = /(?:^|[\s;|&`'"=(<>{,])((?:\.\.\/)*\/?(?:[\w.?*[\]!-]+\/)+[\w.?*[\]!-]+)/g;

function globToRegExp(glob: string): RegExp | null {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '?') re += '[^/]';
    else if (c === '*') re += '[^/]*';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) return null;
      let set = glob.slice(i + 1, end);
      if (set.startsWith('!')) set = '^' + set.slice(1);
      re += '[' + set.replace(/[\\\]]/g, '\\$&') + ']';
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp('^' + re + '$');
}

/** `/???/c?t /???/p??s??`, `cat /etc/pa[s]swd`, `../../e*c/sh?dow`: a glob the shell expands to a known binary or file. */
function hasPathGlob(value: string): boolean {
  GLOB_PATH.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = GLOB_PATH.exec(value)) !== null) {
    const token = m[1];
    // At least one glob character among letters, not a bare `/*/*`.
    if (!/[?*]|\[[^\]/]+\]/.test(token) || /^[/*.]*$/.test(token)) continue;
    const glob = token.replace(/^(?:\.\.\/)+/, '/');
    const re = globToRegExp(glob.startsWith('/') ? glob : '/' + glob);
    if (re !== null && GLOB_TARGETS.some((t) => re.test(t) || (!token.startsWith('/') && re.test(t.slice(t.indexOf('/', 1)))))) return true;
  }
  return false;
}

/** `curl https://x/s.sh`, `wget http://10.0.0.1/x`: a download command that is the whole value. */
const DOWNLOAD_VALUE = /^[\s'"]*(?:curl|wget|nc|ncat|telnet|tftp|ftp|scp|ssh)\s+(?:-{1,2}[\w-]+\s+)*(?:(?:https?|ftp|tftp):\/\/|\d{1,3}(?:\.\d{1,3}){3}\b|[\w.-]+@[\w.-]+:)/i;

export function detectCommandInjection(value: string, paranoia: ParanoiaLevel): RuleHit[] {
  const found = new Set<RuleKey>();
  checkValue(value, found);
  checkGrammar(value, found);
  if (/['"\\`$^]/.test(value) && found.size === 0) checkObfuscatedWords(value, found);
  // `+` is a space in form-encoded data that some stacks never decode.
  if (value.includes('+') && ![...found].some((k) => R[k].paranoia === 1)) checkValue(value.replace(/\+/g, ' '), found);
  const hits: RuleHit[] = [];
  for (const key of found) {
    const r = R[key];
    if (r.paranoia <= paranoia) hits.push({ ruleId: r.ruleId, message: r.message, paranoia: r.paranoia, severity: r.severity });
  }
  return hits;
}
