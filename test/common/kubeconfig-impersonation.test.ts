// A kubeconfig user's impersonation fields (as, as-uid, as-groups, as-user-extra) become the
// Impersonate-* headers client-go sends (transport/round_trippers.go), extra keys escaped as
// headerKeyEscape does.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RequestOptions } from 'node:https';
import { loadKubeconfig } from '../../common/src/kube/kubeconfig.js';

async function headersFor(user: string): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeconfig-'));
  const file = path.join(dir, 'config');
  writeFileSync(file, `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: ${user}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`);
  const opts: RequestOptions = {};
  await loadKubeconfig({ kubeconfig: file }, {}).applyToHTTPSOptions(opts);
  return opts.headers as Record<string, unknown>;
}

describe('kubeconfig impersonation', () => {
  it('sends Impersonate-User, -Uid, -Group and -Extra-<escaped key> next to the token', async () => {
    const h = await headersFor(`{token: t, as: "system:serviceaccount:ns:agent", as-uid: "42", as-groups: [a, b],
      as-user-extra: {"authentication.kubernetes.io/node-name": [node-1], "100%": [x, y]}}`);
    assert.deepEqual(h, {
      Authorization: 'Bearer t',
      'Impersonate-User': 'system:serviceaccount:ns:agent',
      'Impersonate-Uid': '42',
      'Impersonate-Group': ['a', 'b'],
      'Impersonate-Extra-authentication.kubernetes.io%2Fnode-name': ['node-1'],
      'Impersonate-Extra-100%25': ['x', 'y'],
    });
  });

  it('sends none without `as`', async () => {
    assert.deepEqual(await headersFor('{token: t}'), { Authorization: 'Bearer t' });
  });
});
