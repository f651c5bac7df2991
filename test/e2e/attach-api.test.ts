// The attach API (lxc-attach-agent attach-api's server) between a caller playing kube-aggregator
// and a real node agent that accepts only the attach API's relay certificate. There is no
// kube-apiserver here: the test presents the front-proxy client certificate and X-Remote-* headers
// itself, from a CA it made, as kube-aggregator does after authenticating and authorizing the user.
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { execFileSync } from 'node:child_process';
import { get } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { containerAttachPath, subresourceAttachPath } from '../../common/src/containerattach/paths.js';
import { protocolV4, protocolV5 } from '../../common/src/stream/channels.js';
import { AttachApiServer } from '../../operator/src/attach-api/attach-api-server.js';
import { parseRequestHeaderConfig } from '../../operator/src/attach-api/requestheader-config.js';
import { AgentCluster, uniqueName } from '../support/agent-cluster.js';
import { authConfigMapData, makeAggregatorCerts } from '../support/aggregator-certs.js';
import { containerNames } from '../support/containers.js';
import { waitFor } from '../support/processes.js';
import { StreamClient } from '../support/stream-client.js';
import type { TlsMaterial } from '../../common/src/tls/self-signed-certificate.js';

describe('attach API: the aggregated attach subresource relayed to the agent', function () {
  this.timeout(60_000);
  const { privileged } = containerNames();
  const certs = makeAggregatorCerts();
  const cluster = new AgentCluster();
  let server: AttachApiServer;
  let base: string;
  const logs: string[] = [];

  before(async () => {
    await cluster.start(`requireAttachApi: true\nattachApiClientCaFile: ${certs.relayCaFile}\n`);
    // alice (the user the test's front proxy vouches for) may create the attach subresource.
    const r = cluster.kubectl(['apply', '-f', '-'], `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: attacher, namespace: default}
rules: [{apiGroups: [subresources.lxcattach.io], resources: [containerattaches/attach], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: attacher, namespace: default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: attacher}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}]
`);
    assert.equal(r.status, 0, r.stderr);
    const config = parseRequestHeaderConfig(authConfigMapData(certs));
    server = new AttachApiServer({
      tls: certs.serving,
      client: cluster.client,
      requestHeaders: { current: () => config },
      relayCredential: certs.relayClient,
      log: (m, f) => logs.push(`${m} ${JSON.stringify(f)}`),
    });
    const addr = await server.listen('127.0.0.1', 0);
    base = `wss://127.0.0.1:${addr.port}`;
  });
  after(async () => {
    await server?.close();
    await cluster.stop();
  });

  async function waiting(name: string, command: string[]) {
    const { token } = await cluster.createInteractive(name, { container: privileged, command });
    const obj = await cluster.waitForPhase(name, ['WaitingForClient']);
    return { token, endpoint: obj.status!.endpoint! };
  }

  function viaApi(name: string, token: string | undefined, o: { cert?: TlsMaterial; headers?: Record<string, string | string[]>; protocols?: string[] } = {}) {
    const headers: Record<string, string | string[]> = o.headers ?? { 'X-Remote-User': 'alice', 'X-Remote-Group': ['devs', 'system:authenticated'] };
    if (token) headers['X-Lxcattach-Session-Token'] = token;
    const cert = o.cert === undefined ? certs.frontProxyClient : o.cert;
    return StreamClient.open(`${base}${subresourceAttachPath('default', name)}`, token, {
      headers,
      protocols: o.protocols,
      tls: { ca: certs.servingCa.cert, ...(cert ? { cert: cert.cert, key: cert.key } : {}) },
    });
  }

  async function refusal(p: Promise<StreamClient>): Promise<{ status: number; body: string }> {
    try {
      (await p).ws.close();
      return { status: 101, body: '' };
    } catch (err) {
      const e = err as { statusCode?: number; body?: string };
      return { status: e.statusCode ?? 0, body: e.body ?? '' };
    }
  }

  function getJson(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: IncomingHttpHeaders }> {
    return new Promise((resolve, reject) => {
      get(`${base.replace('wss:', 'https:')}${path}`, { ca: certs.servingCa.cert, headers }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      }).on('error', reject);
    });
  }

  it('is ready only with a usable requestheader configuration', async () => {
    assert.equal((await getJson('/readyz')).status, 200);
    const unready = new AttachApiServer({
      tls: certs.serving, client: cluster.client, log: () => undefined,
      requestHeaders: { current: () => new Error('kube-system/extension-apiserver-authentication does not exist') },
    });
    const addr = await unready.listen('127.0.0.1', 0);
    try {
      const r = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        get(`https://127.0.0.1:${addr.port}/readyz`, { ca: certs.servingCa.cert }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        }).on('error', reject);
      });
      assert.deepEqual(r, { status: 503, body: 'kube-system/extension-apiserver-authentication does not exist' });
    } finally {
      await unready.close();
    }
  });

  it('serves discovery without a client certificate', async () => {
    const list = await getJson('/apis/subresources.lxcattach.io/v1alpha1');
    assert.equal(list.status, 200);
    const body = JSON.parse(list.body) as { kind: string; groupVersion: string; resources: { name: string; verbs: string[] }[] };
    assert.equal(body.kind, 'APIResourceList');
    assert.equal(body.groupVersion, 'subresources.lxcattach.io/v1alpha1');
    assert.deepEqual(body.resources.map((r) => [r.name, r.verbs]), [['containerattaches/attach', ['get', 'create']]]);
    const group = JSON.parse((await getJson('/apis/subresources.lxcattach.io')).body) as { kind: string; preferredVersion: { version: string } };
    assert.equal(group.kind, 'APIGroup');
    assert.equal(group.preferredVersion.version, 'v1alpha1');
  });

  it('answers kube-aggregator\'s aggregated discovery request (apidiscovery v2, with an ETag)', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';
    const first = await getJson('/apis', { Accept: accept });
    assert.equal(first.status, 200);
    assert.equal(first.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    type Resource = { resource: string; verbs: string[]; subresources: Array<{ subresource: string; verbs: string[] }> };
    const doc = JSON.parse(first.body) as {
      kind: string; apiVersion: string;
      items: Array<{ metadata: { name: string }; versions: Array<{ version: string; freshness: string; resources: Resource[] }> }>;
    };
    assert.equal(doc.kind, 'APIGroupDiscoveryList');
    assert.equal(doc.apiVersion, 'apidiscovery.k8s.io/v2');
    assert.deepEqual(doc.items.map((i) => [i.metadata.name, i.versions.map((v) => v.version)]), [['subresources.lxcattach.io', ['v1alpha1']]]);
    const [parent] = doc.items[0]!.versions[0]!.resources;
    assert.deepEqual([parent!.resource, parent!.verbs, parent!.subresources.map((r) => [r.subresource, r.verbs])], ['containerattaches', [], [['attach', ['get', 'create']]]]);
    const again = await getJson('/apis', { Accept: accept, 'If-None-Match': String(first.headers.etag) });
    assert.equal(again.status, 304);
    const beta = await getJson('/apis', { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList' });
    assert.equal(JSON.parse(beta.body).apiVersion, 'apidiscovery.k8s.io/v2beta1');
    const legacy = JSON.parse((await getJson('/apis', { Accept: 'application/json' })).body) as { kind: string };
    assert.equal(legacy.kind, 'APIGroupList');
  });

  it('relays an attach (v5 and v4) with the exit code, output and stdin EOF', async () => {
    const name = uniqueName('api-relay');
    const { token } = await waiting(name, ['sh', '-c', 'cat; echo err >&2; exit 7']);
    const c = await viaApi(name, token);
    assert.equal(c.ws.protocol, protocolV5);
    c.stdin('through the API\n');
    c.closeStdin();
    const r = await c.done;
    assert.equal(r.stdout.toString(), 'through the API\n');
    assert.equal(r.stderr.toString(), 'err\n');
    assert.deepEqual(r.outcome, { exitCode: 7 });
    const v4 = uniqueName('api-v4');
    const w = await waiting(v4, ['echo', 'four']);
    const c4 = await viaApi(v4, w.token, { protocols: [protocolV4] });
    assert.equal(c4.ws.protocol, protocolV4);
    assert.equal((await c4.done).stdout.toString(), 'four\n');
    await waitFor('the relays to be released', () => (server.activeRelays === 0 ? true : undefined));
  });

  it('refuses a direct stream with a valid session token when the agent requires the attach API', async () => {
    const name = uniqueName('api-direct');
    const { token, endpoint } = await waiting(name, ['echo', 'later']);
    const direct = await refusal(StreamClient.open(endpoint, token));
    assert.equal(direct.status, 403);
    assert.match(direct.body, /only through the attach API/);
    // The refused attempt did not use the token up: the attach API's relay still gets in.
    const c = await viaApi(name, token);
    assert.equal((await c.done).stdout.toString(), 'later\n');
  });

  it('refuses callers that are not the front proxy, forged identity headers included', async () => {
    const name = uniqueName('api-auth');
    const { token } = await waiting(name, ['echo', 'never']);
    const forged = { 'X-Remote-User': 'system:admin', 'X-Remote-Group': 'system:masters' };
    const cases: [string, Awaited<ReturnType<typeof refusal>>, RegExp][] = [
      ['no certificate', await refusal(viaApi(name, token, { cert: null as unknown as TlsMaterial, headers: { ...forged } })), /no client certificate/],
      ['foreign CA', await refusal(viaApi(name, token, { cert: certs.foreignClient, headers: { ...forged } })), /not signed by the requestheader CA/],
      ['server-only certificate', await refusal(viaApi(name, token, { cert: certs.frontProxyServerOnly })), /ClientAuth/],
      ['CN not allowed', await refusal(viaApi(name, token, { cert: certs.otherName })), /"mallory" is not in requestheader-allowed-names/],
      ['no user header', await refusal(viaApi(name, token, { headers: {} })), /no user name header/],
      ['no session token', await refusal(viaApi(name, undefined)), /session token is required/],
      ['no supported subprotocol', await refusal(viaApi(name, token, { protocols: ['channel.k8s.io'] })), /no supported subprotocol/],
    ];
    for (const [what, got, message] of cases) {
      assert.ok(got.status === 401 || got.status === 400, `${what}: ${got.status}`);
      assert.match((JSON.parse(got.body) as { message: string }).message, message, what);
    }
    assert.equal((await cluster.get(name)).status?.phase, 'WaitingForClient', 'nothing reached the agent');
  });

  it('refuses, in kube\'s 403 wording, a user the SubjectAccessReview does not allow to create the attach', async () => {
    const name = uniqueName('api-sar');
    const { token } = await waiting(name, ['echo', 'never']);
    const got = await refusal(viaApi(name, token, { headers: { 'X-Remote-User': 'mallory', 'X-Remote-Group': 'system:authenticated' } }));
    assert.equal(got.status, 403);
    assert.equal(JSON.parse(got.body).message, `containerattaches.subresources.lxcattach.io "${name}" is forbidden: User "mallory" cannot create resource ` +
      '"containerattaches/attach" in API group "subresources.lxcattach.io" in the namespace "default"');
    assert.equal((await cluster.get(name)).status?.phase, 'WaitingForClient', 'nothing reached the agent');
  });

  it('says so when the object names no endpoint, or does not exist', async () => {
    const name = uniqueName('api-pending');
    await cluster.create(cluster.manifest(name, { container: privileged, mode: 'Interactive', stdin: true, command: ['true'], nodeName: 'no-such-node', sessionTokenHash: 'a'.repeat(64) }));
    const pending = await refusal(viaApi(name, 'x'.repeat(32)));
    assert.equal(pending.status, 400);
    assert.match(JSON.parse(pending.body).message as string, new RegExp(`containerattach default/${name} names no agent endpoint in its status \\(phase Pending\\)`));
    const missing = await refusal(viaApi('no-such-attach', 'x'.repeat(32)));
    assert.equal(missing.status, 404);
    assert.equal(JSON.parse(missing.body).message, 'containerattaches.lxcattach.io "no-such-attach" not found');
  });

  it('pins the fingerprint of the status, and gives up on an agent that never answers', async () => {
    // A TLS server that takes connections and never answers: a hung agent, or an impostor.
    const silent = createTlsServer({ cert: certs.serving.cert, key: certs.serving.key }, () => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const hung = async (fingerprint: string) => {
        const name = uniqueName('api-hung');
        await cluster.create(cluster.manifest(name, { container: privileged, mode: 'Interactive', stdin: true, command: ['true'], nodeName: 'elsewhere', sessionTokenHash: 'a'.repeat(64) }));
        await cluster.client.request('PATCH', `${containerAttachPath('default', name)}/status`, {
          contentType: 'application/merge-patch+json',
          body: { status: { phase: 'WaitingForClient', nodeName: 'elsewhere', endpoint: `wss://127.0.0.1:${port}/attach/default/${name}`, tlsFingerprint: fingerprint } },
        });
        return refusal(viaApi(name, 'x'.repeat(32)));
      };
      const impostor = await hung(certs.relayClient.fingerprint);
      assert.equal(impostor.status, 503);
      assert.match(JSON.parse(impostor.body).message as string, /presented a certificate whose fingerprint is not the one in status\.tlsFingerprint \(node elsewhere\)/);
      const silentAgent = await hung(certs.serving.fingerprint);
      assert.equal(silentAgent.status, 503);
      assert.match(JSON.parse(silentAgent.body).message as string, /did not answer the upgrade: no answer within 10s \(node elsewhere\)/);
    } finally {
      silent.close();
    }
    assert.equal(server.activeRelays, 0);
  });

  it('passes the agent\'s own refusal through unchanged', async () => {
    const name = uniqueName('api-wrongtoken');
    await waiting(name, ['true']);
    const got = await refusal(viaApi(name, 'not-the-token'));
    assert.equal(got.status, 401);
    assert.equal(JSON.parse(got.body).message, 'the session token does not match a waiting ContainerAttach');
  });

  it('ends the client\'s stream without a status when the agent vanishes, leaving no process behind', async () => {
    const name = uniqueName('api-vanish');
    const marker = `${4000 + (process.pid % 1000)}.${Date.now() % 1000}`;
    const { token } = await waiting(name, ['sh', '-c', `echo up; exec sleep ${marker}`]);
    const c = await viaApi(name, token);
    await c.waitForStdout('up\n');
    await cluster.restartAgent('SIGKILL');
    const r = await c.done;
    assert.equal(r.outcome, undefined, 'no exit status: the plugin reports an error, never 0');
    await waitFor('the relay to be released', () => (server.activeRelays === 0 ? true : undefined));
    await waitFor('the attached command to be gone', () => (execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).includes(`sleep ${marker}`) ? undefined : true), 15_000);
  });

  it('hangs the session up when the client goes away mid-relay', async () => {
    const name = uniqueName('api-client-gone');
    const { token } = await waiting(name, ['sh', '-c', 'echo up; exec sleep 300']);
    const c = await viaApi(name, token);
    await c.waitForStdout('up\n');
    c.ws.terminate();
    const done = await cluster.waitForPhase(name, ['Failed', 'Succeeded']);
    assert.notEqual(done.status?.phase, 'Succeeded');
    await waitFor('the relay to be released', () => (server.activeRelays === 0 ? true : undefined));
  });
});
