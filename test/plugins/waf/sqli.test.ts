import { expect } from 'chai';
import querystring from 'node:querystring';
import { detectSqli, inspectRequest } from '../../../plugins/waf/engine/index.js';
import { tokenizeSql } from '../../../plugins/waf/engine/sql-tokenizer.js';
import { BROWSER_HEADERS, findMissed, listRules, findWronglyBlocked, makePolicy } from './helpers.js';

const ATTACKS = [
  "' OR '1'='1",
  "' OR 1=1 -- -",
  '" OR ""="',
  "1' ORDER BY 3--+",
  "1' UNION SELECT NULL,NULL,NULL--",
  "' UNION SELECT username, password FROM users--",
  '1 AND 1=1',
  '1 AND 1=2',
  "1' AND SLEEP(5)--",
  "1; WAITFOR DELAY '0:0:5'--",
  "1' AND (SELECT 1 FROM (SELECT(SLEEP(5)))a)--",
  "' AND extractvalue(1,concat(0x7e,version()))--",
  "1' AND updatexml(1,concat(0x7e,(SELECT user())),1)--",
  "admin'--",
  "admin' #",
  "' or ''='",
  "1' or '1'='1' /*",
  "') OR ('1'='1",
  '1 OR 1=1',
  '-1 UNION SELECT 1,2,3',
  "1' AND ASCII(SUBSTRING((SELECT password FROM users LIMIT 1),1,1))>64--",
  "'; DROP TABLE users; --",
  '1; SELECT pg_sleep(5)--',
  "' || (SELECT '' FROM dual) || '",
  "1' AND 1=CAST((SELECT version()) AS INT)--",
  "' AND 1=convert(int,@@version)--",
  '1 AND (SELECT COUNT(*) FROM information_schema.tables)>0',
  "' OR 'x'='x",
  '%27%20OR%201%3D1--',
  "1'/**/UNION/**/SELECT/**/1,2--",
  "1' UnIoN SeLeCt 1,2,3--",
  "1' /*!50000UNION*/ /*!50000SELECT*/ 1,2--",
  "' OR 1=1 LIMIT 1--",
  '1 RLIKE (SELECT (CASE WHEN (1=1) THEN 1 ELSE 0x28 END))',
  "x' OR name LIKE '%",
  "1' GROUP BY columnnames having 1=1 --",
  "' OR EXISTS(SELECT * FROM users)--",
  "1;EXEC xp_cmdshell('whoami')--",
  "1' and substring(@@version,1,1)=5--",
  "' or sleep(5)#",
  '" or sleep(5)="',
  '1 or benchmark(10000000,MD5(1))#',
  "'||pg_sleep(5)--",
  "1' AND DBMS_PIPE.RECEIVE_MESSAGE('a',5)--",
  "-1' OR 2+2=4--",
  "'; EXEC master..xp_cmdshell 'ping 10.0.0.1'--",
  '1) OR (1=1',
  "1 AND ORD(MID((SELECT IFNULL(CAST(username AS NCHAR),0x20) FROM users LIMIT 0,1),1,1))>64",
  "' and 1 in (select min(name) from sysobjects where xtype = 'U' and name > '.') --",
  "'; SHUTDOWN --",
  "' UNION SELECT @@version --",
  "1'||(SELECT CHR(65))||'",
  'ＵＮＩＯＮ ＳＥＬＥＣＴ 1,2--',
  'UN/**/ION SEL/**/ECT 1,2',
  '1 /*!UNION*/ SELECT 1',
  "1' AND 1=1 AND '1'='1",
  'iif(1=1,1,1/0)',
  '(select top 1 password from users)',
  "admin\" --",
];

/** Shop text that contains SQL words, quotes, dashes and operators but is not SQL. */
const LOOK_ALIKES = [
  'Select Comfort mattress',
  "O'Reilly",
  'Rock & Roll',
  '1/2" drill bit',
  "don't -- stop",
  'union jack flag',
  'drop earrings',
  "1' x 2' rug",
  'select',
  'SELECT models on sale',
  'Delete my account please',
  'delete from cart',
  'order by price',
  'Drop table lamp',
  'Create table runner',
  'drop table cloth',
  'Union select brand',
  'Is it true or false that this is waterproof?',
  "I'm 5'10\" and 180 lbs, what size?",
  "Kids' and adults' shoes",
  "It's 2 for 1 -- buy now!",
  '#1 best seller',
  '10% off -- today only',
  'sleep(8 hours) mask',
  'size 10 or 11',
  '1950 or 1960',
  '2 or 4 metal buttons',
  "Men's size 10 or 11",
  'Learning SQL: select, insert, update, delete',
  'How to use the WHERE clause',
  'exec chair ergonomic',
  "O'Brien's & Sons",
  "it's 'great' -- really",
  '"navy" OR "black"',
  'like new -- barely used',
  'Limit 1 per order -- sorry',
  'group by size',
  'waitfor it',
  'sleep mask',
  'user manual',
  'User (admin) guide',
  'information about schema',
  'SMALL "&" SIGN',
  '"LIKE" STAMP',
  '7" #2 CIRCULAR NEEDLE',
  'case when wet',
  'version 2.0',
  '5 - 3 = 2',
];

