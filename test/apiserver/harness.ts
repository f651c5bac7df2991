// Test harness for the API server: the real server in this process on port 0 (so tests can reach
// its test switches), raw HTTPS requests, and the real kubectl 1.32 run asynchronously with a fresh
// HOME (the server shares this event loop, so kubectl must never be run synchronously here).
import { spawn } from 'node:child_process';
import https from 'node:https';
import type { ClientRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { startStandalone, type RunningStandalone } from '../../operator/src/standalone/standalone.js';
import { repoPath } from '../support/paths.js';
import { kubectlBin, tempDir, waitFor } from '../support/processes.js';

export { kubectlBin, tempDir };
export const fixtureCrd = repoPath('test/apiserver/fixtures/containerattaches.crd.yaml');
export const projectCrd = repoPath('crds/containerattaches.lxcattach.io.yaml');

export interface TestServer {
  running: RunningStandalone;
  dataDir: string;
  kubeconfig: string;
  url: string;
  token: string;
  ca: string;
  logs: string[];
  stop(): Promise<void>;
}

/** url, token and CA of the server a kubeconfig written by `standalone` points at */
export function endpointOf(kubeconfig: string): { url: string; token: string; ca: string } {
  const kc = parse(readFileSync(kubeconfig, 'utf8')) as { users: Array<{ user: { token: string } }>; clusters: Array<{ cluster: Record<string, string> }> };
  return {
    url: kc.clusters[0]!.cluster.server!,
    token: kc.users[0]!.user.token,
    ca: Buffer.from(kc.clusters[0]!.cluster['certificate-authority-data']!, 'base64').toString('utf8'),
  };
}

export async function startServer(dataDir = tempDir('apiserver')): Promise<TestServer> {
  const kubeconfig = path.join(dataDir, 'kubeconfig');
  const logs: string[] = [];
  const running = await startStandalone({
    dataDir, kubeconfig, listen: { host: '127.0.0.1', port: 0 }, log: (m) => logs.push(m),
  });
  return { running, dataDir, kubeconfig, logs, ...endpointOf(kubeconfig), stop: () => running.stop() };
}

/** A server with the fixture CRD established, past the 2 s a real server holds CR writes after that. */
export async function startServerWithFixtureCrd(): Promise<TestServer> {
  const s = await startServer();
  await applyCrd(new Kubectl(s.kubeconfig), fixtureCrd);
  await new Promise((r) => setTimeout(r, 2100));
  return s;
}

export const fixtureAttachesPath = '/apis/lxcattach.io/v1alpha1/namespaces/default/containerattaches';

/** Creates a ContainerAttach of the fixture CRD in "default" and checks that it was created. */
export async function createFixtureAttach(s: TestServer, name: string, labels?: Record<string, string>): Promise<void> {
  const r = await request(s, 'POST', fixtureAttachesPath, {
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'lxcattach.io/v1alpha1', kind: 'ContainerAttach', metadata: { name, labels }, spec: { container: name } }),
  });
  if (r.status !== 201) throw new Error(`creating ContainerAttach ${name}: ${r.status} ${r.body}`);
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

export interface RequestOptions {
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** null: no Authorization header; undefined: the server's token */
  token?: string | null;
}

export function request(s: { url: string; token: string; ca: string }, method: string, p: string, o: RequestOptions = {}): Promise<RawResponse> {
  const u = new URL(p, s.url);
  const headers: Record<string, string | number> = { ...(o.headers ?? {}) };
  const token = o.token === undefined ? s.token : o.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (o.body !== undefined) headers['Content-Length'] = Buffer.byteLength(o.body);
  return new Promise((resolve, reject) => {
    const req = https.request(u, { method, headers, ca: s.ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, body, json: <T>() => JSON.parse(body) as T });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (o.body !== undefined) req.write(o.body);
    req.end();
  });
}

export interface KubectlResult { code: number | null; stdout: string; stderr: string }

/** Real kubectl 1.32 with its own HOME (discovery cache) and the server's kubeconfig. */
export class Kubectl {
  readonly home = tempDir('kubectl-home');
  constructor(readonly kubeconfig: string) {}

  run(args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<KubectlResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(kubectlBin, args, {
        env: { PATH: process.env.PATH, HOME: this.home, KUBECONFIG: this.kubeconfig },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
      child.on('error', reject);
      child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
      child.stdin.end(opts.input ?? '');
    });
  }

  async ok(args: string[], input?: string): Promise<string> {
    const r = await this.run(args, { input });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  }

  /** Runs and expects failure; returns stderr. */
  async fails(args: string[], input?: string): Promise<string> {
    const r = await this.run(args, { input });
    if (r.code === 0) throw new Error(`kubectl ${args.join(' ')} unexpectedly succeeded: ${r.stdout}`);
    return r.stderr;
  }
}

/** waitFor with this harness's 10 s default. As with waitFor, only undefined means "not yet", so
 *  probes answer `... || undefined` rather than false. */
export function waitUntil<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  return waitFor(what, probe, timeoutMs);
}

/** Applies a CRD file and waits for Established. */
export async function applyCrd(k: Kubectl, file: string): Promise<void> {
  await k.ok(['apply', '-f', file]);
  await k.ok(['wait', '--for=condition=Established', '--timeout=30s', 'crd/containerattaches.lxcattach.io']);
}

export interface WatchEventLine { type: string; object: Record<string, unknown> & { metadata?: Record<string, unknown> } }

/** An open watch request: events as they arrive, and whether the server ended the stream. */
export class WatchStream {
  events: WatchEventLine[] = [];
  status = 0;
  headers: Record<string, string | string[] | undefined> = {};
  ended = false;
  readonly #req: ClientRequest;
  readonly opened: Promise<void>;

  constructor(s: { url: string; token: string; ca: string }, p: string, headers: Record<string, string> = {}) {
    let buf = '';
    let opened!: () => void;
    this.opened = new Promise((r) => (opened = r));
    this.#req = https.request(new URL(p, s.url), { ca: s.ca, agent: false, headers: { Authorization: `Bearer ${s.token}`, ...headers } }, (res) => {
      this.status = res.statusCode!;
      this.headers = res.headers;
      opened();
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buf += d;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line.trim()) this.events.push(JSON.parse(line) as WatchEventLine);
        }
      });
      res.on('end', () => (this.ended = true));
      res.on('error', () => (this.ended = true));
    });
    this.#req.on('error', () => (this.ended = true));
    this.#req.end();
  }

  names(): string[] {
    return this.events.map((e) => `${e.type} ${String(e.object.metadata?.name ?? '')}`);
  }

  close(): void {
    this.#req.destroy();
  }
}
