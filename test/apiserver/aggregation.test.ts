// The aggregation layer against the real kubectl 1.32: an APIService backed by a real HTTPS server
// (port 0, behind a Service and an EndpointSlice) goes Available, is proxied with the X-Remote-*
// identity and the front-proxy client certificate, passes an upgrade through, strips forged
// identity headers, is merged into discovery, and goes unavailable with the real reason when the
// backend stops.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import WebSocket from 'ws';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startStandalone, type RunningStandalone } from '../../operator/src/standalone/standalone.js';
import { Kubectl, applyCrd, endpointOf, fixtureCrd, request, tempDir, waitUntil } from './harness.js';
import { startAggregatedBackend, type AggregatedBackend } from './aggregated-backend.js';

const GROUP = 'subresources.lxcattach.io';
const VERSION = 'v1alpha1';
const NS = 'lxc-attach';
const SVC = 'lxc-attach-api';
/** the server's --request-timeout here, instead of kube's 60 s */
const REQUEST_TIMEOUT_MS = 1500;

interface DiscoveryResource { resource: string; verbs: string[]; subresources?: Array<{ subresource: string; verbs: string[] }> }
interface DiscoveryItem { metadata: { name: string }; versions: Array<{ freshness: string; resources: DiscoveryResource[] }> }

