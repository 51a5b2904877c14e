import { MAX_HEADER_VALUE_LENGTH } from './limits.js';
import { listHeaderValues } from './request-parts.js';
import type { HeaderValue, ParanoiaLevel, RuleHit } from './types.js';

/**
 * HTTP-level anomalies: request smuggling set-ups (conflicting Content-Length and
 * Transfer-Encoding), missing or odd Host, bodies that contradict their Content-Type,
 * methods a storefront never sees, and header values long or binary enough to be an attack.
 */

/** The engine's rule shape (types.ts): one definition for every detector. */
type Rule = RuleHit;

const R = {
  clAndTe: { ruleId: 'protocol.content-length-and-transfer-encoding', message: 'Both Content-Length and Transfer-Encoding (request smuggling)', paranoia: 1, severity: 'critical' },
  conflictingCl: { ruleId: 'protocol.conflicting-content-length', message: 'Multiple differing Content-Length values', paranoia: 1, severity: 'critical' },
  invalidCl: { ruleId: 'protocol.invalid-content-length', message: 'Content-Length is not a decimal number', paranoia: 1, severity: 'critical' },
  invalidTe: { ruleId: 'protocol.invalid-transfer-encoding', message: 'Transfer-Encoding other than plain "chunked"', paranoia: 1, severity: 'critical' },
  missingHost: { ruleId: 'protocol.missing-host', message: 'Missing Host header', paranoia: 1, severity: 'warning' },
  multipleHost: { ruleId: 'protocol.multiple-host', message: 'Multiple Host headers', paranoia: 1, severity: 'critical' },
  numericHost: { ruleId: 'protocol.ip-host', message: 'Host header is an IP address', paranoia: 2, severity: 'warning' },
  bodyWithoutType: { ruleId: 'protocol.body-without-content-type', message: 'Request body without Content-Type', paranoia: 1, severity: 'notice' },
  bodyTypeMismatch: { ruleId: 'protocol.body-content-type-mismatch', message: 'Body does not match its Content-Type', paranoia: 1, severity: 'error' },
  multipartNoBoundary: { ruleId: 'protocol.multipart-without-boundary', message: 'multipart body without a boundary', paranoia: 1, severity: 'critical' },
  unexpectedType: { ruleId: 'protocol.unexpected-content-type', message: 'Content-Type a storefront API does not accept', paranoia: 1, severity: 'warning' },
  bodyOnGet: { ruleId: 'protocol.body-on-get', message: 'GET or HEAD request with a body', paranoia: 1, severity: 'critical' },
  badMethod: { ruleId: 'protocol.disallowed-method', message: 'HTTP method not used by the application', paranoia: 1, severity: 'critical' },
  longHeader: { ruleId: 'protocol.overlong-header', message: 'Header value longer than allowed', paranoia: 1, severity: 'critical' },
  controlChars: { ruleId: 'protocol.header-control-characters', message: 'Control characters in a header value', paranoia: 1, severity: 'critical' },
  tooManyHeaders: { ruleId: 'protocol.too-many-headers', message: 'Unusually many request headers', paranoia: 2, severity: 'warning' },
  manyRanges: { ruleId: 'protocol.range-abuse', message: 'Range header with many ranges', paranoia: 1, severity: 'error' },
} as const satisfies Record<string, Rule>;

const ALLOWED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const ACCEPTED_TYPES = /^(?:application\/(?:json|x-www-form-urlencoded|[\w.+-]*\+json|csp-report|octet-stream)|multipart\/form-data|text\/plain)\b/i;
const MAX_HEADERS = 100;
const NONE: readonly string[] = [];
const MAX_RANGES = 10;

function toRuleHit(r: Rule): RuleHit {
  return { ruleId: r.ruleId, message: r.message, paranoia: r.paranoia, severity: r.severity };
}


function readFirstHeader(headers: Record<string, HeaderValue>, name: string): string | undefined {
  return listHeaderValues(headers[name])[0];
}

