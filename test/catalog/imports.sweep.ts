import { expect } from 'chai';
import { addSweepFixture } from '../support/sweep.js';
import { call, get } from '../support/http.js';
import { scoped } from '../../core/db/model.js';
import { ProductImport, ProductImportChunk } from '../../core/catalog/import/import.model.js';

addSweepFixture({
  name: 'product imports',
  async seed(victim) {
    const res = await call('POST', '/admin/v1/products/import', { token: victim.ownerToken, raw: 'handle,name,sku,price:USD\nvictim-import,Victimimport Lamp,VICTIM-IMPORT-1,1\nvictim-bad,Victim Bad,VICTIM-BAD-1,-5\n', contentType: 'text/csv' });
    expect(res.status, res.text).to.equal(202);
    for (let i = 0; ; i++) {
      const state = await get(`/admin/v1/products/imports/${res.body.id}`, { token: victim.ownerToken });
      if (state.body.status === 'done') break;
      if (i > 400) throw new Error(`the victim's import is still ${state.body.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // An upload still arriving, with its first chunk (a finished import's chunks are gone).
    const pending = await scoped(victim.ctx, ProductImport).insert({ status: 'uploading', format: 'csv', actor: 'sweep' });
    await scoped(victim.ctx, ProductImportChunk).insert({ importId: pending.id, seq: 0, data: Buffer.from('handle,name\nvictim-pending,Victim Pending\n') });
    return { ids: { imports: res.body.id }, secrets: [res.body.id, pending.id, 'VICTIM-BAD-1', 'victim-bad'] };
  },
  async verify(victim, seed) {
    const state = await get(`/admin/v1/products/imports/${seed.ids.imports}`, { token: victim.ownerToken });
    expect(state.body).to.include({ status: 'done', imported: 1, failed: 1 });
  },
});
