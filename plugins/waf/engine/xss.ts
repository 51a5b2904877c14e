import { decodeHtmlEntities } from './html-entities.js';
import { tokenizeHtml, type HtmlContext, type HtmlToken } from './html-tokenizer.js';
import type { ParanoiaLevel, RuleHit, Severity } from './types.js';

/**
 * Cross-site scripting detection on an HTML token stream. The value is tokenized as it would
 * be parsed in each place it can be reflected (markup, inside a quoted or unquoted attribute)
 * and flagged only for constructs that make a browser run script: script-capable elements,
 * event-handler attributes, script URLs in URL-valued attributes, CSS expressions/bindings,
 * IE conditional comments. Plain text with `<`, `>` or `&` ("<3", "a < b > c", "Tom & Jerry")
 * never produces such tokens. A second, markup-free pass catches script URLs and JavaScript
 * sinks for values reflected into href attributes or inline scripts.
 */

interface XssRule {
  ruleId: string;
  message: string;
  paranoia: ParanoiaLevel;
  severity: Severity;
}

const R = {
  tag: { ruleId: 'xss.dangerous-tag', message: 'Script-capable HTML element', paranoia: 1, severity: 'critical' },
  handler: { ruleId: 'xss.event-handler', message: 'Event-handler attribute', paranoia: 1, severity: 'critical' },
  url: { ruleId: 'xss.script-url-attribute', message: 'Script URL in a URL-valued attribute', paranoia: 1, severity: 'critical' },
  style: { ruleId: 'xss.style-injection', message: 'CSS expression, binding or URL in a style attribute', paranoia: 1, severity: 'critical' },
  attribute: { ruleId: 'xss.dangerous-attribute', message: 'Attribute that loads or evaluates content', paranoia: 1, severity: 'critical' },
  comment: { ruleId: 'xss.ie-comment', message: 'IE conditional comment or XML processing construct', paranoia: 1, severity: 'critical' },
  scriptUri: { ruleId: 'xss.javascript-uri', message: 'javascript:/vbscript: URI with code', paranoia: 1, severity: 'critical' },
  dataUri: { ruleId: 'xss.data-uri', message: 'data: URI carrying HTML, script or SVG', paranoia: 1, severity: 'critical' },
  sink: { ruleId: 'xss.js-sink', message: 'Call to a JavaScript execution or dialog sink', paranoia: 1, severity: 'critical' },
  dom: { ruleId: 'xss.dom-access', message: 'Access to cookies, location or DOM writing APIs', paranoia: 1, severity: 'critical' },
  cssExpression: { ruleId: 'xss.css-expression', message: 'CSS expression() or binding', paranoia: 1, severity: 'critical' },
  obfuscatedStyle: { ruleId: 'xss.obfuscated-style', message: 'Malformed or escaped CSS in an injected style attribute', paranoia: 1, severity: 'critical' },
  anyStyle: { ruleId: 'xss.style-attribute', message: 'Inline style attribute in injected markup', paranoia: 2, severity: 'warning' },
  styleText: { ruleId: 'xss.style-text', message: 'style= outside markup', paranoia: 2, severity: 'warning' },
  breakoutProbe: { ruleId: 'xss.attribute-breakout', message: 'Quote closed and a tag opened (attribute breakout)', paranoia: 1, severity: 'critical' },
  closeTag: { ruleId: 'xss.script-context-close', message: 'Closing tag that ends a script, style or raw-text block', paranoia: 1, severity: 'critical' },
  htmlTag: { ruleId: 'xss.html-tag', message: 'HTML element with attributes', paranoia: 2, severity: 'warning' },
  structureTag: { ruleId: 'xss.structure-tag', message: 'Document, form or media element injected (page structure, credential forms, remote loads)', paranoia: 1, severity: 'critical' },
  markupComment: { ruleId: 'xss.markup-comment', message: 'HTML comment opened (hides the rest of the page)', paranoia: 1, severity: 'critical' },
  sinkReference: { ruleId: 'xss.js-sink-reference', message: 'JavaScript sink taken as a value and called, or reached by a computed property', paranoia: 1, severity: 'critical' },
  encodedProbe: { ruleId: 'xss.encoded-markup-probe', message: 'Value made only of encoded angle brackets (filter probe)', paranoia: 1, severity: 'critical' },
  anyTag: { ruleId: 'xss.any-tag', message: 'HTML-like tag', paranoia: 3, severity: 'notice' },
} as const satisfies Record<string, XssRule>;

