import type { ParanoiaLevel, RuleHit } from './types.js';

/**
 * Security scanners announce themselves in User-Agent (and a few in dedicated headers).
 * Attack tools are blocked outright; generic HTTP libraries are only suspicious on a
 * storefront that browsers use, so they count at higher paranoia.
 */

/** The engine's rule shape (types.ts): one definition for every detector. */
type Rule = RuleHit;

const R = {
  attackTool: { ruleId: 'scanner.attack-tool', message: 'User-Agent of a vulnerability scanner or attack tool', paranoia: 1, severity: 'critical' },
  scannerHeader: { ruleId: 'scanner.scanner-header', message: 'Header set by a vulnerability scanner', paranoia: 1, severity: 'critical' },
  scriptClient: { ruleId: 'scanner.script-client', message: 'Scripted HTTP client User-Agent', paranoia: 2, severity: 'warning' },
  missingAgent: { ruleId: 'scanner.missing-user-agent', message: 'Missing or empty User-Agent', paranoia: 2, severity: 'notice' },
} as const satisfies Record<string, Rule>;

const ATTACK_TOOLS = new RegExp(
  '(?:' + [
    'sqlmap', 'nikto', 'nmap', 'masscan', 'zgrab', 'acunetix', 'netsparker', 'invicti', 'nessus', 'openvas', 'w3af',
    'wpscan', 'joomscan', 'droopescan', 'dirbuster', 'dirb\\b', 'gobuster', 'feroxbuster', '\\bffuf', 'wfuzz', 'burp',
    'owasp[ _-]?zap', 'zaproxy', 'havij', 'arachni', 'skipfish', 'whatweb', 'nuclei', 'jaeles', 'appscan', 'webinspect',
    'qualys', 'fimap', 'commix', 'xsser', 'xsstrike', 'grabber', 'paros', 'sqlninja', 'bsqlbf', 'brutus', 'hydra',
    'medusa', 'httprint', '\\bvega/', 'morfeus', 'zmeu', 'jorgee', 'dotdotpwn', 'sqlsus', 'pangolin', 'bbqsql',
    'wapiti', 'webshag', 'websecurify', 'nmap scripting engine', 'crowdstrike', 'detectify', 'intruder\\.io',
    'probely', 'tenable', 'rapid7', 'metasploit', 'beef-', 'struts-pwn', 'log4shell', 'interactsh', 'sslyze',
    'testssl', 'wpscan', 'cms-?explorer', 'blackwidow', 'n-stealth', 'webvulnscan', 'netlab360', 'l9explore',
    'fuzz faster u fool', 'python-sqlmap', 'absinthe', 'mysqloit', 'sqlpowerinjector', 'pmafind',
  ].join('|') + ')',
  'i',
);

const SCRIPT_CLIENTS = /^(?:curl|wget|python-requests|python-urllib|python-httpx|aiohttp|go-http-client|java\/|okhttp|libwww-perl|lwp::|php\/|ruby|axios|node-fetch|undici|httpie|powershell|winhttp|apache-httpclient|scrapy|mechanize)/i;

const SCANNER_HEADERS = ['acunetix-product', 'acunetix-scanning-agreement', 'acunetix-user-agreement', 'x-scanner', 'x-wipp', 'x-ratproxy-loop', 'x-requested-with-scanner', 'qualys-scan', 'x-scan-memo', 'x-arachni-scan-seed'];

function toRuleHit(r: Rule): RuleHit {
  return { ruleId: r.ruleId, message: r.message, paranoia: r.paranoia, severity: r.severity };
}

type AgentKind = 'missing' | 'attack' | 'script' | 'other';

/** The same few User-Agent strings arrive on nearly every request: classify each once. */
let young = new Map<string, AgentKind>();
let old = new Map<string, AgentKind>();
const AGENT_MEMO = 1024;

function classifyAgent(ua: string): AgentKind {
  if (ua.trim() === '') return 'missing';
  if (ATTACK_TOOLS.test(ua)) return 'attack';
  return SCRIPT_CLIENTS.test(ua) ? 'script' : 'other';
}

function classifyAgentCached(ua: string): AgentKind {
  let kind = young.get(ua);
  if (kind !== undefined) return kind;
  kind = old.get(ua) ?? classifyAgent(ua);
  if (young.size >= AGENT_MEMO) {
    old = young;
    young = new Map();
  }
  young.set(ua, kind);
  return kind;
}

export function detectScannerAgent(userAgent: string | undefined, paranoia: ParanoiaLevel): RuleHit[] {
  const kind = classifyAgentCached((userAgent ?? '').slice(0, 1024));
  if (kind === 'missing') return R.missingAgent.paranoia <= paranoia ? [toRuleHit(R.missingAgent)] : [];
  if (kind === 'attack') return [toRuleHit(R.attackTool)];
  if (kind === 'script' && R.scriptClient.paranoia <= paranoia) return [toRuleHit(R.scriptClient)];
  return [];
}

/** Header names are expected lower-cased (as Node delivers them). */
export function detectScannerHeaders(headerNames: readonly string[]): RuleHit[] {
  for (const name of headerNames) {
    if (SCANNER_HEADERS.includes(name)) return [toRuleHit(R.scannerHeader)];
  }
  return [];
}
