// README.md's samples are checked against the program: the start banner, the test command's
// database and user (those `.ci/run` creates), and the command table against the CLI's usage.
import { expect } from 'chai';
import fs from 'node:fs';
import { bootBanner } from '../core/banner.js';
import { DEMO } from '../tenants/demo-seed.js';

const readme = fs.readFileSync('README.md', 'utf8');
const ci = fs.readFileSync('.ci/run', 'utf8');

describe('README.md', () => {
  it('shows the banner `npm start` prints on the default port', () => {
    for (const line of bootBanner('http://localhost:3000', 3000, DEMO)) expect(readme).to.include(`\n${line}\n`);
  });

  it("names in its MariaDB test command the user and database that .ci/run creates", () => {
    const m = readme.match(/DATABASE_URL=mysql:\/\/([^:]+):([^@]+)@127\.0\.0\.1:3306\/(\w+) REDIS_URL=\S+ npm test/);
    expect(m, 'a MariaDB test command').to.not.equal(null);
    const [, user, password, db] = m!;
    expect(ci).to.include(`CREATE USER IF NOT EXISTS '${user}'@'127.0.0.1' IDENTIFIED BY '${password}'`);
    expect(ci).to.include(`CREATE DATABASE ${db} `);
  });

  it('lists every CLI command in its command table', () => {
    const cli = fs.readFileSync('core/cli.ts', 'utf8');
    const usage = cli.slice(cli.indexOf('const USAGE'), cli.indexOf('`;', cli.indexOf('const USAGE')));
    const commands = [...usage.matchAll(/^ {2}([a-z:]+)/gm)].map((m) => m[1]);
    expect(commands).to.include('import:products');
    for (const c of commands) expect(readme, c).to.match(new RegExp(`\\| \`${c}[ \`]`));
  });
});
