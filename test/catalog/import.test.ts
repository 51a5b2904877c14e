import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { call, get } from '../support/http.js';
import { makeTenant, makeStaff, type TestTenant } from '../support/factories.js';
import { testEnv } from '../support/runtime.js';
import { parseCsv } from '../../core/catalog/import/csv.js';
import { makeCategory, makeProduct } from './support.js';

const importFile = (t: TestTenant, raw: string, contentType: string, query = '') =>
  call('POST', `/admin/v1/products/import${query}`, { token: t.ownerToken, raw, contentType });

const CSV = [
  'handle,status,name,description,name:zh-CN,sku,option:size,price:USD,price:EUR,compare_at:USD,stock,attr:material,categories,images', // 1
  'tee,active,Basic Tee,Soft cotton,基础T恤,TEE-S,S,19.99,18.50,,10,cotton|organic,apparel,https://cdn.example.com/tee.jpg', // 2
  'tee,,,,,TEE-M,M,19.99,18.50,25.00,5,,,', // 3
  'mug,active,"Mug, large","Holds ""a lot""",,MUG-1,,-1,,,,,,', // 4: negative price
  'hat,active,Hat,,,HAT-1,,abc,,,,,,', // 5: not a price
  'cap,active,Cap,,,CAP-1,,12,,,3,,,', // 6
  'cap,,,,,CAP-2,,12,,,-3,,,', // 7: bad stock: the whole cap is refused
  'bag,active,Bag,,,tee-s,,10,,,,,,', // 8: SKU of the tee (line 2)
  'note,active,"Two', // 9: a quoted field over two lines
  'lines",,,NOTE-1,,5,,,,,,', // 10
  'sock,active,Sock,,,SOCK-1,,4.5,,,,,unknown-category,', // 11
  'yen,active,Yen thing,,,YEN-1,,,,,,,,', // 12: no price at all is fine
].join('\r\n');

describe('POST /admin/v1/products/import', () => {
  let shop: TestTenant;
  before(async () => {
    shop = await makeTenant({ currencies: ['USD', 'EUR'] });
    const res = await call('POST', '/admin/v1/categories', { token: shop.ownerToken, body: { names: { en: 'Apparel' }, handle: 'apparel' } });
    expect(res.status).to.equal(201);
  });

  it('imports the good CSV products and reports each bad row with its line number', async () => {
    const res = await importFile(shop, CSV, 'text/csv');
    expect(res.status, res.text).to.equal(200);
    expect(res.body).to.include({ format: 'csv', products: 8, imported: 3, failed: 5 });
    const byLine = res.body.errors.map((e: any) => [e.line, e.pointer, e.code]);
    expect(byLine).to.deep.equal([
      [4, '/price:USD', 'INVALID_PRICE'],
      [5, '/price:USD', 'INVALID_PRICE'],
      [7, '/stock', 'INVALID_QUANTITY'],
      [8, '/variants/0/sku', 'SKU_TAKEN'],
      [11, '/categories', 'CATEGORY_NOT_FOUND'],
    ]);
    expect(res.body.errors[0].message).to.match(/^line 4, column price:USD/);
    const list = await get('/admin/v1/products?limit=100', { token: shop.ownerToken });
    expect(list.body.items.map((p: any) => p.name).sort()).to.deep.equal(['Basic Tee', 'Two\nlines', 'Yen thing']);
    const tee = await get(`/store/v1/products/tee`, { tenant: shop.slug });
    expect(tee.status, tee.text).to.equal(200);
    expect(tee.body).to.deep.include({ name: 'Basic Tee', description: 'Soft cotton', attributes: { material: ['cotton', 'organic'] } });
    expect(tee.body.variants.map((v: any) => [v.sku, v.options.size, v.price.amount, v.compareAtPrice?.amount ?? null, v.inStock])).to.deep.equal([
      ['TEE-S', 'S', 1999, null, true],
      ['TEE-M', 'M', 1999, 2500, true],
    ]);
    expect(tee.body.categories.map((c: any) => c.handle)).to.deep.equal(['apparel']);
    expect(tee.body.images).to.deep.equal([{ url: 'https://cdn.example.com/tee.jpg', alt: 'Basic Tee' }]);
    expect((await get('/store/v1/products/tee?locale=zh-CN', { tenant: shop.slug })).body.name).to.equal('基础T恤');
    // nothing half-written: the cap's good first row was not imported either
    const caps = await get('/store/v1/search?q=cap', { tenant: shop.slug });
    expect(caps.body.total).to.equal(0);
    const admin = await get('/admin/v1/products?limit=100', { token: shop.ownerToken });
    expect(admin.body.items.some((p: any) => p.name === 'Cap')).to.equal(false);
    // running the same file again creates nothing twice
    const again = await importFile(shop, CSV, 'text/csv');
    expect(again.body.imported).to.equal(0);
  });

  it('imports JSON lines, one product per line, with line numbers for bad ones', async () => {
    const t = await makeTenant();
    const lines = [
      JSON.stringify({ status: 'active', translations: { en: { name: 'J1' } }, variants: [{ sku: 'J-1', prices: [{ currency: 'USD', amount: 100 }], stock: 1 }] }),
      'not json at all',
      JSON.stringify({ translations: { en: { name: 'J2' } }, variants: [{ sku: 'J-2', prices: [{ currency: 'USD', amount: -1 }] }] }),
      '',
      JSON.stringify({ translations: { en: { name: 'J3', slug: 'j1' } } }),
      JSON.stringify({ translations: { en: { name: 'J4' } }, variants: [{ sku: 'J-4', prices: [{ currency: 'XYZ', amount: 1 }] }] }),
      JSON.stringify({ translations: { en: { name: 'J5' } }, colour: 'red' }),
      JSON.stringify({ status: 'active', translations: { en: { name: 'J6' } } }),
    ].join('\n');
    const res = await importFile(t, lines, 'application/x-ndjson');
    expect(res.status, res.text).to.equal(200);
    expect(res.body).to.include({ format: 'jsonl', products: 7, imported: 2, failed: 5 });
    expect(res.body.errors.map((e: any) => [e.line, e.pointer, e.code])).to.deep.equal([
      [2, '/', 'MALFORMED_JSON'],
      [3, '/variants/0/prices/0/amount', 'minimum'],
      [5, '/translations/en/slug', 'SLUG_TAKEN'],
      [6, '/variants/0/prices/0/currency', 'UNKNOWN_CURRENCY'],
      [7, '/colour', 'unknown_field'],
    ]);
    const store = await get('/store/v1/products', { tenant: t.slug });
    expect(store.body.items.map((p: any) => p.name)).to.deep.equal(['J6', 'J1']);
  });

  it('takes text/plain with ?format=, and refuses other bodies', async () => {
    const t = await makeTenant();
    const plain = await importFile(t, 'handle,name\nplain-one,Plain one', 'text/plain', '?format=csv');
    expect(plain.body).to.include({ imported: 1, failed: 0 });
    const noFormat = await importFile(t, 'handle,name', 'text/plain');
    expect(noFormat.status).to.equal(400);
    expect(noFormat.body.code).to.equal('FORMAT_REQUIRED');
    const json = await call('POST', '/admin/v1/products/import', { token: t.ownerToken, body: { translations: { en: { name: 'x' } } } });
    expect(json.status).to.equal(415);
    expect((await importFile(t, 'x', 'text/csv', '?format=xml')).status).to.equal(400);
    const header = await importFile(t, 'sku,price:USD\nA,1', 'text/csv');
    expect(header.body.errors).to.deep.equal([{ line: 1, pointer: '/', code: 'MISSING_COLUMN', message: 'the header needs the column(s) handle, name' }]);
    const unclosed = await importFile(t, 'handle,name\nx,"never closed', 'text/csv');
    expect(unclosed.body.errors[0]).to.include({ line: 2, code: 'MALFORMED_CSV' });
  });

  it('needs catalog:write', async () => {
    const viewer = await makeStaff(shop, 'viewer');
    const res = await call('POST', '/admin/v1/products/import', { token: viewer.token, raw: 'handle,name\na,b', contentType: 'text/csv' });
    expect(res.status).to.equal(403);
  });
});

