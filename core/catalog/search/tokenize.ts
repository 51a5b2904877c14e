// Text -> search terms. Words of alphabetic scripts are lower-cased and stripped of accents;
// Chinese, Japanese and Korean have no spaces, so their runs become overlapping character
// bigrams ("智能手机" -> 智能 能手 手机), plus unigrams so a one-character query still matches.
const CJK_CLASS = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\u30fc\\u3005';
const CJK = new RegExp(`[${CJK_CLASS}]`, 'u');
// A CJK run, or a run of other letters and digits (which stops where CJK text starts).
const RUN = new RegExp(`([${CJK_CLASS}]+)|((?:(?![${CJK_CLASS}])[\\p{L}\\p{N}])+)`, 'gu');
const MAX_TERM = 64;

export interface QueryToken {
  /** The term to look up. */
  term: string;
  kind: 'word' | 'cjk';
  /** Where it starts in the normalised query (suggestions keep what precedes it). */
  start: number;
}

/** NFKC, lower case, accents off Latin/Greek/Cyrillic letters only (Japanese voicing marks stay). */
export function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+/gu, '$1')
    .normalize('NFKC')
    .toLowerCase();
}

export function isCjk(ch: string): boolean {
  return CJK.test(ch);
}

function keepWord(word: string): boolean {
  return word.length >= 2 || /^\p{N}+$/u.test(word);
}

/** Terms of a text with their counts, for indexing. */
export function indexTerms(text: string, opts: { unigrams: boolean }): Map<string, number> {
  const out = new Map<string, number>();
  const add = (t: string) => out.set(t, (out.get(t) ?? 0) + 1);
  for (const m of normalize(text).matchAll(RUN)) {
    if (m[1]) {
      const chars = [...m[1]];
      if (chars.length === 1 || opts.unigrams) for (const c of chars) add(c);
      for (let i = 0; i + 1 < chars.length; i++) add(chars[i] + chars[i + 1]);
    } else if (keepWord(m[2])) {
      add(m[2].slice(0, MAX_TERM));
    }
  }
  return out;
}

/** Tokens of a query, in order: words whole, CJK runs as bigrams (a lone character as itself). */
export function queryTokens(query: string): QueryToken[] {
  const out: QueryToken[] = [];
  for (const m of normalize(query).matchAll(RUN)) {
    const start = m.index ?? 0;
    if (m[1]) {
      const chars = [...m[1]];
      if (chars.length === 1) out.push({ term: chars[0], kind: 'cjk', start });
      let offset = start;
      for (let i = 0; i + 1 < chars.length; i++) {
        out.push({ term: chars[i] + chars[i + 1], kind: 'cjk', start: offset });
        offset += chars[i].length;
      }
    } else if (m[2].length <= MAX_TERM) {
      out.push({ term: m[2], kind: 'word', start });
    }
  }
  return out;
}

/** Padded bigrams of a word: "cat" -> ^c ca at t$. Shared bigrams find typo candidates. */
export function grams(word: string): string[] {
  const chars = ['^', ...word, '$'];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
  return [...out];
}

/**
 * Optimal-string-alignment Damerau-Levenshtein distance (insert, delete, substitute, swap two
 * neighbours), giving up once it exceeds `max`: "iphnoe" -> "iphone" is 1.
 */
export function damerauLevenshtein(a: string, b: string, max = Infinity): number {
  const s = [...a];
  const t = [...b];
  if (Math.abs(s.length - t.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[t.length];
}

/** How many edits a word of this length may carry and still match: none below 4 letters. */
export function allowedEdits(length: number): number {
  if (length < 4) return 0;
  if (length < 8) return 1;
  return 2;
}
