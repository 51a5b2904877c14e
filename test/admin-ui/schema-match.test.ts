// Without a browser: the console tells which oneOf/anyOf option a saved value is by its shape
// (admin-ui/src/schema-match.ts), so a form on a saved row opens on that option.
import path from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../core/paths.js';

// Loaded by path: the console's sources are checked by admin-ui's own tsconfig, not this one.
const load = () => import(path.join(projectRoot, 'admin-ui', 'src', 'schema-match.ts')) as Promise<{ matchesSchema: (schema: unknown, data: unknown, root?: unknown) => boolean }>;

const amount = { type: 'integer', minimum: 0 };
const cutoff = { oneOf: [{ type: 'null' }, { type: 'object', required: ['time', 'daysBefore'], additionalProperties: false, properties: { time: { type: 'string' }, daysBefore: { type: 'integer' } } }] };
const flat = { type: 'object', required: ['type', 'amount'], additionalProperties: false, properties: { type: { const: 'flat' }, amount } };
const byValue = { type: 'object', required: ['type', 'brackets'], additionalProperties: false, properties: { type: { const: 'order_value' }, brackets: { type: 'array', items: { type: 'object', properties: { min: { type: 'number' }, amount } } } } };

describe('matchesSchema (which option a saved value is)', () => {
  it('tells null from an object, and an option by its const', async () => {
    const { matchesSchema } = await load();
    expect(matchesSchema(cutoff.oneOf[0], { time: '20:00', daysBefore: 1 })).to.equal(false);
    expect(matchesSchema(cutoff.oneOf[1], { time: '20:00', daysBefore: 1 })).to.equal(true);
    expect(matchesSchema(cutoff.oneOf[0], null)).to.equal(true);
    expect(matchesSchema(cutoff, { time: '20:00', daysBefore: 1 })).to.equal(true);
    const row = { type: 'order_value', brackets: [{ min: 0, amount: 900 }] };
    expect(matchesSchema(flat, row)).to.equal(false);
    expect(matchesSchema(byValue, row)).to.equal(true);
    expect(matchesSchema({ oneOf: [flat, byValue] }, row)).to.equal(true);
  });

  it('checks types (an integer is a number), enums, required and unknown properties, items, $ref and anyOf', async () => {
    const { matchesSchema } = await load();
    expect(matchesSchema({ type: 'number' }, 3)).to.equal(true);
    expect(matchesSchema({ type: 'integer' }, 3.5)).to.equal(false);
    expect(matchesSchema({ type: ['string', 'null'] }, null)).to.equal(true);
    expect(matchesSchema({ enum: ['a', 'b'] }, 'c')).to.equal(false);
    expect(matchesSchema({ type: 'object', required: ['a'] }, {})).to.equal(false);
    expect(matchesSchema({ type: 'object', properties: { a: {} }, additionalProperties: false }, { b: 1 })).to.equal(false);
    expect(matchesSchema({ type: 'array', items: { type: 'string' } }, ['x', 1])).to.equal(false);
    const root = { definitions: { n: { type: 'number' } }, properties: { x: { $ref: '#/definitions/n' } } };
    expect(matchesSchema(root.properties.x, 'x', root)).to.equal(false);
    expect(matchesSchema(root.properties.x, 2, root)).to.equal(true);
    expect(matchesSchema({ anyOf: [{ required: ['a'] }, { required: ['b'] }] }, { b: 1 })).to.equal(true);
    // Not a validator: lengths, patterns and bounds are the API's to check.
    expect(matchesSchema({ type: 'string', pattern: '^\\d+$', maxLength: 1 }, 'abc')).to.equal(true);
  });
});
