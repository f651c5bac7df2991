// kubectl lxc-attach --via=apiserver against the standalone API server's real users and RBAC: the
// API server checks `get` on containerattaches/attach before proxying, the attach API asks it for
// `create` with a SubjectAccessReview; both refusals read as kube-apiserver's 403s. Also the attach
// API stopped (apiserver fails clearly, auto falls back to direct) and the requestheader ConfigMap
// re-read when it changes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { containerAttachPath } from '../../common/src/containerattach/paths.js';
import { AgentCluster } from '../support/agent-cluster.js';
import { containerNames } from '../support/containers.js';
import { kubectlOk, pluginBin, tempDir } from '../support/processes.js';
import { attachSubresourceRule, containerAttachObjectsRule, userRoleManifest } from '../support/user-roles.js';

const users = { alice: 'get-only', bob: 'nothing', carol: 'both', dave: 'create-objects-only' } as const;

function roles(): string {
  return [
    userRoleManifest('alice', [containerAttachObjectsRule, attachSubresourceRule('get')]),
    userRoleManifest('carol', [containerAttachObjectsRule, attachSubresourceRule('get, create')]),
    userRoleManifest('dave', [containerAttachObjectsRule]),
  ].join('---\n');
}

describe('attach API: RBAC through the API server, outages and the requestheader ConfigMap', function () {
  this.timeout(90_000);
  const { privileged } = containerNames();
  const cluster = new AgentCluster();
  const dir = tempDir('attach-rbac');
  const home = tempDir('attach-rbac-home');
  const kubeconfigs: Record<string, string> = {};

  before(async () => {
    const tokenFile = path.join(dir, 'tokens.csv');
    writeFileSync(tokenFile, Object.keys(users).map((u, i) => `token-${u}-${process.pid},${u},uid-${i},"devs"`).join('\n') + '\n');
    await cluster.start(undefined, ['--token-auth-file', tokenFile], { attachApi: true });
    kubectlOk(cluster.api.kubeconfig, ['apply', '-f', '-'], roles());
    const admin = parse(readFileSync(cluster.api.kubeconfig, 'utf8')) as { users: { user: Record<string, unknown> }[] };
    for (const u of Object.keys(users)) {
      const copy = structuredClone(admin);
      for (const entry of copy.users) entry.user = { token: `token-${u}-${process.pid}` };
      kubeconfigs[u] = path.join(dir, `${u}.kubeconfig`);
      writeFileSync(kubeconfigs[u], stringify(copy));
    }
    kubeconfigs.admin = cluster.api.kubeconfig;
  });
  after(() => cluster.stop());

  function plugin(user: string, args: string[]) {
    return spawnSync(pluginBin, [`--node=${cluster.node}`, '-n', privileged, ...args], {
      encoding: 'utf8', input: '', timeout: 30_000, env: { PATH: process.env.PATH, KUBECONFIG: kubeconfigs[user], HOME: home },
    });
  }

  async function leftovers(): Promise<string[]> {
    const list = await cluster.client.request<{ items: { metadata: { name: string } }[] }>('GET', containerAttachPath('default'));
    return list.items.map((i) => i.metadata.name);
  }

  it('attaches a user who may create containerattaches/attach', async () => {
    const r = plugin('carol', ['--via=apiserver', '--', 'sh', '-c', 'echo via-api; exit 4']);
    assert.equal(r.stdout, 'via-api\n', r.stderr);
    assert.equal(r.status, 4);
    assert.equal(r.stderr, '');
  });

  it('refuses, with kube-apiserver\'s 403, a user who may create the object but not get the attach subresource', async () => {
    const r = plugin('dave', ['--via=apiserver', '--', 'echo', 'never']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^Error from server \(Forbidden\): containerattaches\.subresources\.lxcattach\.io "[^"]+" is forbidden: User "dave" cannot get resource "containerattaches\/attach" in API group "subresources\.lxcattach\.io" in the namespace "default"\n$/);
    assert.deepEqual(await leftovers(), [], 'the plugin deleted its object');
  });

  it('refuses, in the same wording, a user who may get but not create the attach subresource (the attach API\'s review)', async () => {
    const r = plugin('alice', ['--via=apiserver', '--', 'echo', 'never']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^Error from server \(Forbidden\): containerattaches\.subresources\.lxcattach\.io "[^"]+" is forbidden: User "alice" cannot create resource "containerattaches\/attach" in API group "subresources\.lxcattach\.io" in the namespace "default"/);
    assert.deepEqual(await leftovers(), []);
  });

  it('refuses a user with neither permission before anything is created', async () => {
    const r = plugin('bob', ['--via=apiserver', '--', 'echo', 'never']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /forbidden: User "bob" cannot create resource "containerattaches" in API group "lxcattach\.io"/);
    assert.deepEqual(await leftovers(), []);
  });

  it('re-reads the requestheader ConfigMap: a front proxy name no longer allowed is refused, then allowed again', async () => {
    const cm = ['-n', 'kube-system', 'patch', 'configmap', 'extension-apiserver-authentication', '--type=merge', '-p'];
    const original = JSON.parse(kubectlOk(cluster.api.kubeconfig, ['-n', 'kube-system', 'get', 'configmap', 'extension-apiserver-authentication', '-o', 'json'])) as { data: Record<string, string> };
    kubectlOk(cluster.api.kubeconfig, [...cm, JSON.stringify({ data: { 'requestheader-allowed-names': '["someone-else"]' } })]);
    try {
      let r;
      for (let i = 0; i < 50; i++) {
        r = plugin('carol', ['--via=apiserver', '--', 'echo', 'x']);
        if (r.status !== 0) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      assert.equal(r!.status, 1);
      assert.match(r!.stderr, /Error from server \(Unauthorized\): the client certificate's CN "front-proxy-client" is not in requestheader-allowed-names/);
    } finally {
      kubectlOk(cluster.api.kubeconfig, [...cm, JSON.stringify({ data: { 'requestheader-allowed-names': original.data['requestheader-allowed-names'] } })]);
    }
    let ok;
    for (let i = 0; i < 50; i++) {
      ok = plugin('carol', ['--via=apiserver', '--', 'echo', 'back']);
      if (ok.status === 0) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(ok!.stdout, 'back\n', ok!.stderr);
  });

  it('with the attach API stopped: the APIService says why, --via=apiserver fails clearly, auto goes direct', async () => {
    await cluster.stopAttachApi();
    const reason = await cluster.waitForAttachApi('False');
    assert.match(reason, /^(FailedDiscoveryCheck|MissingEndpoints|EndpointsNotFound)$/);
    const r = plugin('carol', ['--via=apiserver', '--', 'echo', 'never']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^error: --via=apiserver: the API server does not serve the attach API subresources\.lxcattach\.io\/v1alpha1 \(503/);
    assert.deepEqual(await leftovers(), [], 'nothing was created');
    const auto = plugin('carol', ['--', 'echo', 'direct']);
    assert.equal(auto.stdout, 'direct\n', auto.stderr);
    assert.equal(auto.status, 0);
  });
});
