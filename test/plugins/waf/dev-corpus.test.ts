import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { configureValueCache, inspectRequest } from '../../../plugins/waf/engine/index.js';
import { makePolicy, buildSearchRequest, findSharedFile } from './helpers.js';

interface Entry {
  category: string;
  expect: 'attack' | 'benign';
  payload: string;
}

/** Targets at paranoia 1, threshold 5. */
const DETECTION_TARGETS: Record<string, number> = { sqli: 0.99, xss: 0.99, lfi: 0.95, rce: 0.95 };
const MAX_BENIGN_FP = 0.005;

describe('waf dev corpus', function () {
  this.timeout(60_000);

  it('meets the detection and false-positive targets', function () {
    const file = findSharedFile('dev-payloads.jsonl.gz', this);
    const entries = gunzipSync(readFileSync(file as string)).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Entry);
    const pol = makePolicy();
    const attacks = new Map<string, { total: number; hit: number }>();
    let benign = 0;
    let falsePositives = 0;
    configureValueCache(0);
    try {
      for (const e of entries) {
        const blocked = inspectRequest(buildSearchRequest(e.payload), pol).blocked;
        if (e.expect === 'benign') {
          benign += 1;
          if (blocked) falsePositives += 1;
        } else {
          const s = attacks.get(e.category) ?? { total: 0, hit: 0 };
          s.total += 1;
          if (blocked) s.hit += 1;
          attacks.set(e.category, s);
        }
      }
    } finally {
      configureValueCache(2048);
    }
    const rates = Object.fromEntries([...attacks].map(([c, s]) => [c, s.hit / s.total]));
    for (const [category, target] of Object.entries(DETECTION_TARGETS)) {
      expect(rates[category], `${category} detection`).to.be.at.least(target);
    }
    expect(falsePositives / benign, 'benign false-positive rate').to.be.at.most(MAX_BENIGN_FP);
  });
});