describe('parseCsv', () => {
  it('handles quotes, escaped quotes, line breaks in fields, CRLF, a BOM and blank lines', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\n\n"multi\nline",z\n')).to.deep.equal([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 4, fields: ['multi\nline', 'z'] },
    ]);
  });
});

describe('bazaar import:products', function () {
  this.timeout(60_000);
  it('imports a file with a progress bar on stderr and the report on stdout', async () => {
    const t = await makeTenant();
    await makeCategory(t, 'Books');
    await makeProduct(t, { variants: [{ sku: 'TAKEN-1' }] });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bazaar-import-'));
    const file = path.join(dir, 'products.csv');
    const rows = ['handle,name,sku,price:USD,stock,categories'];
    for (let i = 1; i <= 40; i++) rows.push(`book-${i},Book ${i},BOOK-${i},${i}.99,${i},books`);
    rows.push('dup,Dup,taken-1,1,,');
    fs.writeFileSync(file, rows.join('\n'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'core/cli.ts', 'import:products', t.slug, file], { env: { ...testEnv(), LOG_LEVEL: 'silent' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number>((resolve) => child.on('close', resolve));
    expect(stderr).to.match(/\[#+\] 100% {2}41\/41 products {2}1 failed/);
    expect(stdout).to.include(`40 of 41 products imported into "${t.slug}"; 1 failed`);
    expect(stdout).to.match(/line 42 \/variants\/0\/sku SKU_TAKEN/);
    expect(code).to.equal(1);
    const list = await get('/store/v1/products?category=books&limit=100', { tenant: t.slug });
    expect(list.body.items).to.have.length(0); // imported as drafts: no status column
    const admin = await get('/admin/v1/products?limit=100&status=draft', { token: t.ownerToken });
    expect(admin.body.items).to.have.length(40);
  });

  it('refuses an unknown store or file type', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'core/cli.ts', 'import:products', ...args], { env: { ...testEnv(), LOG_LEVEL: 'silent' } });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
      });
    const unknown = await run(['no-such-store', 'x.csv']);
    expect(unknown).to.deep.equal({ code: 2, stderr: 'no store with the slug "no-such-store"\n' });
    expect((await run(['whatever', 'x.xml'])).code).to.equal(2);
  });
});