type RuleKey = keyof typeof R;

/** Elements that run script or load active content by merely being present. */
const DANGEROUS_TAGS = new Set([
  'script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'link', 'meta', 'style',
  'import', 'isindex', 'vmlframe', 'handler', 'listener', 'noscript', 'layer', 'ilayer', 'bgsound', 'comment',
  'portal',
]);
const DANGEROUS_TAG_PREFIXES = ['svg', 'xsl'];
/**
 * Names among those that an XML document (a product feed, a carrier's or payment provider's
 * webhook) uses for its own elements: RSS has `<link>`, feeds `<meta>`, `<style>`, `<base>`. In a
 * document they are data; script, frames, objects, SVG and XSLT count there as anywhere.
 */
const XML_ELEMENT_NAMES = new Set(['link', 'meta', 'base', 'style', 'import', 'comment', 'layer', 'ilayer', 'noscript', 'bgsound', 'isindex']);
/**
 * Elements that restructure the page (html, head, body), collect input (a form posting a
 * password elsewhere), or play remote media: never in shop text, and rich-text formatting
 * (`<b>`, `<br />`, `<a href="/x">`, `<table>`, `<span class>`, `<img src="a.png">`, and `<xml>`,
 * WeChat Pay's root: paranoia 2)
 * is not among them.
 */
const STRUCTURE_TAGS = new Set([
  'math', 'template', 'form', 'button', 'input', 'video', 'audio', 'marquee', 'textarea', 'select', 'keygen',
  'body', 'html', 'head', 'source', 'foreignobject', 'feimage',
]);
const PL2_TAGS = new Set(['details', 'img', 'image', 'xml']);
/** Closing these ends the page's own document, head, body or form. */
const STRUCTURE_CLOSE_TAGS = new Set(['html', 'head', 'body', 'form', 'math', 'foreignobject']);

/** Attributes whose value is fetched or navigated to. */
const URL_ATTRIBUTES = new Set([
  'href', 'src', 'action', 'formaction', 'background', 'lowsrc', 'dynsrc', 'poster', 'data', 'code', 'codebase',
  'xlink:href', 'from', 'to', 'values', 'by', 'folder', 'handler', 'cite', 'longdesc', 'usemap', 'profile',
  'srcset', 'ping', 'manifest', 'icon', 'archive', 'classid', 'content', 'location', 'url', 'xml:base',
]);
const ALWAYS_DANGEROUS_ATTRIBUTES = new Set(['srcdoc', 'datasrc', 'datafld', 'dataformatas', 'fscommand', 'seeksegmenttime', 'xmlns:xlink']);
const STYLE_ATTRIBUTES = new Set(['style', 'filter']);
/** Closing these ends a script/raw-text block the value was reflected into. */
const RAW_TEXT_TAGS = new Set(['script', 'style', 'iframe', 'noscript', 'xmp', 'textarea', 'title', 'plaintext', 'noembed', 'noframes', 'template', 'svg']);

const SAFE_DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp|bmp|x-icon|avif|vnd\.microsoft\.icon)[;,]/;
const SCRIPT_SCHEMES = ['javascript:', 'vbscript:', 'livescript:', 'mocha:', 'jscript:', 'ecmascript:', 'view-source:', 'feed:', 'jar:', 'ms-its:', 'mhtml:', 'firefoxurl:', 'x-javascript:'];

/** Removes what URL and CSS parsers ignore (controls, whitespace, NUL) and lower-cases. */
function stripIgnorable(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c <= 32 || (c >= 0x7f && c <= 0xa0) || c === 0x2028 || c === 0x2029 || c === 0xfeff || c === 0x200b) continue;
    out += raw[i];
  }
  return out.toLowerCase();
}

