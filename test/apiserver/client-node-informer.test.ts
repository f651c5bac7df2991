// An @kubernetes/client-node 1.4 informer against the server: list, watch, update events, a relist
// after a forced 410 without spurious deletes, and recovery after the server restarts.
import assert from 'node:assert/strict';
import { CustomObjectsApi, KubeConfig, makeInformer, type KubernetesObject, type KubernetesListObject } from '@kubernetes/client-node';
import { createFixtureAttach, fixtureAttachesPath, request, startServer, startServerWithFixtureCrd, waitUntil, type TestServer } from './harness.js';

const PATH = fixtureAttachesPath;

describe('client-node informer against the API server', function () {
  this.timeout(60_000);
  let s: TestServer;

  before(async () => {
    s = await startServerWithFixtureCrd();
  });
  after(async () => { await s.stop(); });

  const create = (name: string) => createFixtureAttach(s, name);

  it('lists, watches, relists after a forced 410 and recovers after a restart, with no spurious deletes', async () => {
    await create('i1');
    await create('i2');
    const kc = new KubeConfig();
    kc.loadFromFile(s.kubeconfig);
    const api = kc.makeApiClient(CustomObjectsApi);
    let lists = 0;
    const listFn = async () => {
      lists++;
      return (await api.listNamespacedCustomObject({ group: 'lxcattach.io', version: 'v1alpha1', namespace: 'default', plural: 'containerattaches' })) as KubernetesListObject<KubernetesObject>;
    };
    const informer = makeInformer(kc, PATH, listFn);
    const events: string[] = [];
    let errors = 0;
    informer.on('add', (o) => events.push(`add ${o.metadata!.name}`));
    informer.on('update', (o) => events.push(`update ${o.metadata!.name}`));
    informer.on('delete', (o) => events.push(`delete ${o.metadata!.name}`));
    // client-node's ListWatch stops on errors other than 410; a client restarts it (here: every 200 ms).
    let stopped = false;
    let restart: NodeJS.Timeout | undefined;
    informer.on('error', () => {
      errors++;
      if (stopped) return;
      restart = setTimeout(() => void informer.start().catch(() => { /* NB: the error handler fires again and retries */ }), 200);
    });
    await informer.start();
    try {
      await waitUntil('initial adds', () => (events.includes('add i1') && events.includes('add i2')) || undefined);

      await create('i3');
      await waitUntil('watch add', () => events.includes('add i3') || undefined);
      const p = await request(s, 'PATCH', `${PATH}/i1`, { headers: { 'Content-Type': 'application/merge-patch+json' }, body: '{"metadata":{"labels":{"a":"b"}}}' });
      assert.equal(p.status, 200, p.body);
      await waitUntil('update event', () => events.includes('update i1') || undefined);
      assert.equal((await request(s, 'DELETE', `${PATH}/i3`)).status, 200);
      await waitUntil('delete event', () => events.includes('delete i3') || undefined);

      const listsBefore = lists;
      s.running.server.expireWatchHistory('lxcattach.io', 'containerattaches');
      await waitUntil('a relist after the 410', () => lists > listsBefore || undefined);
      await create('i4');
      await waitUntil('add after the relist', () => events.includes('add i4') || undefined);
      assert.deepEqual(events.filter((e) => e.startsWith('delete')), ['delete i3'], 'the relist must not report deletes for objects that still exist');

      await s.stop();
      s = await startServer(s.dataDir);
      await waitUntil('informer errors while the server was down, or a reconnect', async () => {
        await create('i5').catch(() => undefined);
        return events.includes('add i5') || undefined;
      }, 20_000);
      assert.deepEqual(events.filter((e) => e.startsWith('delete')), ['delete i3'], 'no spurious deletes across the restart');
      assert.deepEqual(informer.list('default').map((o) => o.metadata!.name).sort(), ['i1', 'i2', 'i4', 'i5']);
      assert.ok(errors > 0, 'the informer saw the server go away');
    } finally {
      stopped = true;
      clearTimeout(restart);
      await informer.stop();
    }
  });
});
