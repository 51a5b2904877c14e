import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { inspectRequest } from '../../../plugins/waf/engine/index.js';
import { BROWSER_HEADERS, makePolicy, findSharedFile, findWronglyBlocked } from './helpers.js';

/**
 * What real shop traffic carries: product names with apostrophes, ampersands and inch marks,
 * prices, measurements, addresses in many scripts, reviews, markdown and JSON snippets.
 */
const SHOP_TEXT = [
  "Levi's® 501® Original", "L'Oréal Paris shampoo", "D'Addario guitar strings", "McDonald's gift card",
  "Children's book: \"Where the Wild Things Are\"", 'Ben & Jerry\'s ice cream', "M&M's peanut 1kg", 'H&M jacket',
  'Dolce & Gabbana', 'Procter & Gamble', 'Arm & Hammer baking soda', 'Johnson & Johnson baby oil',
  'Nike Air Max 270 "Triple Black"', "Men's 2-in-1 jacket", "Women's size 8-10", '12" x 16" frame',
  "3/4\" plywood, 4'x8' sheet", '1/2 price!!!', 'Buy now & save 20%', 'AT&T / Verizon / T-Mobile',
  'Q&A: how to choose a size?', 'It\'s "the best"... really?', "Where's my refund?", "Can I return it? It's too big :(",
  'I ordered 2 but got 1?!', 'Please deliver between 9am-5pm; leave at door if no one home', 'Apt #4, 2nd floor',
  '1600 Pennsylvania Ave NW, Washington, DC 20500', '10 Downing St, London SW1A 2AA', 'Calle de Alcalá, 48, 28014 Madrid',
  '東京都渋谷区神南1-2-3', '北京市朝阳区建国路88号', '서울특별시 강남구 테헤란로 123', 'شارع الملك فهد، الرياض',
  'ул. Тверская, д. 7, Москва', 'Straße 12, 80331 München', 'größe: M; farbe: blau', 'tee-shirt "vintage" taille L',
  "Robe d'été à fleurs", 'The Lord of the Rings: The Fellowship of the Ring (Book 1)', 'HP 63XL black ink cartridge',
  'USB 3.0 to USB-C adapter', 'iPhone 15 Pro Max 256GB - Natural Titanium', 'Samsung Galaxy S24+ (Onyx Black)',
  'C# in Depth, 4th Edition', 'F# Deep Dives', 'Node.js Design Patterns', 'SQL for Dummies',
  'Learning SQL: select, insert, update, delete', 'Select one: small, medium, large', 'Select a size', 'drop-down menu',
  'insert coin toy', 'execute order 66 t-shirt', 'declare independence poster', 'union station map', 'prompt book',
  'eval kit', 'style guide', 'javascript for beginners', 'system of a down t-shirt', 'cat /dog bed', 'etc. etc.',
  'c/o John Smith', 'N/A', '9/11 memorial book', '1/2 cup measuring', 'Hello {{ first_name }}, your order is ready',
  '{% if in_stock %}', '100%', '2+2=4 puzzle', '1+1 offer', '3 x 4 = 12 times table poster', 'x^2 + y^2', 'a = b',
  '10% off, code SAVE10', 'code: SUMMER-2024', 'color=red&size=M', '{"items":[{"id":1,"qty":2}]}', '["red","blue"]',
  '**Bold** and _italic_ in markdown', '[link](https://example.com/page?id=1&ref=home)', '`code` sample',
  '# Heading\n- item one\n- item two', '> quoted review\n\nGreat product!', 'https://shop.example.com/products?id=42&color=red',
  'user@example.com', 'jane.o\'connor+shop@example.ie', '+1 (555) 123-4567', '$19.99', '€ 12,50', '£20 - £30', '¥1,000',
  'Size: 10 / 44 EU', '100% cotton; machine wash 30°', 'Café au lait ☕', 'Love it <3 <3 <3', '5 stars!!! :-)',
  'if (a < b) then c', 'C++ Primer', '2x(3+4)', 'f(x)=x²', 'ping pong table', 'tail light', 'sort by: newest', 'find my order',
  'more than 5', 'kill switch', 'touch screen gloves', 'cut & sew', 'time & date', 'yes/no', 'true religion jeans',
  'false eyelashes', 'set of 4', 'type C cable', 'start & stop', 'copy paper', 'del monte peaches',
  "Rock 'n' Roll", "Jack 'n' Jill", "'Til Death Do Us Part mug", 'O\'Neill wetsuit 3/2mm -- new season', "DON'T PANIC towel",
  'Size chart: S (36-38), M (40-42), L (44-46)', 'Dimensions: 120 x 60 x 75 cm (L x W x H)', 'Weight: 2.5kg / 5.5lbs',
  'SKU: AB-1234-XL', 'EAN 4006381333931', 'Order #A-1024 -- please cancel', 'Tracking: 1Z999AA10123456784',
  'Use code "WELCOME" at checkout', 'Limited edition (1 of 500)', '2-pack | 4-pack | 6-pack', 'Black / White / Red',
  'Women\'s Nike Dri-FIT "One" leggings - 7/8 length', 'Gift card: $25, $50 or $100', 'Rating >= 4 stars',
  'price < 50', 'Ships in 1-2 business days; free returns within 30 days', 'Seller: "Bob\'s Vintage & Co."',
];

describe('waf benign traffic', () => {
  it('passes every line of marketplace-benign.txt', function () {
    const file = findSharedFile('marketplace-benign.txt', this);
    const lines = readFileSync(file as string, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
    expect(lines.length).to.be.greaterThan(0);
    expect(findWronglyBlocked(lines)).to.deep.equal([]);
  });

  it('passes every line of marketplace-benign.txt even at paranoia 2', function () {
    const file = findSharedFile('marketplace-benign.txt', this);
    const lines = readFileSync(file as string, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
    expect(findWronglyBlocked(lines, 2)).to.deep.equal([]);
  });

  it('passes realistic product names, addresses, reviews and snippets', () => {
    expect(findWronglyBlocked(SHOP_TEXT)).to.deep.equal([]);
  });

  it('passes the same text in JSON bodies, form fields and as parameter names', () => {
    const body = Object.fromEntries(SHOP_TEXT.slice(0, 60).map((t, i) => [`field${i}`, t]));
    const json = inspectRequest({ method: 'POST', path: '/api/reviews', query: {}, headers: { ...BROWSER_HEADERS, 'content-type': 'application/json' }, body }, makePolicy());
    expect(json.matches).to.deep.equal([]);
    const keys = Object.fromEntries(['size', 'color', 'price_min', 'sort', 'page', 'utm_source', 'filter[brand]', 'tags[]'].map((k) => [k, '1']));
    expect(inspectRequest({ method: 'GET', path: '/search', query: keys, headers: BROWSER_HEADERS }, makePolicy()).matches).to.deep.equal([]);
  });
});
