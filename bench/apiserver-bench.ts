// Benchmark of the standalone API server (run through bench/apiserver):
//   create / get / list latency and watch delivery latency at 100 writes/s,
//   RSS with 10,000 objects, restart time with 10,000 objects,
// printed beside the goals (watch delivery p99 <= 20 ms, RSS <= 300 MiB, restart <= 2 s) and beside
// an anchor measured in the same run (GET /healthz, the cheapest authenticated round trip).
// --quick: a few seconds and 1,000 objects, so the script is exercised by the test suite.
import { spawn, type ChildProcess } from 'node:child_process';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { rssMiB } from '../test/support/processes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const quick = process.argv.includes('--quick');
const WRITE_RATE = 100;
const WRITE_SECONDS = quick ? 2 : 20;
const OBJECTS = quick ? 1000 : 10000;

interface Endpoint { url: string; token: string; agent: https.Agent }

function startServer(dataDir: string): ChildProcess {
  return spawn(process.execPath, [path.join(root, 'dist/operator/src/main.js'), 'standalone', '--data-dir', dataDir,
    '--kubeconfig', path.join(dataDir, 'kubeconfig'), '--listen', '127.0.0.1:0', '--no-agent'], { stdio: ['ignore', 'pipe', 'inherit'] });
}

function call(e: Endpoint, method: string, p: string, body?: unknown): Promise<{ status: number; text: string }> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(`${e.url}${p}`, {
      method, agent: e.agent,
      headers: { Authorization: `Bearer ${e.token}`, ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

async function ready(dataDir: string, child: ChildProcess): Promise<Endpoint> {
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const kc = parse(readFileSync(path.join(dataDir, 'kubeconfig'), 'utf8')) as {
        clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>; users: Array<{ user: { token: string } }>;
      };
      const e: Endpoint = {
        url: kc.clusters[0]!.cluster.server, token: kc.users[0]!.user.token,
        agent: new https.Agent({ keepAlive: true, maxSockets: 32, ca: Buffer.from(kc.clusters[0]!.cluster['certificate-authority-data'], 'base64') }),
      };
      if ((await call(e, 'GET', '/readyz')).status === 200) return e;
    } catch {
      // NB: not up yet (no kubeconfig, connection refused); poll again.
    }
    if (Date.now() - started > 60_000) throw new Error('server did not become ready');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function stats(xs: number[]): { p50: number; p99: number; n: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), n: s.length };
}

const CAS = '/apis/lxcattach.io/v1alpha1/namespaces/default/containerattaches';
const ca = (name: string) => ({ apiVersion: 'lxcattach.io/v1alpha1', kind: 'ContainerAttach', metadata: { name, labels: { bench: 'yes' } }, spec: { container: name, command: ['/bin/true'] } });

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lxcat-bench-apiserver-'));
  let child = startServer(dataDir);
  try {
    let e = await ready(dataDir, child);
    const crd = parse(readFileSync(path.join(root, 'test/apiserver/fixtures/containerattaches.crd.yaml'), 'utf8')) as unknown;
    const c = await call(e, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    if (c.status !== 201) throw new Error(`CRD create: ${c.status} ${c.text}`);
    for (;;) {
      if ((await call(e, 'GET', `${CAS}?limit=1`)).status === 200) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 2100));

    const anchor: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await call(e, 'GET', '/healthz');
      anchor.push(performance.now() - t);
    }

    // Watch delivery, two ways: from sending a create to its ADDED event reaching a watcher (includes
    // the fsync), and from the create's acknowledgement to the event (0 when the event came first):
    // how late a watcher learns of a write the writer already knows is durable.
    const sentAt = new Map<string, number>();
    const ackAt = new Map<string, number>();
    const arrivedAt = new Map<string, number>();
    const delivery: number[] = [];
    const afterAck: number[] = [];
    const pair = (name: string) => {
      const a = ackAt.get(name);
      const v = arrivedAt.get(name);
      if (a !== undefined && v !== undefined) afterAck.push(Math.max(0, v - a));
    };
    const watchReq = https.request(`${e.url}${CAS}?watch=1&resourceVersion=0&labelSelector=bench%3Dyes`, { agent: false, ca: e.agent.options.ca, headers: { Authorization: `Bearer ${e.token}` } }, (res) => {
      let buf = '';
      res.setEncoding('utf8').on('data', (d: string) => {
        buf += d;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const ev = JSON.parse(buf.slice(0, i)) as { type: string; object: { metadata: { name: string } } };
          buf = buf.slice(i + 1);
          const t0 = sentAt.get(ev.object.metadata.name);
          if (ev.type === 'ADDED' && t0 !== undefined) {
            delivery.push(performance.now() - t0);
            arrivedAt.set(ev.object.metadata.name, performance.now());
            pair(ev.object.metadata.name);
          }
        }
      });
    });
    watchReq.on('error', () => { /* NB: the watch ends with the server at the end of the run */ });
    watchReq.end();
    await new Promise((r) => setTimeout(r, 200));

    const create: number[] = [];
    const get: number[] = [];
    const list: number[] = [];
    const total = WRITE_RATE * WRITE_SECONDS;
    const pending: Promise<void>[] = [];
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / WRITE_RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const name = `r-${i}`;
      pending.push((async () => {
        const t = performance.now();
        sentAt.set(name, t);
        const r = await call(e, 'POST', CAS, ca(name));
        if (r.status !== 201) throw new Error(`create ${name}: ${r.status} ${r.text}`);
        create.push(performance.now() - t);
        ackAt.set(name, performance.now());
        pair(name);
        const g = performance.now();
        await call(e, 'GET', `${CAS}/${name}`);
        get.push(performance.now() - g);
        if (i % 10 === 0) {
          const l = performance.now();
          await call(e, 'GET', CAS);
          list.push(performance.now() - l);
        }
      })());
    }
    await Promise.all(pending);
    await new Promise((r) => setTimeout(r, 300));
    watchReq.destroy();

    // Fill to OBJECTS objects as fast as 16 concurrent clients go.
    let next = total;
    const fill = async () => {
      while (next < OBJECTS) {
        const name = `f-${next++}`;
        const r = await call(e, 'POST', CAS, ca(name));
        if (r.status !== 201) throw new Error(`create ${name}: ${r.status}`);
      }
    };
    const fillStart = performance.now();
    await Promise.all(Array.from({ length: 16 }, fill));
    const fillRate = (OBJECTS - total) / ((performance.now() - fillStart) / 1000);
    await new Promise((r) => setTimeout(r, 1000));
    const listFull: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await call(e, 'GET', CAS);
      listFull.push(performance.now() - t);
    }
    const rss = rssMiB(child.pid!);

    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    const t0 = performance.now();
    child = startServer(dataDir);
    e = await ready(dataDir, child);
    const restart = (performance.now() - t0) / 1000;
    const count = (JSON.parse((await call(e, 'GET', CAS)).text) as { items: unknown[] }).items.length;
    if (count !== OBJECTS) throw new Error(`after restart ${count} objects, expected ${OBJECTS}`);

    const a = stats(anchor);
    const row = (what: string, s: { p50: number; p99: number; n: number }, goal = '') =>
      console.log(`${what.padEnd(34)} p50 ${s.p50.toFixed(2).padStart(8)} ms  p99 ${s.p99.toFixed(2).padStart(8)} ms  (x${(s.p50 / a.p50).toFixed(1)} anchor, n=${s.n}) ${goal}`);
    console.log(`apiserver bench${quick ? ' (--quick)' : ''}: ${WRITE_RATE} writes/s for ${WRITE_SECONDS} s, then ${OBJECTS} objects`);
    row('anchor: GET /healthz', a);
    row('create (fsync before the answer)', stats(create));
    row('get', stats(get));
    row(`list (${Math.round(total / 2)} objects on average)`, stats(list));
    row(`list (${OBJECTS} objects)`, stats(listFull));
    row('watch: create sent -> event', stats(delivery));
    const d = stats(afterAck);
    row('watch delivery: ack -> event', d, `goal p99 <= 20 ms: ${d.p99 <= 20 ? 'met' : 'MISSED'}`);
    console.log(`${'fill rate (16 clients)'.padEnd(34)} ${fillRate.toFixed(0)} creates/s`);
    console.log(`${`RSS with ${OBJECTS} objects`.padEnd(34)} ${rss.toFixed(1)} MiB  goal <= 300 MiB: ${rss <= 300 ? 'met' : 'MISSED'}`);
    console.log(`${`restart with ${OBJECTS} objects`.padEnd(34)} ${restart.toFixed(2)} s  goal <= 2 s: ${restart <= 2 ? 'met' : 'MISSED'}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