function isScriptUrl(raw: string): boolean {
  const url = stripIgnorable(decodeHtmlEntities(raw));
  if (url.startsWith('data:')) return !SAFE_DATA_IMAGE.test(url);
  for (const scheme of SCRIPT_SCHEMES) if (url.startsWith(scheme)) return true;
  // `http://;URL=javascript:...` in a meta refresh content value.
  return url.includes('url=javascript:') || url.includes('url=vbscript:') || url.includes('url=data:');
}

const CSS_ESCAPE = /\\([0-9a-f]{1,6})\s?|\\(.)/gi;
const CSS_COMMENT = /\/\*[\s\S]*?(?:\*\/|$)/g;
const DANGEROUS_CSS = /expression\(|url\(|behaviou?r:|-moz-binding|@import|javascript:|vbscript:|-o-link|-ms-behavior|binding:/;

function normalizeCss(raw: string): string {
  const decoded = decodeHtmlEntities(raw)
    .replace(CSS_COMMENT, '')
    .replace(CSS_ESCAPE, (_m, hex: string | undefined, ch: string | undefined) =>
      hex !== undefined ? String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff) || 0xfffd) : (ch ?? ''));
  return stripIgnorable(decoded);
}

function isDangerousStyle(raw: string): boolean {
  return DANGEROUS_CSS.test(normalizeCss(raw));
}

function hasControlChars(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13) return true;
  }
  return false;
}

