// The informer after its connection to the API server is cut again and again, as a kill -9 of the
// server cuts it (no end of stream, then refused connections until the new server listens). Each
// cut must be retried from the first backoff step: a watch that was established and ran is a
// success, or an agent that has seen a few API server restarts waits the full 10 s cap after each
// new one before it sees new objects (the soak found this). The cut is made by a TCP proxy in front
// of the real server: this process cannot kill -9 an in-process server.
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { KubeClient } from '../../common/src/kube/client.js';
import { Informer, type KubeObject } from '../../common/src/kube/informer.js';
import { loadKubeconfig } from '../../common/src/kube/kubeconfig.js';
import { createFixtureAttach, fixtureAttachesPath, startServerWithFixtureCrd, tempDir, waitUntil, type TestServer } from '../apiserver/harness.js';

/** A TCP proxy that can drop every connection at once and refuse new ones for a while. */
class CuttingProxy {
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  port = 0;

  constructor(private readonly target: number) {}

  async listen(port = 0): Promise<void> {
    this.#server = createServer((client) => {
      const upstream = connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.#server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.#server.address() as { port: number }).port;
  }

  /** Resets every connection and refuses new ones for `downMs`. */
  async cut(downMs: number): Promise<void> {
    const closed = new Promise((r) => this.#server!.close(r));
    for (const s of this.#sockets) s.resetAndDestroy();
    await closed;
    await new Promise((r) => setTimeout(r, downMs));
    await this.listen(this.port);
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise((r) => this.#server?.close(r));
  }
}

describe('Informer after its watch is cut repeatedly (common/src/kube/informer.ts)', function () {
  this.timeout(60_000);
  let s: TestServer;
  let proxy: CuttingProxy;

  before(async () => {
    s = await startServerWithFixtureCrd();
    proxy = new CuttingProxy(Number(new URL(s.url).port));
    await proxy.listen();
  });
  after(async () => {
    await proxy.close();
    await s.stop();
  });

  it('retries each cut from the first backoff step, and is not ready while its watch is down', async () => {
    const kubeconfig = path.join(tempDir('cut-watch'), 'kubeconfig');
    writeFileSync(kubeconfig, readFileSync(s.kubeconfig, 'utf8').replace(s.url, `https://127.0.0.1:${proxy.port}`));
    const client = new KubeClient(loadKubeconfig({ kubeconfig }), 'lxcat-test');
    const seen = new Set<string>();
    const retries: number[][] = [];
    const informer = new Informer<KubeObject>(client, fixtureAttachesPath, 'cut=yes', {
      onChange: (o) => seen.add(o.metadata.name!),
      onDelete: () => undefined,
      onError: (_err, retryInMs) => retries.at(-1)!.push(retryInMs),
    });
    await informer.start();
    try {
      for (let round = 0; round < 4; round++) {
        const name = `cut-${round}`;
        await createFixtureAttach(s, name, { cut: 'yes' });
        await waitUntil(`${name} seen through the watch`, () => seen.has(name) || undefined, 20_000);
        assert.ok(informer.watching, 'a running watch is reported');
        retries.push([]);
        // Refused for long enough that the informer fails a few times in a row.
        const down = proxy.cut(700);
        await waitUntil('the cut to be noticed', () => retries.at(-1)!.length > 0 || undefined, 5000);
        assert.equal(informer.watching, false, 'a cut watch is reported down');
        await down;
      }
      assert.deepEqual(retries.map((r) => r[0]), [200, 200, 200, 200], `first retry delay of each cut (all: ${JSON.stringify(retries)})`);
    } finally {
      await informer.stop();
    }
  });
});
