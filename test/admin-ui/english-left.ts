// The "no English left" scan of console browser tests, run in the page: Latin words in visible
// text, labels and placeholders, outside user data (translate="no"), the language switch and
// what is hidden. A copy of console.test.ts's (kept there as it is, so the two files merge apart).
export const ENGLISH_LEFT = `(() => {
  const words = new Set();
  // Currency codes are ISO 4217 in every language ("USD での価格").
  const allowed = new Set(['API', 'CSV', 'USD', 'EUR', 'CNY', 'JPY', 'ID', 'ISO', 'IANA']);
  const skip = (el) => !el || Boolean(el.closest('[translate="no"], script, style, code, [data-testid="language-switch"], [aria-hidden="true"]'));
  const visible = (el) => (typeof el.checkVisibility === 'function' ? el.checkVisibility() : true);
  const add = (text) => { for (const w of text.match(/[A-Za-z]{2,}/g) || []) if (!allowed.has(w)) words.add(w); };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || skip(el) || !visible(el)) continue;
    add(n.textContent || '');
  }
  const data = new Set();
  for (const el of document.querySelectorAll('[translate="no"]')) for (const w of (el.textContent || '').match(/[A-Za-z]{2,}/g) || []) data.add(w);
  const addLabel = (text) => { for (const w of text.match(/[A-Za-z]{2,}/g) || []) if (!allowed.has(w) && !data.has(w)) words.add(w); };
  for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
    if (skip(el) || !visible(el)) continue;
    addLabel(el.getAttribute('aria-label') || '');
    addLabel(el.getAttribute('title') || '');
    add(el.getAttribute('placeholder') || '');
  }
  return [...words];
})()`;