const CSS_DECLARATION = /^\s*-?[a-z][a-z-]*\s*:\s*[\w\s,.%#!+/-]*$/i;
const CSS_QUOTED = /(^|[\s:,])(['"])[^'";\\\n]*\2(?=\s|,|;|$)/g;
const CSS_FUNCTION = /\b[a-z-]+\([\w\s,.%#+/-]*\)/gi;

/**
 * Rich-text editors write plain declarations (`color: red; font-family: 'Open Sans'`). CSS
 * parser-confusion attacks need escapes, braces, brackets, entities or stray quotes; a value
 * that is not a clean list of declarations is treated as one.
 */
function isWellFormedStyle(raw: string): boolean {
  const css = decodeHtmlEntities(raw);
  if (/[\\{}[\]<>`*&@]/.test(css) || hasControlChars(css)) return false;
  const unquoted = css.replace(CSS_QUOTED, '$1Q');
  if (/['"]/.test(unquoted)) return false;
  const plain = unquoted.replace(CSS_FUNCTION, 'F');
  if (/[()]/.test(plain)) return false;
  return plain.split(';').every((decl) => decl.trim() === '' || CSS_DECLARATION.test(decl));
}

function listTagNames(name: string): string[] {
  const names = [name];
  const lt = name.lastIndexOf('<');
  if (lt !== -1) names.push(name.slice(lt + 1));
  const colon = name.indexOf(':');
  if (colon !== -1) names.push(name.slice(colon + 1));
  return names;
}

function isDangerousTag(name: string, xmlDocument: boolean): boolean {
  for (const n of listTagNames(name)) {
    if (DANGEROUS_TAGS.has(n) && !(xmlDocument && XML_ELEMENT_NAMES.has(n))) return true;
    for (const p of DANGEROUS_TAG_PREFIXES) if (n.startsWith(p)) return true;
  }
  return false;
}

const EVENT_HANDLER = /^on[a-z]{3,}/;
/**
 * IE conditional comments, `<?import`, `<?xml-stylesheet`, `<?xml:namespace` and `<!ENTITY`. A bare
 * XML prolog (`<?xml version="1.0"?>`) is how every XML document starts and is not among them.
 */
const COMMENT_MARKERS = /^\s*\[if|^\s*import|^\s*entity|^\s*\??xml(?![\s?]|$)/i;
/** In an XML document its own processing instructions (`<?xml-stylesheet href="feed.xsl"?>` atop an RSS feed) are not markers. */
const DOCUMENT_COMMENT_MARKERS = /^\s*\[if|^\s*import|^\s*entity/i;

/**
 * Walks one token stream; attribute contexts start inside the application's own tag. In an XML
 * document (`xmlDocument`: a prolog first) `<source>`, `<body>`, `<form>` are the document's own
 * element names and `xmlns:soap=` its namespaces (a carrier's or a payment provider's webhook),
 * not page structure; script elements, handlers and script URLs count there as anywhere. There a
 * closing tag of an element the document opened (`<title>...</title>` in RSS) closes its own
 * element; only a closing tag with no opening one before it ends a block of the page.
 */
function checkTokens(tokens: readonly HtmlToken[], fromAttributeContext: boolean, out: Set<RuleKey>, xmlDocument = false): void {
  let attr = '';
  let inTag = fromAttributeContext;
  let sawTag = false;
  let tagHasAttributes = false;
  // In an attribute context the first value belongs to the application's own attribute.
  let skipFirstValue = fromAttributeContext;
  const opened = xmlDocument ? new Set<string>() : null;
  for (const tok of tokens) {
    switch (tok.type) {
      case 'tag-open':
        inTag = true;
        sawTag = true;
        tagHasAttributes = false;
        attr = '';
        opened?.add(tok.value);
        if (isDangerousTag(tok.value, xmlDocument)) out.add('tag');
        else if (STRUCTURE_TAGS.has(tok.value) && !xmlDocument) out.add('structureTag');
        else if (PL2_TAGS.has(tok.value)) out.add('htmlTag');
        out.add('anyTag');
        break;
      case 'tag-close':
        inTag = false;
        if (RAW_TEXT_TAGS.has(tok.value) && !(opened?.has(tok.value) ?? false)) out.add('closeTag');
        else if (STRUCTURE_CLOSE_TAGS.has(tok.value) && !xmlDocument) out.add('structureTag');
        break;
      case 'tag-end':
        if (tagHasAttributes) out.add('htmlTag');
        inTag = false;
        attr = '';
        break;
      case 'attr-name':
        attr = tok.value;
        if (inTag) tagHasAttributes = true;
        break;
      case 'attr-value': {
        if (skipFirstValue) {
          skipFirstValue = false;
          break;
        }
        const name = attr;
        if (EVENT_HANDLER.test(name)) out.add('handler');
        else if (URL_ATTRIBUTES.has(name) && isScriptUrl(tok.value)) out.add('url');
        else if (STYLE_ATTRIBUTES.has(name)) {
          if (isDangerousStyle(tok.value)) out.add('style');
          else if (!sawTag) out.add('styleText');
          else out.add(isWellFormedStyle(tok.value) ? 'anyStyle' : 'obfuscatedStyle');
        }
        else if (ALWAYS_DANGEROUS_ATTRIBUTES.has(name)) out.add('attribute');
        else if (name === 'attributename' && /^(?:on|xlink|href)/.test(stripIgnorable(tok.value))) out.add('attribute');
        // Namespace tricks create script-capable SVG/XHTML elements or XML event handlers.
        else if ((name.startsWith('xmlns') && !xmlDocument) || name.startsWith('xlink:') || name.startsWith('ev:')) out.add('attribute');
        attr = '';
        break;
      }
      case 'comment':
        if (tok.value.includes('`') || (xmlDocument ? DOCUMENT_COMMENT_MARKERS : COMMENT_MARKERS).test(tok.value)) out.add('comment');
        break;
      // `<!DOCTYPE html>` runs nothing; external ids and entity declarations are the XXE detector's.
      case 'cdata':
        if (tok.value.includes('<')) checkTokens(tokenizeHtml(tok.value, 'data'), false, out);
        break;
      default:
        break;
    }
  }
}

const CONTEXTS: ReadonlyArray<[HtmlContext, string]> = [
  ['attr-double', '"'],
  ['attr-single', "'"],
  ['attr-backtick', '`'],
];

/** A prolog first (after a byte-order mark, or what reading UTF-16 as UTF-8 made of one). */
const XML_PROLOG = /^[\s\ufeff\ufffd]*<\?xml\s/i;
/** A document in XHTML's namespace is a page: its `<html>`, `<style>` and `<link>` are the page's. */
const XHTML_NAMESPACE = /xmlns(?::\w+)?\s*=\s*["']?http:\/\/www\.w3\.org\/1999\/xhtml/i;
/** `<!--` opening a comment: everything the page prints after the value disappears into it. */
const COMMENT_OPEN = /<!--/;

function checkMarkup(value: string, out: Set<RuleKey>): void {
  const xmlDocument = XML_PROLOG.test(value) && !XHTML_NAMESPACE.test(value);
  if (value.includes('<')) {
    checkTokens(tokenizeHtml(value, 'data'), false, out, xmlDocument);
    if (!xmlDocument && COMMENT_OPEN.test(value)) out.add('markupComment');
    if (!xmlDocument && ATTRIBUTE_BREAKOUT.test(value)) out.add('breakoutProbe');
  }
  if (value.includes('=') || value.includes('>')) checkTokens(tokenizeHtml(value, 'attr-unquoted'), true, out, xmlDocument);
  for (const [ctx, quote] of CONTEXTS) {
    if (value.includes(quote)) checkTokens(tokenizeHtml(value, ctx), true, out, xmlDocument);
  }
}

// ---- markup-free checks -----------------------------------------------------------------

/** A script scheme followed by something that reads as code, not prose ("JavaScript: The Good Parts"). */
const SCRIPT_URI = /(?:^|[^a-z0-9+.-])(?:java|vb|live|j|ecma)script\s*:/gi;
const CODE_START = /^\s*(?:[\w$]+\s*[(`=[]|[\w$]+(?:\s*\.\s*[\w$]+)+|\/[/*]|[`'"([{!~+-]|%[0-9a-f]{2}|\\[ux0-9]|&#|void\b)/i;
const DATA_URI = /data:\s*(?:text\/html|text\/javascript|text\/xml|text\/x-scriptlet|application\/(?:x-)?(?:javascript|ecmascript|xhtml\+xml|x-shockwave-flash|xml)|image\/svg\+xml)/i;
/** A call, not a mention: "Please confirm (yes/no)" has a space, `confirm(1)` does not. */
const JS_SINK = /(?:^|[^\w$]|script)(?:alert|prompt|confirm|eval|execscript|msgbox|settimeout|setinterval|fromcharcode|importscripts)(?:\(|`|\s+\(\s*(?:['"`\d/]|document|window|this|top|self))/i;
const DOM_ACCESS = /document\s*\.\s*cookie|\b(?:document\s*\.\s*(?:domain|location|write(?:ln)?|body\s*\.\s*innerhtml|forms|referrer)|window\s*\.\s*(?:location|open|name|onload)|(?:top|self|parent)\s*\.\s*location|location\s*\.\s*(?:href|hash|replace|assign)|\.\s*(?:inner|outer)html\s*=|localstorage\s*\.|sessionstorage\s*\.|new\s+xmlhttprequest|string\s*\.\s*fromcharcode)/i;
/**
 * `"><x`, `'<x`: leaves a quoted attribute and starts markup, as XSS locator probes do. A mail
 * address in angle brackets after a quoted display name (`"Ann Lee" <ann@example.com>`) is not.
 */
const ATTRIBUTE_BREAKOUT = /["'`]\s{0,3}>?\s{0,3}<\/?[a-z!](?![\w.+-]*@[\w-]+(?:\.[\w-]+)*>)/i;
const CSS_EXPRESSION = /[:=]\s*expression\s*\(|behaviou?r\s*:\s*url\s*\(|-moz-binding\s*:/i;

function stripUrlNoise(value: string): string {
  // Browsers drop tab and newline anywhere in a URL and NUL in old parsers.
  return value.replace(/[\t\n\r\0]/g, '');
}

const SINK_NAMES = String.raw`(?:alert|prompt|confirm|eval|execscript|settimeout|setinterval|function|unescape)`;
/** `a=eval; ... a(`: a sink assigned to a name that is then called. */
const SINK_ASSIGNED = new RegExp(String.raw`([\w$]+)\s*=\s*${SINK_NAMES}\s*[;,)]`, 'gi');
/** `.map(alert)`, `(alert)(1)`, `eval.call(`, `top['alert'](`, `.constructor(`. */
const SINK_PASSED = new RegExp(String.raw`\.\s*[\w$]+\s*\(\s*${SINK_NAMES}\s*\)|\(\s*${SINK_NAMES}\s*\)\s*\(|\b${SINK_NAMES}\s*\.\s*(?:call|apply|bind)\s*\(|\[\s*(['"\`])${SINK_NAMES}\1\s*\]\s*\(|\.\s*constructor\s*\(`, 'i');
/**
 * A global object indexed by something computed (`top["al"+"ert"]`, `self[/al/.source+...]`,
 * `top[8680439..toString(30)]`) and then called, indexed or assigned, or built by concatenation.
 */
const COMPUTED_GLOBAL = /\b(?:window|top|self|parent|frames|content|globalthis|document)\s*\[\s*(?:(['"`])[^'"`\]]*\1\s*\+|\/[^/\]]+\/\s*\.\s*source|\d+\s*\.\s*\.?\s*tostring\s*\(|(['"`])[^'"`\]]*\2\s*\]\s*(?:\(|\[|=(?!=)))/i;

function hasSinkReference(value: string): boolean {
  if (SINK_PASSED.test(value) || COMPUTED_GLOBAL.test(value)) return true;
  if (!value.includes('=')) return false;
  SINK_ASSIGNED.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SINK_ASSIGNED.exec(value)) !== null) {
    const name = m[1].replace(/[$]/g, '\\$');
    if (new RegExp(String.raw`(?:^|[^\w$])${name}\s*\(`).test(value.slice(m.index + m[0].length))) return true;
  }
  return false;
}

/** Only encoded `<`/`>` (entities with or without `;`, JS escapes), a few literal ones allowed. */
const ENCODED_BRACKETS = /^(?:\s*(?:&#0*(?:60|62);?|&#x0*3[ce];?|&[lg]t;?|\\u003[ce]|\\x3[ce]|[<>]))+\s*$/i;
const ANY_ENCODED_BRACKET = /&#0*(?:60|62)|&#x0*3[ce]|&[lg]t|\\u003[ce]|\\x3[ce]/i;

function checkScripting(value: string, out: Set<RuleKey>): void {
  if ((value.includes('&') || value.includes('\\')) && value.length <= 4096 && ENCODED_BRACKETS.test(value) && ANY_ENCODED_BRACKET.test(value)) out.add('encodedProbe');
  if ((value.includes('(') || value.includes('[')) && hasSinkReference(value)) out.add('sinkReference');
  const hasColon = value.includes(':');
  if (hasColon) {
    const url = stripUrlNoise(value);
    SCRIPT_URI.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = SCRIPT_URI.exec(url)) !== null) {
      if (CODE_START.test(url.slice(m.index + m[0].length, m.index + m[0].length + 64))) {
        out.add('scriptUri');
        break;
      }
    }
    if (DATA_URI.test(url)) out.add('dataUri');
    if (CSS_EXPRESSION.test(value)) out.add('cssExpression');
  }
  // CSS escapes and comments hide `expression(` (`exp\72 ession(`, `expression\28`).
  if (value.includes('\\') || value.includes('/*')) {
    const css = normalizeCss(value);
    if (css.includes('expression(') || css.includes('-moz-binding')) out.add('cssExpression');
  }
  if (value.includes('(') || value.includes('`')) {
    if (JS_SINK.test(value)) out.add('sink');
  }
  if (value.includes('.') && DOM_ACCESS.test(value)) out.add('dom');
}

function mayContainXss(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // < > " ' ` = : ( . & \ [
    if (c === 60 || c === 62 || c === 34 || c === 39 || c === 96 || c === 61 || c === 58 || c === 40 || c === 46 || c === 38 || c === 92 || c === 91) return true;
  }
  return false;
}

export function detectXss(value: string, paranoia: ParanoiaLevel): RuleHit[] {
  if (!mayContainXss(value)) return [];
  const found = new Set<RuleKey>();
  checkMarkup(value, found);
  checkScripting(value, found);
  const hits: RuleHit[] = [];
  for (const key of found) {
    const r = R[key];
    if (r.paranoia <= paranoia) hits.push({ ruleId: r.ruleId, message: r.message, paranoia: r.paranoia, severity: r.severity });
  }
  return hits;
}