describe('aggregated APIs (kubectl 1.32)', function () {
  this.timeout(90_000);
  let running: RunningStandalone;
  let admin: Kubectl;
  let server: { url: string; token: string; ca: string };
  let backend: AggregatedBackend;
  const dir = tempDir('aggregation');

  before(async () => {
    const tokens = path.join(dir, 'tokens.csv');
    writeFileSync(tokens, 'alice-token,alice,1001,"attachers"\nbob-token,bob,1002\n');
    running = await startStandalone({ dataDir: path.join(dir, 'data'), kubeconfig: path.join(dir, 'kubeconfig'), listen: { host: '127.0.0.1', port: 0 }, tokenAuthFile: tokens, log: () => undefined,
      requestTimeoutMs: REQUEST_TIMEOUT_MS });
    admin = new Kubectl(running.kubeconfig);
    server = endpointOf(running.kubeconfig);
    const cm = JSON.parse(await admin.ok(['get', 'configmap', '-n', 'kube-system', 'extension-apiserver-authentication', '-o', 'json'])) as { data: Record<string, string> };
    backend = await startAggregatedBackend({ group: GROUP, version: VERSION, dnsName: `${SVC}.${NS}.svc`, requestHeaderCa: cm.data['requestheader-client-ca-file']! });
    await admin.ok(['create', 'namespace', NS]);
    await admin.ok(['apply', '--validate=false', '-f', '-'], JSON.stringify({
      apiVersion: 'v1', kind: 'List', items: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: SVC, namespace: NS }, spec: { ports: [{ name: 'https', port: 443, targetPort: 8443 }] } },
        { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${SVC}-1`, namespace: NS, labels: { 'kubernetes.io/service-name': SVC } },
          addressType: 'IPv4', endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }], ports: [{ name: 'https', port: backend.port, protocol: 'TCP' }] },
        { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: `${VERSION}.${GROUP}` },
          spec: { group: GROUP, version: VERSION, service: { namespace: NS, name: SVC, port: 443 }, caBundle: Buffer.from(backend.caPem).toString('base64'), groupPriorityMinimum: 1000, versionPriority: 15 } },
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'attach', labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } },
          rules: [{ apiGroups: [GROUP], resources: ['containerattaches/attach', 'widgets'], verbs: ['get', 'create'] }] },
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'attachers', namespace: 'default' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'attach' }, subjects: [{ kind: 'Group', name: 'attachers' }] },
      ],
    }));
  });
  after(async () => {
    await running.stop();
    await backend.stop();
  });

  it('publishes extension-apiserver-authentication with the front-proxy CA', async () => {
    const cm = JSON.parse(await admin.ok(['get', 'configmap', '-n', 'kube-system', 'extension-apiserver-authentication', '-o', 'json'])) as { data: Record<string, string> };
    assert.deepEqual(JSON.parse(cm.data['requestheader-allowed-names']!), ['front-proxy-client']);
    assert.deepEqual(JSON.parse(cm.data['requestheader-username-headers']!), ['X-Remote-User']);
    assert.deepEqual(JSON.parse(cm.data['requestheader-uid-headers']!), ['X-Remote-Uid']);
    assert.deepEqual(JSON.parse(cm.data['requestheader-group-headers']!), ['X-Remote-Group']);
    assert.deepEqual(JSON.parse(cm.data['requestheader-extra-headers-prefix']!), ['X-Remote-Extra-']);
    assert.equal(new X509Certificate(cm.data['requestheader-client-ca-file']!).ca, true);
  });

  it('kubectl get apiservice shows it Available once the discovery check passes', async () => {
    const line = new RegExp(`^${VERSION}\\.${GROUP.replace(/\./g, '\\.')}\\s+${NS}/${SVC}\\s+True\\s`, 'm');
    const out = await waitUntil('APIService Available', async () => {
      const o = await admin.ok(['get', 'apiservice']);
      return line.test(o) ? o : undefined;
    }, 20_000);
    assert.match(out, /^NAME\s+SERVICE\s+AVAILABLE\s+AGE\n/);
    // the server's own group versions are registered as Local APIServices, as kube-apiserver does
    assert.match(out, /^v1\.\s+Local\s+True\s/m);
    assert.match(out, /^v1\.rbac\.authorization\.k8s\.io\s+Local\s+True\s/m);
    const probe = backend.seen.find((r) => r.headers['x-remote-user'] === 'system:kube-aggregator');
    assert.ok(probe, 'the availability check reached the backend');
    assert.equal(probe.headers['x-remote-group'], 'system:masters');
    assert.equal(probe.clientCn, 'front-proxy-client');
  });

  it('get --raw /apis/G/V is proxied with the caller\'s identity and the front-proxy certificate', async () => {
    const before = backend.seen.length;
    const doc = JSON.parse(await admin.ok(['get', '--raw', `/apis/${GROUP}/${VERSION}`, '--as', 'alice', '--as-group', 'attachers'])) as { resources: Array<{ name: string }> };
    assert.deepEqual(doc.resources.map((r) => r.name), ['widgets', 'containerattaches/attach']);
    const seen = backend.seen.slice(before).find((r) => r.url === `/apis/${GROUP}/${VERSION}` && r.headers['x-remote-user'] === 'alice');
    assert.ok(seen, 'the backend got the request as alice');
    assert.equal(seen.headers['x-remote-group'], 'attachers, system:authenticated');
    assert.equal(seen.clientCn, 'front-proxy-client');
    assert.equal(seen.clientAuthorized, true, 'the client certificate chains to the requestheader CA');
    assert.equal(seen.headers.authorization, undefined);
    assert.equal(seen.headers['impersonate-user'], undefined);
    assert.equal(seen.headers['x-forwarded-proto'], 'https');
    assert.ok(seen.headers['audit-id']);
  });

  it('forged X-Remote-* headers from a client never reach the backend', async () => {
    const before = backend.seen.length;
    const r = await request({ ...server, token: 'alice-token' }, 'GET', `/apis/${GROUP}/${VERSION}`, {
      headers: { 'X-Remote-User': 'system:admin', 'X-Remote-Group': 'system:masters', 'X-Remote-Extra-Scopes': 'all', 'X-Remote-Uid': '0' },
    });
    assert.equal(r.status, 200);
    const seen = backend.seen.slice(before).find((x) => x.url === `/apis/${GROUP}/${VERSION}`)!;
    const remote = seen.rawHeaders.filter((_, i) => i % 2 === 0 && /^x-remote-/i.test(seen.rawHeaders[i]!))
      .map((name) => `${name}: ${seen.rawHeaders[seen.rawHeaders.indexOf(name) + 1]!}`);
    assert.deepEqual(seen.headers['x-remote-user'], 'alice');
    assert.equal(seen.headers['x-remote-uid'], '1001');
    assert.equal(seen.headers['x-remote-group'], 'attachers, system:authenticated');
    assert.equal(seen.headers['x-remote-extra-scopes'], undefined, remote.join('; '));
  });

  it('the backend\'s certificate must chain to the caBundle', async () => {
    const name = `${VERSION}.${GROUP}`;
    const cm = JSON.parse(await admin.ok(['get', 'configmap', '-n', 'kube-system', 'extension-apiserver-authentication', '-o', 'json'])) as { data: Record<string, string> };
    const wrongCa = Buffer.from(cm.data['requestheader-client-ca-file']!).toString('base64');
    await admin.ok(['patch', 'apiservice', name, '--type=merge', '-p', JSON.stringify({ spec: { caBundle: wrongCa } })]);
    const r = await request(server, 'GET', `/apis/${GROUP}/${VERSION}`);
    assert.equal(r.status, 503);
    assert.equal(r.body, 'error trying to reach service: tls: failed to verify certificate: x509: certificate signed by unknown authority\n');
    await admin.ok(['patch', 'apiservice', name, '--type=merge', '-p', JSON.stringify({ spec: { caBundle: Buffer.from(backend.caPem).toString('base64') } })]);
    assert.equal((await request(server, 'GET', `/apis/${GROUP}/${VERSION}`)).status, 200);
  });

  it('requests under the group are authorized by RBAC before they are proxied', async () => {
    const before = backend.seen.length;
    const path_ = `/apis/${GROUP}/${VERSION}/namespaces/kube-system/containerattaches/a1/attach`;
    const r = await request({ ...server, token: 'alice-token' }, 'GET', path_);
    assert.equal(r.status, 403);
    assert.equal(r.json()['message'], `containerattaches.${GROUP} "a1" is forbidden: User "alice" cannot get resource "containerattaches/attach" in API group "${GROUP}" in the namespace "kube-system"`);
    // The availability controller's own checks and discovery fetches may reach the backend meanwhile.
    assert.deepEqual(backend.seen.slice(before).filter((x) => x.url.startsWith(path_)), [], 'the refused request never reached the backend');
    // a fresh HOME: admin's discovery cache predates the APIService
    const fresh = new Kubectl(running.kubeconfig);
    const canI = (...args: string[]) => fresh.run(['auth', 'can-i', ...args]).then((x) => x.stdout.trim());
    assert.equal(await canI('get', 'widgets', '--as', 'alice', '--as-group', 'attachers'), 'yes');
    assert.equal(await canI('get', `widgets.${GROUP}`, '--as', 'alice', '--as-group', 'attachers', '-n', 'kube-system'), 'no');
    assert.equal(await canI('get', 'widgets', '--as', 'alice'), 'no');
    // kubectl maps no resource for a subresource whose parent the server does not list (its
    // RESTMapper skips the verb-less parent), so the attach check is the review kubectl would send
    const ssar = (token: string) => request({ ...server, token }, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {
        resourceAttributes: { namespace: 'default', verb: 'create', group: GROUP, resource: 'containerattaches', subresource: 'attach', name: 'a1' } } }),
    }).then((x) => x.json<{ status: { allowed: boolean } }>().status.allowed);
    assert.equal(await ssar('alice-token'), true);
    assert.equal(await ssar('bob-token'), false);
  });

  it('a WebSocket upgrade reaches the backend as the caller and is spliced both ways', async () => {
    const before = backend.seen.length;
    const u = new URL(server.url);
    const socket = tls.connect({ host: u.hostname, port: Number(u.port), ca: server.ca, servername: 'localhost' });
    await new Promise((r) => socket.once('secureConnect', r));
    let got = '';
    socket.setEncoding('latin1').on('data', (d: string) => (got += d));
    socket.write(`GET /apis/${GROUP}/${VERSION}/namespaces/default/containerattaches/a1/attach HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer alice-token\r\n`
      + 'Impersonate-User: nobody-else\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n');
    await waitUntil('403 for an impersonation alice may not do', () => (got.includes('\r\n\r\n') ? got : undefined));
    assert.match(got, /^HTTP\/1\.1 403 /);
    socket.destroy();

    // a real WebSocket client through the proxy to the backend's WebSocket server
    const ws = new WebSocket(`wss://${u.host}/apis/${GROUP}/${VERSION}/namespaces/default/containerattaches/a1/attach`, ['v5.channel.k8s.io'], {
      ca: server.ca, headers: { Authorization: 'Bearer alice-token', 'X-Remote-User': 'forged' },
    });
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    assert.equal(ws.protocol, 'v5.channel.k8s.io');
    const echoed = new Promise<string>((resolve) => ws.once('message', (d) => resolve(String(d))));
    ws.send('hello');
    assert.equal(await echoed, 'echo:hello');
    const closed = new Promise((resolve) => ws.once('close', resolve));
    ws.close();
    await closed;
    const seen = backend.seen.slice(before).find((r) => r.upgrade)!;
    assert.equal(seen.headers['x-remote-user'], 'alice');
    assert.equal(seen.headers['sec-websocket-protocol'], 'v5.channel.k8s.io');
    assert.equal(seen.headers.authorization, undefined);
    assert.equal(seen.clientCn, 'front-proxy-client');
  });

  it('discovery lists the aggregated group (kubectl api-resources)', async () => {
    // api-resources shows resources with verbs; a subresource whose parent the backend does not
    // list sits under a parent without verbs, as kube's discovery conversion makes it
    const out = await admin.ok(['api-resources', `--api-group=${GROUP}`]);
    assert.match(out, new RegExp(`^widgets\\s+${GROUP.replace(/\./g, '\\.')}/${VERSION}\\s+true\\s+Widget$`, 'm'));
    const agg = (await request(server, 'GET', '/apis', { headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' } }))
      .json<{ items: DiscoveryItem[] }>();
    const item = agg.items.find((i) => i.metadata.name === GROUP)!;
    assert.equal(item.versions[0]!.freshness, 'Current');
    const ca = item.versions[0]!.resources.find((r) => r.resource === 'containerattaches')!;
    assert.deepEqual(ca.verbs, []);
    assert.deepEqual(ca.subresources, [{ subresource: 'attach', responseKind: { group: GROUP, version: VERSION, kind: 'ContainerAttach' }, verbs: ['create', 'get'] }]);
    const apis = (await request(server, 'GET', '/apis')).json<{ groups: Array<{ name: string }> }>();
    assert.ok(apis.groups.some((g) => g.name === GROUP));
    const group = (await request(server, 'GET', `/apis/${GROUP}`)).json<{ preferredVersion: { version: string } }>();
    assert.equal(group.preferredVersion.version, VERSION);
  });

  it('cuts a proxied request that is not long-running after --request-timeout with kube\'s 504; long-running ones run on', async () => {
    const base = `/apis/${GROUP}/${VERSION}/namespaces/default/widgets`;
    const started = Date.now();
    const cut = await request(server, 'GET', `${base}/hang/status`);
    const took = Date.now() - started;
    assert.equal(cut.status, 504);
    assert.ok(took >= REQUEST_TIMEOUT_MS && took < REQUEST_TIMEOUT_MS + 2000, `answered after ${took} ms`);
    assert.equal(cut.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(cut.body, '{"metadata":{},"status":"Failure","message":"Timeout: request did not complete within the allotted timeout","reason":"Timeout","details":{},"code":504}\n');

    // long-running: a watch, the attach/exec/log/proxy/portforward subresources (kube's sets)
    const u = new URL(server.url);
    const held = (path: string) => new Promise<string>((resolve) => {
      const socket = tls.connect({ host: u.hostname, port: Number(u.port), ca: server.ca, servername: 'localhost' }, () => {
        socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.token}\r\n\r\n`);
      });
      let got = '';
      socket.setEncoding('latin1').on('data', (d: string) => (got += d));
      setTimeout(() => { socket.destroy(); resolve(got); }, REQUEST_TIMEOUT_MS + 700);
    });
    const answers = await Promise.all([`${base}/hang/log`, `${base}/hang/attach`, `/apis/${GROUP}/${VERSION}/namespaces/default/hang?watch=true`, `${base}/hang/portforward`].map((p) => held(p)));
    assert.deepEqual(answers, ['', '', '', ''], 'long-running requests are still open, unanswered');

    // an upgrade that is not long-running: 504 while the backend has not switched protocols ...
    const pending = await new Promise<string>((resolve) => {
      const socket = tls.connect({ host: u.hostname, port: Number(u.port), ca: server.ca, servername: 'localhost' }, () => {
        socket.write(`GET ${base}/hang/console HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.token}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n`
          + 'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
      });
      let got = '';
      socket.setEncoding('latin1').on('data', (d: string) => (got += d)).on('close', () => resolve(got));
      setTimeout(() => socket.destroy(), REQUEST_TIMEOUT_MS + 2000);
    });
    assert.match(pending, /^HTTP\/1\.1 504 /);
    assert.match(pending, /"reason":"Timeout"/);
    // ... and once switched the connection is hijacked: the timeout no longer ends it (kube panics
    // its handler with ErrAbortHandler, which leaves a hijacked connection alone).
    const ws = new WebSocket(`wss://${u.host}${base}/w1/console`, ['v5.channel.k8s.io'], { ca: server.ca, headers: { Authorization: `Bearer ${server.token}` } });
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    await new Promise((r) => setTimeout(r, REQUEST_TIMEOUT_MS + 500));
    const echoed = new Promise<string>((resolve) => ws.once('message', (d) => resolve(String(d))));
    ws.send('still there');
    assert.equal(await echoed, 'echo:still there');
    ws.close();
  });

  it('merges a backend\'s aggregated discovery (v2), asked for as kube-aggregator asks', async () => {
    const group2 = 'gadgets.example.com';
    const svc2 = 'gadget-api';
    const cm = JSON.parse(await admin.ok(['get', 'configmap', '-n', 'kube-system', 'extension-apiserver-authentication', '-o', 'json'])) as { data: Record<string, string> };
    const gadgets = await startAggregatedBackend({ group: group2, version: 'v1', dnsName: `${svc2}.${NS}.svc`, requestHeaderCa: cm.data['requestheader-client-ca-file']!, aggregated: true });
    try {
      await admin.ok(['apply', '--validate=false', '-f', '-'], JSON.stringify({
        apiVersion: 'v1', kind: 'List', items: [
          { apiVersion: 'v1', kind: 'Service', metadata: { name: svc2, namespace: NS }, spec: { ports: [{ name: 'https', port: 443, targetPort: 8443 }] } },
          { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${svc2}-1`, namespace: NS, labels: { 'kubernetes.io/service-name': svc2 } },
            addressType: 'IPv4', endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }], ports: [{ name: 'https', port: gadgets.port, protocol: 'TCP' }] },
          { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: `v1.${group2}` },
            spec: { group: group2, version: 'v1', service: { namespace: NS, name: svc2, port: 443 }, caBundle: Buffer.from(gadgets.caPem).toString('base64'), groupPriorityMinimum: 1000, versionPriority: 15 } },
        ],
      }));
      const out = await waitUntil('gadgets in kubectl api-resources', async () => {
        const o = await admin.ok(['api-resources', `--api-group=${group2}`]);
        return /^gadgets\s/m.test(o) ? o : undefined;
      }, 20_000);
      assert.match(out, new RegExp(`^gadgets\\s+${group2.replace(/\./g, '\\.')}/v1\\s+true\\s+Gadget$`, 'm'));
      assert.doesNotMatch(out, /widgets/, 'the APIResourceList fallback was not used');
      const asked = gadgets.seen.find((r) => r.url === '/apis')!;
      assert.equal(asked.headers.accept, 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
      assert.equal(asked.headers['x-remote-user'], 'system:kube-aggregator');
      assert.equal(asked.clientCn, 'front-proxy-client');
      const agg = (await request(server, 'GET', '/apis', { headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' } })).json<{ items: DiscoveryItem[] }>();
      const item = agg.items.find((i) => i.metadata.name === group2)!;
      assert.deepEqual(item.versions.map((v) => [v.freshness, v.resources.map((r) => r.resource)]), [['Current', ['gadgets']]]);
      // the next sync sends the ETag and keeps what it had on 304
      await admin.ok(['patch', 'apiservice', `v1.${group2}`, '--type=merge', '-p', '{"spec":{"versionPriority":16}}']);
      await waitUntil('a conditional fetch', () => (gadgets.seen.some((r) => r.url === '/apis' && r.headers['if-none-match'] === '"gadgets-1"') ? true : undefined), 20_000);
      const again = (await request(server, 'GET', '/apis', { headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' } })).json<{ items: DiscoveryItem[] }>();
      assert.deepEqual(again.items.find((i) => i.metadata.name === group2)!.versions.map((v) => v.resources.map((r) => r.resource)), [['gadgets']]);
    } finally {
      await admin.ok(['delete', 'apiservice', `v1.${group2}`]);
      await gadgets.stop();
    }
  });

  it('goes unavailable with the real reason when the backend stops, and the proxy answers 503', async () => {
    await backend.stop();
    // still Available until the next check (nothing changed in the store): the proxy's own dial fails
    const early = await request(server, 'GET', `/apis/${GROUP}/${VERSION}/namespaces/default/widgets`);
    assert.equal(early.status, 503);
    assert.equal(early.body, `error trying to reach service: dial tcp 127.0.0.1:${backend.port}: connect: connection refused\n`);
    assert.equal(early.headers['content-type'], 'text/plain; charset=utf-8');
    running.server.apiServiceAvailability.checkAll();
    const out = await waitUntil('APIService unavailable', async () => {
      const o = await admin.ok(['get', 'apiservice']);
      return /False \(FailedDiscoveryCheck\)/.test(o) ? o : undefined;
    }, 20_000);
    assert.match(out, /False \(FailedDiscoveryCheck\)/);
    const a = JSON.parse(await admin.ok(['get', 'apiservice', `${VERSION}.${GROUP}`, '-o', 'json'])) as { status: { conditions: Array<Record<string, string>> } };
    const url = `https://127.0.0.1:${backend.port}/apis/${GROUP}/${VERSION}`;
    assert.equal(a.status.conditions[0]!['message'], `failing or missing response from ${url}: Get "${url}": dial tcp 127.0.0.1:${backend.port}: connect: connection refused`);
    const r = await request(server, 'GET', `/apis/${GROUP}/${VERSION}`);
    assert.equal(r.status, 503);
    assert.equal(r.body, 'service unavailable\n');
    assert.match(await admin.fails(['get', '--raw', `/apis/${GROUP}/${VERSION}`]), /ServiceUnavailable|service unavailable/);
  });

  it('a CRD\'s group versions get Local APIServices while the CRD serves them', async () => {
    await applyCrd(admin, fixtureCrd);
    const line = /^v1alpha1\.lxcattach\.io\s+Local\s+True\s/m;
    await waitUntil('CRD APIService', async () => (line.test(await admin.ok(['get', 'apiservice'])) ? true : undefined));
    const a = JSON.parse(await admin.ok(['get', 'apiservice', 'v1alpha1.lxcattach.io', '-o', 'json'])) as { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> };
    assert.equal(a.metadata.labels['kube-aggregator.kubernetes.io/automanaged'], 'true');
    assert.deepEqual(a.spec, { group: 'lxcattach.io', version: 'v1alpha1', groupPriorityMinimum: 1000, versionPriority: 100 });
    await admin.ok(['delete', 'crd', 'containerattaches.lxcattach.io']);
    await waitUntil('CRD APIService removed', async () => (line.test(await admin.ok(['get', 'apiservice'])) ? undefined : true));
  });

  it('names a missing endpoint as the reason', async () => {
    await admin.ok(['delete', 'endpointslice', '-n', NS, `${SVC}-1`]);
    await waitUntil('EndpointsNotFound', async () => (/False \(EndpointsNotFound\)/.test(await admin.ok(['get', 'apiservice'])) ? true : undefined));
    await admin.ok(['delete', 'service', '-n', NS, SVC]);
    await waitUntil('ServiceNotFound', async () => (/False \(ServiceNotFound\)/.test(await admin.ok(['get', 'apiservice'])) ? true : undefined));
  });
});
