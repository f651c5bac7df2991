// The durable store on its own: replay, compaction into a snapshot, monotonic resourceVersions,
// the data-directory lock.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { DurableStore } from '../../apiserver/src/store/durable-store.js';
import { decodeRecords, encodeRecord, crc32 } from '../../apiserver/src/store/record-log.js';
import { tempDir } from './harness.js';

const obj = (name: string, v: number) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, data: { v: String(v) } });

describe('DurableStore', () => {
  it('replays writes and deletes with their resourceVersions after reopening', async () => {
    const dir = tempDir('store');
    let s = await DurableStore.open(dir, { log: () => {} });
    const rv1 = await s.write('core/secrets', 'default/a', obj('a', 1));
    const rv2 = await s.write('core/secrets', 'default/b', obj('b', 1));
    const rv3 = await s.write('core/secrets', 'default/a', null);
    assert.deepEqual([rv1, rv2, rv3], [1, 2, 3]);
    await s.close();
    s = await DurableStore.open(dir, { log: () => {} });
    assert.equal(s.resourceVersion, 3);
    assert.equal(s.get('core/secrets', 'default/a'), undefined);
    assert.equal((s.get('core/secrets', 'default/b')!.metadata as { resourceVersion: string }).resourceVersion, '2');
    assert.equal(await s.write('core/secrets', 'default/c', obj('c', 1)), 4);
    await s.close();
  });

  it('compacts into a snapshot and keeps state and counter', async () => {
    const dir = tempDir('store');
    let s = await DurableStore.open(dir, { compactAfterRecords: 50, log: () => {} });
    for (let i = 0; i < 200; i++) await s.write('core/secrets', `default/k${i % 10}`, obj(`k${i % 10}`, i));
    await s.close();
    assert.ok(readdirSync(dir).includes('snapshot'), 'a snapshot was written');
    assert.ok(readdirSync(dir).filter((f) => f.startsWith('wal-')).length <= 2, 'compacted logs were removed');
    s = await DurableStore.open(dir, { log: () => {} });
    assert.equal(s.resourceVersion, 200);
    assert.equal(s.count('core/secrets'), 10);
    assert.equal((s.get('core/secrets', 'default/k9')!.data as { v: string }).v, '199');
    await s.close();
  });

  it('groups concurrent writes and acknowledges each in order', async () => {
    const s = await DurableStore.open(tempDir('store'), { log: () => {} });
    const rvs = await Promise.all(Array.from({ length: 50 }, (_, i) => s.write('core/secrets', `default/p${i}`, obj(`p${i}`, i))));
    assert.deepEqual(rvs, Array.from({ length: 50 }, (_, i) => i + 1));
    await s.close();
  });

  it('refuses a data directory another live process holds', async () => {
    const dir = tempDir('store');
    const s = await DurableStore.open(dir, { log: () => {} });
    await assert.rejects(DurableStore.open(dir), { code: 'STORE_ERR_LOCKED' });
    await s.close();
  });

  it('frames records with a checksum that catches any damage', () => {
    const a = encodeRecord({ x: 1 });
    const b = encodeRecord({ y: 'two' });
    const both = Buffer.concat([a, b]);
    assert.equal(decodeRecords(both).records.length, 2);
    for (let i = 0; i < b.length; i++) {
      const damaged = Buffer.from(both);
      damaged[a.length + i]! ^= 0x01;
      const r = decodeRecords(damaged);
      assert.equal(r.records.length, 1, `byte ${i} flipped`);
      assert.equal(r.validBytes, a.length);
      assert.ok(r.problem);
    }
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  });
});
