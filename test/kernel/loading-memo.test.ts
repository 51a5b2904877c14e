import { expect } from 'chai';
import { LoadingMemo } from '../../core/cache/loading-memo.js';

describe('LoadingMemo', () => {
  it('lets callers that miss together share one load, and remembers a null answer', async () => {
    const memo = new LoadingMemo<string | null>(60_000);
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 5));
      return null;
    };
    const answers = await Promise.all(Array.from({ length: 20 }, () => memo.get('k', load)));
    expect(answers).to.deep.equal(Array(20).fill(null));
    expect(loads).to.equal(1);
    expect(memo.fresh('k')?.value).to.equal(null);
    expect(await memo.get('k', load)).to.equal(null);
    expect(loads).to.equal(1);
  });

  it('does not keep the answer of a load that began before forget(), and loads again after it', async () => {
    const memo = new LoadingMemo<number>(60_000);
    let release!: (v: number) => void;
    const old = memo.get('k', () => new Promise<number>((r) => (release = r)));
    memo.forget('k');
    release(1);
    expect(await old).to.equal(1);
    expect(memo.fresh('k')).to.equal(undefined);
    expect(await memo.get('k', async () => 2)).to.equal(2);
    expect(memo.fresh('k')?.value).to.equal(2);
  });

  it('does not remember a failed load', async () => {
    const memo = new LoadingMemo<number>(60_000);
    let err: unknown;
    await memo.get('k', async () => Promise.reject(new Error('down'))).catch((e: unknown) => (err = e));
    expect((err as Error).message).to.equal('down');
    expect(await memo.get('k', async () => 3)).to.equal(3);
  });

  it('getAlone loads a miss by itself: it neither joins a load on its way nor lends its own, and remembers its answer', async () => {
    const memo = new LoadingMemo<number>(60_000);
    // A shared load waiting for something the alone caller holds (SQLite's one connection).
    let releaseShared!: (v: number) => void;
    const shared = memo.get('k', () => new Promise<number>((r) => (releaseShared = r)));
    expect(await memo.getAlone('k', async () => 7)).to.equal(7);
    expect(memo.fresh('k')?.value).to.equal(7);
    releaseShared(1);
    expect(await shared).to.equal(1);
    // Its load is not lent: a get() at the same time does its own.
    memo.forget();
    let releaseAlone!: (v: number) => void;
    const alone = memo.getAlone('j', () => new Promise<number>((r) => (releaseAlone = r)));
    expect(await memo.get('j', async () => 2)).to.equal(2);
    releaseAlone(3);
    expect(await alone).to.equal(3);
    // A fresh entry is answered without loading.
    expect(await memo.getAlone('j', async () => { throw new Error('loaded'); })).to.equal(3);
  });
});
