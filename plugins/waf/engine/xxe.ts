import { isTextEntityName } from './html-entities.js';
import type { ParanoiaLevel, RuleHit } from './types.js';

/**
 * XML external entities and the XML features that read files or fetch URLs while a document is
 * parsed. A prolog (`<?xml version="1.0"?>`), a plain element tree or an HTML doctype is an
 * ordinary document (payment and carrier webhooks send them) and passes; what is flagged is the
 * grammar that makes a parser act: an ENTITY declaration (external or internal: internal ones are
 * the entity-expansion bomb), a DOCTYPE whose external id points at a DTD anywhere but the W3C, a
 * parameter-entity reference in an internal subset, XInclude, and XSLT reaching files or code.
 * An XML element tree (not HTML's vocabulary) that refers to an entity it does not declare relies
 * on a DTD from elsewhere (`<text>&systemEntity;</text>`: the second half of a two-step XXE); a
 * character name (`&eacute;`, `&mdash;`) is text. An XML-RPC `pingback.ping` call makes the
 * server fetch the URL it names. A value that is nothing but one HTML-escaped tag of no HTML element
 * (`&lt;Tnn96&gt;`) or one escaped quote opening a word (`&quot;XoiZR`) is an escaping probe: a
 * scanner asking whether the application decodes references before it builds a document.
 */

/** The engine's rule shape (types.ts): one definition for every detector. */
type Rule = RuleHit;

const R = {
  entity: { ruleId: 'xxe.entity-declaration', message: 'XML ENTITY declaration', paranoia: 1, severity: 'critical' },
  externalDtd: { ruleId: 'xxe.external-dtd', message: 'DOCTYPE with an external DTD (SYSTEM/PUBLIC id)', paranoia: 1, severity: 'critical' },
  parameterEntity: { ruleId: 'xxe.parameter-entity', message: 'Parameter entity reference in a DOCTYPE internal subset', paranoia: 1, severity: 'critical' },
  xinclude: { ruleId: 'xxe.xinclude', message: 'XInclude of a file or URL', paranoia: 1, severity: 'critical' },
  xslt: { ruleId: 'xxe.xslt-code', message: 'XSLT reading files or calling code', paranoia: 1, severity: 'critical' },
  reference: { ruleId: 'xxe.entity-reference', message: 'A lone reference to a declared (non-predefined) entity', paranoia: 1, severity: 'critical' },
  undeclared: { ruleId: 'xxe.undeclared-entity', message: 'XML document refers to an entity it does not declare (DTD from elsewhere)', paranoia: 1, severity: 'critical' },
  pingback: { ruleId: 'xxe.xmlrpc-pingback', message: 'XML-RPC pingback.ping (the server fetches the URL it names)', paranoia: 1, severity: 'critical' },
  escapedProbe: { ruleId: 'xxe.escaped-markup-probe', message: 'A value that is only an HTML-escaped tag or quote (an escaping probe)', paranoia: 1, severity: 'critical' },
} as const satisfies Record<string, Rule>;

type RuleKey = keyof typeof R;

