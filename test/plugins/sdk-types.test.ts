// The SDK's types make a wrong register() a compile error: sdk-types.check.ts marks each wrong
// use with @ts-expect-error. tsc must accept that file, and reject a copy without the markers
// with exactly one error per marker.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../../core/paths.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));

describe('SDK types', function () {
  this.timeout(120_000);

  it('reject every wrong use of the plugin API, and only those', async () => {
    const source = fs.readFileSync(path.join(here, 'sdk-types.check.ts'), 'utf8');
    const markers = source.split('\n').filter((l) => l.trim().startsWith('// @ts-expect-error')).length;
    expect(markers).to.be.greaterThan(10);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bazaar-sdk-types-'));
    const stripped = source
      .replace(/\/\/ @ts-expect-error.*/g, '// (expected error)')
      .replace(/from '(\.[^']+)'/g, (_m, rel: string) => `from '${path.resolve(here, rel)}'`)
      .replace(/import '(\.[^']+)'/g, (_m, rel: string) => `import '${path.resolve(here, rel)}'`);
    fs.writeFileSync(path.join(tmp, 'unmarked.ts'), stripped);
    const tsconfig = path.join(tmp, 'tsconfig.json');
    fs.writeFileSync(tsconfig, JSON.stringify({ extends: path.join(projectRoot, 'tsconfig.json'), compilerOptions: { rootDir: '/', noEmit: true, typeRoots: [path.join(projectRoot, 'node_modules', '@types')] }, include: [path.join(here, 'sdk-types.check.ts'), path.join(tmp, 'unmarked.ts')], exclude: [] }));
    const out = await run('npx', ['tsc', '-p', tsconfig], { cwd: projectRoot }).then(
      (r) => r.stdout,
      (err: { stdout: string }) => err.stdout,
    );
    const errors = out.split('\n').filter((l) => /error TS\d+/.test(l));
    expect(errors.filter((l) => !l.includes('unmarked.ts')), 'errors outside the unmarked copy').to.deep.equal([]);
    expect(errors.length, out).to.equal(markers);
  });
});
