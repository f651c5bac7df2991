// The project's informer (common/src/kube/informer.ts, what the node agent watches with) against
// the standalone server: list, watch events, a relist after a forced 410 without spurious
// deletes, a quiet watch that must stay open (Node's global agents cut idle sockets after 5 s),
// and recovery after the server restarts.
import assert from 'node:assert/strict';
import { KubeClient } from '../../common/src/kube/client.js';
import { Informer, type KubeObject } from '../../common/src/kube/informer.js';
import { loadKubeconfig } from '../../common/src/kube/kubeconfig.js';
import { createFixtureAttach, fixtureAttachesPath, request, startServer, startServerWithFixtureCrd, waitUntil, type TestServer } from '../apiserver/harness.js';

const PATH = fixtureAttachesPath;

describe('Informer (common/src/kube/informer.ts)', function () {
  this.timeout(60_000);
  let s: TestServer;

  before(async () => {
    s = await startServerWithFixtureCrd();
  });
  after(async () => { await s.stop(); });

  const create = (name: string) => createFixtureAttach(s, name, { watched: 'yes' });

  it('lists, watches, relists after a 410, stays open while quiet and recovers after a restart', async () => {
    await create('j1');
    await create('j2');
    const events: string[] = [];
    let errors = 0;
    const client = new KubeClient(loadKubeconfig({ kubeconfig: s.kubeconfig }), 'lxcat-test');
    const informer = new Informer<KubeObject>(client, PATH, 'watched=yes', {
      onChange: (o) => events.push(`change ${o.metadata.name}`),
      onDelete: (o) => events.push(`delete ${o.metadata.name}`),
      onError: () => errors++,
    });
    await informer.start();
    try {
      assert.ok(informer.synced);
      assert.deepEqual(informer.list().map((o) => o.metadata.name).sort(), ['j1', 'j2']);
      await create('j3');
      await waitUntil('watch add', () => events.includes('change j3') || undefined);
      assert.equal((await request(s, 'DELETE', `${PATH}/j3`)).status, 200);
      await waitUntil('delete event', () => events.includes('delete j3') || undefined);
      assert.equal(informer.get('default', 'j3'), undefined);

      s.running.server.expireWatchHistory('lxcattach.io', 'containerattaches');
      await create('j4');
      await waitUntil('add after the relist', () => events.includes('change j4') || undefined);
      assert.deepEqual(events.filter((e) => e.startsWith('delete')), ['delete j3'], 'no deletes for objects that still exist');

      await new Promise((r) => setTimeout(r, 7000));
      assert.equal(errors, 0, 'a quiet watch stays connected');
      await create('j5');
      await waitUntil('an event after the quiet period', () => events.includes('change j5') || undefined, 2000);

      await s.stop();
      s = await startServer(s.dataDir);
      await create('j6');
      await waitUntil('an event after the restart', () => events.includes('change j6') || undefined, 20_000);
      assert.ok(errors > 0, 'the restart was seen as an error and retried');
    } finally {
      await informer.stop();
    }
  });
});
