// A stand-in for the server side only: a plain-HTTP server on 127.0.0.1:0 that answers just
// enough of the API (version, legacy discovery, the POSTs) for the real kubectl to send its
// request, and records every request body so the tests can decode what kubectl really sent.
// It is a mock because no kube-apiserver can run here; the client and its bytes are real.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { repoPath } from '../../support/paths.js';

export interface CapturedRequest {
  method: string;
  url: string;
  contentType: string;
  body: Buffer;
}

const RESOURCES: Record<string, Array<{ name: string; kind: string; namespaced: boolean; verbs: string[] }>> = {
  '/api/v1': [
    { name: 'namespaces', kind: 'Namespace', namespaced: false, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
    { name: 'secrets', kind: 'Secret', namespaced: true, verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] },
    { name: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, verbs: ['create', 'get'] },
    { name: 'serviceaccounts/token', kind: 'TokenRequest', namespaced: true, verbs: ['create'] },
  ],
  '/apis/authorization.k8s.io/v1': [
    { name: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false, verbs: ['create'] },
  ],
  '/apis/authentication.k8s.io/v1': [
    { name: 'tokenreviews', kind: 'TokenReview', namespaced: false, verbs: ['create'] },
  ],
  '/apis/lxcattach.io/v1alpha1': [
    { name: 'containerattaches', kind: 'ContainerAttach', namespaced: true, verbs: ['create', 'get', 'list'] },
  ],
};

function discovery(url: string): unknown {
  if (url === '/version') {
    return { major: '1', minor: '32', gitVersion: 'v1.32.4', gitCommit: '', gitTreeState: 'clean', buildDate: '2025-01-01T00:00:00Z', goVersion: 'go1.23.6', compiler: 'gc', platform: 'linux/amd64' };
  }
  if (url === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] };
  if (url === '/apis') {
    const groups = ['authorization.k8s.io/v1', 'authentication.k8s.io/v1', 'lxcattach.io/v1alpha1'].map((gv) => {
      const [name, version] = gv.split('/') as [string, string];
      return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
    });
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }
  const resources = RESOURCES[url];
  if (!resources) return undefined;
  return {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: url.replace(/^\/apis?\//, ''),
    resources: resources.map((r) => ({ name: r.name, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: r.verbs })),
  };
}

/** What a POST answers: the object kubectl needs to print its success line. */
function created(url: string): unknown {
  if (url.includes('/selfsubjectaccessreviews')) return { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec: {}, status: { allowed: true } };
  if (url.endsWith('/token')) return { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: {}, spec: { audiences: [] }, status: { token: 'captured-token', expirationTimestamp: '2030-01-01T00:00:00Z' } };
  const name = 'captured';
  if (url.endsWith('/namespaces')) return { kind: 'Namespace', apiVersion: 'v1', metadata: { name } };
  return { kind: 'Secret', apiVersion: 'v1', metadata: { name, namespace: 'default' } };
}

export class CaptureServer {
  readonly requests: CapturedRequest[] = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = (req.url ?? '').split('?')[0]!;
      this.requests.push({ method: req.method ?? '', url, contentType: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
      const answer = req.method === 'POST' ? created(url) : discovery(url);
      if (answer === undefined) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 }));
        return;
      }
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  private home = '';

  async start(): Promise<void> {
    this.home = mkdtempSync(path.join(os.tmpdir(), 'builtins-kubectl-home-'));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
    rmSync(this.home, { recursive: true, force: true });
  }

  /** runs the real kubectl 1.32 against this server with a fresh HOME; resolves with its stdout */
  kubectl(...args: string[]): Promise<string> {
    const port = (this.server.address() as AddressInfo).port;
    return new Promise((resolve, reject) => {
      execFile(repoPath('.tools/bin/kubectl'), ['--server', `http://127.0.0.1:${port}`, ...args], {
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: this.home, KUBECONFIG: path.join(this.home, 'none') },
        timeout: 20_000,
      }, (err, stdout, stderr) => (err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`, { cause: err })) : resolve(stdout)));
    });
  }

  /** the last POST kubectl sent */
  lastPost(): CapturedRequest {
    const post = [...this.requests].reverse().find((r) => r.method === 'POST');
    if (!post) throw new Error(`kubectl sent no POST; requests: ${this.requests.map((r) => `${r.method} ${r.url}`).join(', ')}`);
    return post;
  }
}