describe('waf sqli', () => {
  it('blocks classic, blind, error-based, stacked and obfuscated injections', () => {
    expect(findMissed(ATTACKS)).to.deep.equal([]);
  });

  it('passes shop text that merely looks like SQL', () => {
    expect(findWronglyBlocked(LOOK_ALIKES)).to.deep.equal([]);
  });

  it('passes a value that is only numbers compared (value=123<456, a=11=1) at paranoia 1, in the query and a form body; counts it at paranoia 2', () => {
    for (const raw of ['value=123%3C456', 'a=11=1', 'q=5+%3C+6', 'range=10%3C%3D20']) {
      const query = querystring.parse(raw) as Record<string, string>;
      const get = { method: 'GET', path: '/store/v1/products', query, url: `/store/v1/products?${raw}`, headers: { ...BROWSER_HEADERS } };
      const form = { method: 'POST', path: '/store/v1/carts', query: {}, headers: { ...BROWSER_HEADERS, 'content-type': 'application/x-www-form-urlencoded' }, body: query, rawBody: raw };
      expect(inspectRequest(get, makePolicy(1)).blocked, `GET ?${raw}`).to.equal(false);
      expect(inspectRequest(form, makePolicy(1)).blocked, `form ${raw}`).to.equal(false);
      expect(inspectRequest(get, makePolicy(2)).matches.map((m) => m.ruleId), `GET ?${raw} at paranoia 2`).to.include('sqli.number-comparison');
    }
    // With anything that can change the application's query around it, still an injection.
    expect(findMissed(['1=1--', '(1=1)', '-1=1', '1 or 1=1', "1' and 1=1#", '1=1;'])).to.deep.equal([]);
  });

  it('names the construct that made a value an injection', () => {
    expect(listRules('1 UNION SELECT 1,2', 'sqli')).to.include('sqli.union-select');
    expect(listRules("x'; DROP TABLE users--", 'sqli')).to.include('sqli.stacked-query');
    expect(listRules("1' AND SLEEP(5)#", 'sqli')).to.include('sqli.dangerous-function');
    expect(listRules("' OR 'a'='a", 'sqli')).to.include('sqli.tautology');
    expect(listRules("admin'--", 'sqli')).to.include('sqli.comment-truncation');
    expect(listRules('1 and 1=1', 'sqli')).to.include('sqli.tautology');
  });

  it('recognises whole-value shapes: column probes, INTO variables, bare quote-and-comment, standalone SELECTs', () => {
    for (const v of ['ORDER BY 7#', ' group by 3,4 -- ', "5' ORDER BY 1,2,3,--+"]) expect(listRules(v, 'sqli'), v).to.include('sqli.column-probe');
    for (const v of ["9' LIMIT 0,1 INTO @x,@y--", '1 limit 1 into @#']) expect(listRules(v, 'sqli'), v).to.include('sqli.into-variable');
    for (const v of ["'--", "' ) ; -- ", '" #', '"/**/']) expect(listRules(v, 'sqli'), v).to.include('sqli.comment-truncation');
    for (const v of ['SELECT banner FROM v$version;', 'select current_setting(\'data_directory\'); --', 'SELECT DB_NAME()', "SELECT HOST_NAME('x')"]) {
      expect(listRules(v, 'sqli'), v).to.include('sqli.terminated-select');
    }
    // Near misses: words, measurements and a lone pick list stay data.
    const plain = ['Order by 5pm for next-day delivery', 'group by 2 colours', '"#2 MOM"', '7" #3 drill', 'Select Color(s)', 'select your size from the list', 'Select all;', 'email me at sales@example.com into @shop'];
    expect(findWronglyBlocked(plain)).to.deep.equal([]);
  });

  it('treats a quote as a string boundary only where SQL would', () => {
    // In the single-quote context the text before the quote is the application's string.
    expect(detectSqli("Levi's jeans", 1)).to.deep.equal([]);
    expect(detectSqli("x' OR 1=1 OR 'y", 1)).not.to.deep.equal([]);
  });

  it('reports paranoia-2 hints only at paranoia 2', () => {
    expect(listRules('10% off -- today only', 'sqli', 1)).to.deep.equal([]);
    expect(listRules('10% off -- today only', 'sqli', 2)).to.include('sqli.arithmetic-comment');
  });

  describe('tokenizer', () => {
    it('lexes strings, comments, numbers, variables and operators', () => {
      const types = tokenizeSql("1 OR 'a'='a' -- x").map((t) => t.type);
      expect(types).to.deep.equal(['num', 'word', 'str', 'op', 'str', 'comment']);
      expect(tokenizeSql('@@version').map((t) => [t.type, t.flag])).to.deep.equal([['var', true]]);
      expect(tokenizeSql('0x7e <=> 1e5').map((t) => t.type)).to.deep.equal(['num', 'op', 'num']);
    });

    it('splits MySQL glued keywords and keeps ordinary alphanumerics whole', () => {
      expect(tokenizeSql('1union select').map((t) => t.text)).to.deep.equal(['', 'UNION', 'SELECT']);
      expect(tokenizeSql('50PCS').map((t) => t.type)).to.deep.equal(['word']);
    });

    it('lexes MySQL executable comments as code', () => {
      expect(tokenizeSql('/*!50000UNION*/').map((t) => t.text)).to.deep.equal(['UNION']);
    });
  });
});