const NAME = String.raw`[A-Za-z_:][\w.:-]*`;
/** `<!ENTITY name SYSTEM|PUBLIC|"value"`, `<!ENTITY % name ...`. */
const ENTITY = new RegExp(String.raw`<!ENTITY\s+(?:%\s*)?${NAME}\s+(?:SYSTEM\b|PUBLIC\b|["'])`, 'i');
/** `<!DOCTYPE root SYSTEM "uri">` or `<!DOCTYPE root PUBLIC "id" "uri">`: group 1 or 2 is the URI. */
const DOCTYPE_EXTERNAL = new RegExp(String.raw`<!DOCTYPE\s+${NAME}\s+(?:SYSTEM\s*(["'])(.*?)\1|PUBLIC\s*(["'])[^"']*\3\s*(["'])(.*?)\4)`, 'is');
/** The DTDs of (X)HTML and SVG: an ordinary page or image names them. */
const W3C_DTD = /^(?:https?:\/\/www\.w3\.org\/|about:legacy-compat$)/i;
/** `<!DOCTYPE root [ ... %name; ... ]`. */
const DOCTYPE_SUBSET = new RegExp(String.raw`<!DOCTYPE\s+${NAME}\s*(?:(?:SYSTEM|PUBLIC)\s*(?:"[^"]*"|'[^']*')\s*(?:"[^"]*"|'[^']*')?\s*)?\[([^\]]{0,2000})`, 'is');
const PE_REFERENCE = new RegExp(String.raw`%${NAME};`);
const XINCLUDE = /<(?:[\w-]+:)?include\b[^>]*\bhref\s*=|xmlns:\w+\s*=\s*["']https?:\/\/www\.w3\.org\/2001\/xinclude/i;
const XSLT = /<xsl:(?:stylesheet|transform|template|value-of|copy-of|include|import)\b/i;
const XSLT_CODE = /\b(?:document|unparsed-text|system-property)\s*\(|php:function|xmlns:(?:php|java|msxsl|exsl|rt)\s*=|<xsl:(?:include|import)\b[^>]*href|<msxsl:script/i;

/**
 * `&name;` or `%name;` as the whole value: inserted into a document the application builds, it
 * expands an entity declared elsewhere (the second half of a two-step XXE). XML's own five and
 * the character references text is written with are not among them.
 */
const LONE_REFERENCE = /^\s*[&%]([A-Za-z_][\w.-]{1,40});\s*$/;
const PREDEFINED = /^(?:lt|gt|amp|quot|apos|nbsp|copy|reg|trade|euro|pound|yen|cent|deg|times|hellip|[a-z]{1,2}(?:acute|grave|circ|uml|tilde|ring|cedil|slash|lig))$/i;

/** `<name` opening an element and `</name` or `/>` closing one: an element tree, not text with a `<`. */
const ELEMENT_OPEN = /<([A-Za-z_][\w.:-]*)[\s/>]/;
const ELEMENT_CLOSE = /<\/[A-Za-z_][\w.:-]*\s*>|\/>/;
/**
 * `&name;`, not `&#38;`: a name of three or more characters, not glued to a word before it
 * (`AT&T;`, and `Procter&Gamble;` that decoding `&amp;` makes of a feed's text, are text).
 */
const NAMED_REFERENCE = /(?:^|[\s>"'(])&([A-Za-z_][\w.-]{2,40});/g;
/** HTML's own elements: rich text (`<p>Caf&eacute;</p>`) refers to HTML's character names, whichever. */
const HTML_ELEMENTS = new Set(`html head body div span p a b i u s em strong small big sub sup br hr img ul ol li dl dt dd table
thead tbody tfoot tr td th caption col colgroup h1 h2 h3 h4 h5 h6 pre code blockquote q cite abbr font center section article
header footer nav aside main figure figcaption picture source video audio label mark del ins time address details summary`.split(/\s+/));
/**
 * Escaping probes: the whole value is one escaped tag (`&lt;name&gt;`, `&#60;/name&#x3e;`) or one
 * escaped quote directly before a single word (`&quot;word`, `&apos;word`, `&#34;`, `&#x27;`).
 * Text that was escaped for a page has more around it (`&quot;Classic&quot; tee`, `5 &lt; 6`).
 */
const ESCAPED_TAG = /^\s*(?:&lt;|&#0*60;|&#x0*3c;)\/?([A-Za-z_][\w.:-]{0,40})\s*\/?(?:&gt;|&#0*62;|&#x0*3e;)\s*$/i;
const ESCAPED_QUOTE_WORD = /^\s*(?:&quot;|&apos;|&#0*3[49];|&#x0*2[27];)[A-Za-z_]\w{0,40}\s*$/i;
/** Every element name of HTML (and SVG's root): an escaped one is shop text written about a page, not a probe. */
const HTML_ELEMENT_NAMES = new Set([...HTML_ELEMENTS, ...`script style link meta title base iframe frame frameset noscript object embed param
form input button select option optgroup textarea fieldset legend output datalist progress meter canvas svg math template slot
dialog menu map area track wbr bdi bdo rp rt ruby kbd samp var dfn data noframes marquee blink tt strike applet isindex xmp
listing plaintext nobr acronym basefont`.split(/\s+/)]);
const PINGBACK = /<methodName>\s*pingback\.ping\s*<\/methodName>/i;

/** An element tree in a vocabulary other than HTML's referring to an entity that is not a character name. */
function refersToUndeclaredEntity(value: string): boolean {
  const root = ELEMENT_OPEN.exec(value);
  if (root === null || HTML_ELEMENTS.has(root[1].toLowerCase()) || !ELEMENT_CLOSE.test(value)) return false;
  for (const m of value.matchAll(NAMED_REFERENCE)) {
    if (isTextEntityName(m[1])) continue;
    // A document that declares the entity is judged by the declaration rules.
    if (!new RegExp(String.raw`<!ENTITY\s+${m[1].replace(/\./g, '\\.')}\s`).test(value)) return true;
  }
  return false;
}

/** One escaped tag of no HTML element, or one escaped quote opening a word, and nothing else. */
function isEscapedMarkupProbe(value: string): boolean {
  if (value.length > 64 || !value.includes('&')) return false;
  const tag = ESCAPED_TAG.exec(value);
  if (tag !== null) return !HTML_ELEMENT_NAMES.has(tag[1].toLowerCase());
  return ESCAPED_QUOTE_WORD.test(value);
}

function mayContainXml(value: string): boolean {
  return value.includes('<!') || value.includes('<x') || value.includes('<X') || value.includes('include') || value.includes(';') || value.includes('<');
}

export function detectXxe(value: string, paranoia: ParanoiaLevel): RuleHit[] {
  if (!mayContainXml(value)) return [];
  const found = new Set<RuleKey>();
  if (value.includes('<!')) {
    if (ENTITY.test(value)) found.add('entity');
    const ext = DOCTYPE_EXTERNAL.exec(value);
    if (ext !== null && !W3C_DTD.test((ext[2] ?? ext[5] ?? '').trim())) found.add('externalDtd');
    const subset = DOCTYPE_SUBSET.exec(value);
    if (subset !== null && PE_REFERENCE.test(subset[1])) found.add('parameterEntity');
  }
  if (XINCLUDE.test(value)) found.add('xinclude');
  if (XSLT.test(value) && XSLT_CODE.test(value)) found.add('xslt');
  if (value.includes('&') && value.includes('<') && refersToUndeclaredEntity(value)) found.add('undeclared');
  if (value.includes('pingback') && PINGBACK.test(value)) found.add('pingback');
  const lone = value.length <= 64 ? LONE_REFERENCE.exec(value) : null;
  if (lone !== null && !PREDEFINED.test(lone[1])) found.add('reference');
  if (isEscapedMarkupProbe(value)) found.add('escapedProbe');
  const hits: RuleHit[] = [];
  for (const key of found) {
    const r = R[key];
    if (r.paranoia <= paranoia) hits.push({ ruleId: r.ruleId, message: r.message, paranoia: r.paranoia, severity: r.severity });
  }
  return hits;
}