function hasControlChars(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 32 && c !== 9) || c === 127) return true;
  }
  return false;
}

function looksLikeJson(body: string): boolean {
  const t = body.trimStart();
  if (t === '') return true;
  const c = t[0];
  if (c !== '{' && c !== '[' && c !== '"' && !/^(?:-?\d|true|false|null)/.test(t)) return false;
  if (t.length > 64 * 1024) return true; // too large to re-parse here; shape is right
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

export interface ProtocolInput {
  method: string;
  headers: Record<string, HeaderValue>;
  rawBody?: string;
  hasBody: boolean;
}

export function detectProtocolAnomalies(req: ProtocolInput, paranoia: ParanoiaLevel): RuleHit[] {
  const found: Rule[] = [];
  const headers = req.headers;
  const method = req.method.toUpperCase();
  if (!ALLOWED_METHODS.has(method)) found.push(R.badMethod);

  const clHeader = headers['content-length'];
  const cl = clHeader === undefined ? NONE : listHeaderValues(clHeader).flatMap((v) => v.split(',')).map((v) => v.trim());
  const te = headers['transfer-encoding'] === undefined ? NONE : listHeaderValues(headers['transfer-encoding']);
  if (cl.length > 0 && te.length > 0) found.push(R.clAndTe);
  if (cl.some((v) => !/^\d{1,15}$/.test(v))) found.push(R.invalidCl);
  else if (new Set(cl).size > 1) found.push(R.conflictingCl);
  if (te.length > 1 || te.some((v) => v.trim().toLowerCase() !== 'chunked' || v !== v.trim())) {
    if (te.length > 0) found.push(R.invalidTe);
  }

  const hosts = listHeaderValues(headers['host']);
  if (hosts.length === 0 || hosts[0].trim() === '') found.push(R.missingHost);
  else if (hosts.length > 1) found.push(R.multipleHost);
  else if (/^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\])(?::\d+)?$/i.test(hosts[0].trim())) found.push(R.numericHost);

  const contentType = readFirstHeader(headers, 'content-type');
  const raw = req.rawBody;
  const hasBody = req.hasBody || (raw !== undefined && raw.length > 0) || cl.some((v) => v !== '0');
  if (hasBody && (method === 'GET' || method === 'HEAD')) found.push(R.bodyOnGet);
  if (hasBody && (method === 'POST' || method === 'PUT' || method === 'PATCH')) {
    if (contentType === undefined || contentType.trim() === '') {
      if (raw === undefined || raw.length > 0) found.push(R.bodyWithoutType);
    } else {
      const type = contentType.toLowerCase();
      if (!ACCEPTED_TYPES.test(type)) found.push(R.unexpectedType);
      if (type.startsWith('multipart/') && !/boundary=/.test(type)) found.push(R.multipartNoBoundary);
      if (raw !== undefined && raw.length > 0) {
        if ((type.startsWith('application/json') || /\+json\b/.test(type)) && !looksLikeJson(raw)) found.push(R.bodyTypeMismatch);
        else if (type.startsWith('application/x-www-form-urlencoded') && /^\s*[[{]/.test(raw)) found.push(R.bodyTypeMismatch);
      }
    }
  }

  const names = Object.keys(headers);
  if (names.length > MAX_HEADERS) found.push(R.tooManyHeaders);
  let long = false;
  let control = false;
  for (const name of names) {
    for (const v of listHeaderValues(headers[name])) {
      if (v.length > MAX_HEADER_VALUE_LENGTH) long = true;
      if (!control && hasControlChars(v)) control = true;
    }
  }
  if (long) found.push(R.longHeader);
  if (control) found.push(R.controlChars);
  const range = readFirstHeader(headers, 'range');
  if (range !== undefined && range.split(',').length > MAX_RANGES) found.push(R.manyRanges);

  return found.length === 0 ? [] : found.filter((r) => r.paranoia <= paranoia).map(toRuleHit);
}
