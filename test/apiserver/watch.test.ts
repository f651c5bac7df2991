// Watch semantics of the watch cache: resourceVersion starting points, bookmarks only when asked,
// sendInitialEvents, selector transitions, timeoutSeconds, per-resource history.
import assert from 'node:assert/strict';
import { request, startServer, waitUntil, WatchStream, type TestServer } from './harness.js';

const SECRETS = '/api/v1/namespaces/default/secrets';
const json = { 'Content-Type': 'application/json' };

describe('API server watch', function () {
  this.timeout(30_000);
  let s: TestServer;
  const open: WatchStream[] = [];
  const watch = (p: string, headers?: Record<string, string>) => {
    const w = new WatchStream(s, p, headers);
    open.push(w);
    return w;
  };
  const secret = async (name: string, labels: Record<string, string> = {}) => {
    const r = await request(s, 'POST', SECRETS, { headers: json, body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name, labels }, type: 'Opaque' }) });
    assert.equal(r.status, 201, r.body);
    return r.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
  };
  const label = async (name: string, labels: Record<string, string | null>) => {
    const r = await request(s, 'PATCH', `${SECRETS}/${name}`, { headers: { 'Content-Type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { labels } }) });
    assert.equal(r.status, 200, r.body);
    return r.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
  };

  before(async () => { s = await startServer(); });
  afterEach(() => { for (const w of open.splice(0)) w.close(); });
  after(async () => { await s.stop(); });

  it('sends ADDED for existing objects from resourceVersion "" and "0", then changes', async () => {
    await secret('w1');
    for (const rv of ['', '0']) {
      const w = watch(`${SECRETS}?watch=1&resourceVersion=${rv}`);
      await waitUntil('initial event', () => w.events.length >= 1 || undefined);
      assert.deepEqual(w.names(), ['ADDED w1']);
      assert.equal(w.status, 200);
      assert.equal(w.headers['content-type'], 'application/json');
      assert.equal(w.headers['transfer-encoding'], 'chunked');
    }
  });

  it('from a resourceVersion sends only what changed after it, in order', async () => {
    const rv = await secret('w2');
    await label('w1', { a: '1' });
    const w = watch(`${SECRETS}?watch=1&resourceVersion=${rv}`);
    await waitUntil('backlog', () => w.events.length >= 1 || undefined);
    await request(s, 'DELETE', `${SECRETS}/w2`);
    await waitUntil('delete', () => w.events.length >= 2 || undefined);
    assert.deepEqual(w.names(), ['MODIFIED w1', 'DELETED w2']);
    const del = w.events[1]!.object;
    assert.equal(del.kind, 'Secret');
    assert.ok(Number(del.metadata!.resourceVersion) > Number(rv), 'a DELETED event carries the deletion resourceVersion');
  });

  it('turns selector transitions into ADDED and DELETED', async () => {
    const rv = await secret('w3', { team: 'x' });
    const w = watch(`${SECRETS}?watch=1&resourceVersion=${rv}&labelSelector=team%3Dx`);
    await w.opened;
    const rvOut = await label('w3', { team: 'y' });
    await label('w3', { team: 'x' });
    await waitUntil('two events', () => w.events.length >= 2 || undefined);
    assert.deepEqual(w.names(), ['DELETED w3', 'ADDED w3']);
    assert.equal(w.events[0]!.object.metadata!.resourceVersion, rvOut);
    assert.deepEqual(w.events[0]!.object.metadata!.labels, { team: 'x' }, 'the DELETED event carries the previous content');
  });

  it('sends bookmarks only when asked, and the initial-events-end bookmark with sendInitialEvents', async () => {
    const plain = watch(`${SECRETS}?watch=1&resourceVersion=&sendInitialEvents=true&resourceVersionMatch=NotOlderThan`);
    const marked = watch(`${SECRETS}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    await waitUntil('initial events', () => marked.events.some((e) => e.type === 'BOOKMARK') || undefined);
    await waitUntil('initial events (plain)', () => plain.events.length >= 2 || undefined);
    assert.equal(plain.events.filter((e) => e.type === 'BOOKMARK').length, 0);
    const bm = marked.events[marked.events.length - 1]!;
    assert.equal(bm.type, 'BOOKMARK');
    assert.deepEqual(bm.object.metadata!.annotations, { 'k8s.io/initial-events-end': 'true' });
    assert.deepEqual(Object.keys(bm.object).sort(), ['apiVersion', 'kind', 'metadata']);
    assert.ok(marked.events.slice(0, -1).every((e) => e.type === 'ADDED'));
  });

  it('ends the stream after timeoutSeconds', async () => {
    const w = watch(`${SECRETS}?watch=1&resourceVersion=0&timeoutSeconds=1`);
    await waitUntil('end of stream', () => w.ended || undefined, 5000);
  });

  it('keeps history per resource: a busy resource does not expire an idle one', async () => {
    const leases = '/apis/coordination.k8s.io/v1/namespaces/default/leases';
    const l = await request(s, 'POST', leases, { headers: json, body: JSON.stringify({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l1' }, spec: { holderIdentity: 'me' } }) });
    assert.equal(l.status, 201, l.body);
    const leaseRv = l.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
    for (let i = 0; i < 30; i++) await label('w1', { n: String(i) });
    const w = watch(`${leases}?watch=1&resourceVersion=${leaseRv}`);
    await w.opened;
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(w.events, [], 'an idle resource watched from its last resourceVersion gets no 410');
    assert.equal(w.ended, false);
  });

  // k8s.io/apiserver v0.32 pkg/storage/cacher/cacher.go Watch: only sendInitialEvents waits for a
  // fresh cache; cache_watcher.go process passes on events newer than the requested version only.
  it('watches from a resourceVersion in the future at once, sending only events past it', async () => {
    const current = Number(await secret('wf1'));
    const w = watch(`${SECRETS}?watch=1&resourceVersion=${current + 2}`);
    await w.opened;
    assert.equal(w.status, 200);
    await label('wf1', { step: '1' });
    await label('wf1', { step: '2' });
    await label('wf1', { step: '3' });
    await waitUntil('the event past the requested version', () => w.events.length >= 1 || undefined);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(w.events.length, 1, 'events up to the requested resourceVersion are not sent');
    assert.equal(w.events[0]!.object.metadata!.resourceVersion, String(current + 3));
    assert.equal(w.ended, false);
  });

  it('answers sendInitialEvents from a resourceVersion in the future with a 504 ERROR event after waiting', async () => {
    const w = watch(`${SECRETS}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&resourceVersion=999999`);
    await w.opened;
    assert.equal(w.status, 200);
    await waitUntil('error event', () => w.events.length >= 1 || undefined, 6000);
    const ev = w.events[0] as unknown as { type: string; object: { code: number; reason: string; message: string; details: { retryAfterSeconds: number } } };
    assert.equal(ev.type, 'ERROR');
    assert.equal(ev.object.code, 504);
    assert.equal(ev.object.reason, 'Timeout');
    assert.match(ev.object.message, /^Timeout: Too large resource version: 999999, current: \d+$/);
    assert.equal(ev.object.details.retryAfterSeconds, 1);
    await waitUntil('stream end', () => w.ended || undefined);
  });

  it('serves watch events as Table rows when asked (kubectl get -w)', async () => {
    const w = watch(`${SECRETS}?watch=1&resourceVersion=0`, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    await waitUntil('rows', () => w.events.length >= 2 || undefined);
    type TableEvent = { object: { kind: string; columnDefinitions: unknown[] | null; rows: Array<{ object: { kind: string } }> } };
    const [first, second] = w.events as unknown as [TableEvent, { object: { columnDefinitions: unknown } }];
    assert.equal(first.object.kind, 'Table');
    assert.ok(Array.isArray(first.object.columnDefinitions) && first.object.columnDefinitions.length > 0);
    assert.equal(first.object.rows[0]!.object.kind, 'PartialObjectMetadata');
    assert.equal(second.object.columnDefinitions, null, 'later events carry no column definitions');
  });
});
