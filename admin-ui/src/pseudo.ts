// The pseudo-locale `en-XA` (UI-6): every English string of the console made from en when the
// language is chosen, each letter accented (so a word that shows plain ASCII never went through
// the string tables) and the text about 40 % longer inside brackets (so a label cut short or
// overflowing its box shows). Placeholders ({{n}}) are kept as they are. It is not in the
// language switch: a translator or a test chooses it by saving `en-XA` as the console language.
export const PSEUDO = 'en-XA';

const LOWER = 'åƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýž';
const UPPER = 'ÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ';

function accent(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c >= 97 && c <= 122) out += [...LOWER][c - 97];
    else if (c >= 65 && c <= 90) out += [...UPPER][c - 65];
    else out += ch;
  }
  return out;
}

/** One string: letters accented outside {{placeholders}}, padded by ~40 %, bracketed. */
export function pseudoString(text: string): string {
  if (!text) return text;
  const body = text
    .split(/(\{\{[^}]*\}\})/)
    .map((part) => (part.startsWith('{{') ? part : accent(part)))
    .join('');
  const pad = '·'.repeat(Math.max(1, Math.round(text.length * 0.4)));
  return `[${body} ${pad}]`;
}

/** A whole string table (nested objects of strings), made pseudo. */
export function pseudoTable<T>(table: T): T {
  if (typeof table === 'string') return pseudoString(table) as T;
  if (Array.isArray(table)) return table.map((x) => pseudoTable(x)) as T;
  if (table && typeof table === 'object') return Object.fromEntries(Object.entries(table).map(([k, v]) => [k, pseudoTable(v)])) as T;
  return table;
}
