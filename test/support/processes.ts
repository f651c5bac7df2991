// Real processes for end-to-end tests: the standalone API server, node agents, kubectl. Each is a
// child process, so tests can kill -9 and restart them like the real thing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoPath } from './paths.js';

export const agentBin = repoPath('dist/operator/src/main.js');
export const pluginBin = repoPath('dist/kubectl-lxc_attach.mjs');
export const kubectlBin = repoPath('.tools/bin/kubectl');
export const helperBin = repoPath('native/lxc-attach-helper');

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `lxcat-${prefix}-`));
}

/** Resident memory of a live process, from /proc. */
export function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) / 1024;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A child process whose output is kept for assertions and error messages. */
export class Proc {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
    this.child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}

export interface Standalone {
  proc: Proc;
  dataDir: string;
  kubeconfig: string;
}

/** The standalone API server alone (--no-agent), on a free port, in `dataDir`. */
export async function startApiServer(dataDir = tempDir('apiserver'), extraArgs: string[] = []): Promise<Standalone> {
  const kubeconfig = path.join(dataDir, 'kubeconfig');
  const proc = new Proc(process.execPath, [agentBin, 'standalone', '--data-dir', dataDir, '--kubeconfig', kubeconfig,
    '--listen', '127.0.0.1:0', '--no-agent', ...extraArgs]);
  await waitFor('the standalone API server', () => {
    if (proc.child.exitCode !== null) throw new Error(`standalone server exited: ${proc.stderr}`);
    if (!existsSync(kubeconfig)) return undefined;
    const r = kubectl(kubeconfig, ['get', '--raw', '/readyz']);
    return r.status === 0 ? true : undefined;
  });
  return { proc, dataDir, kubeconfig };
}

/** Restarts a standalone server on the same data dir (and so the same port, kept in the kubeconfig). */
export async function restartApiServer(s: Standalone): Promise<Standalone> {
  return startApiServer(s.dataDir);
}

let kubectlHome: string | undefined;

/** The real kubectl 1.32 with a fresh HOME for this test run (its discovery cache lives there). */
export function kubectl(kubeconfig: string, args: string[], input?: string) {
  kubectlHome ??= tempDir('kubectl-home');
  return spawnSync(kubectlBin, args, {
    encoding: 'utf8',
    input,
    env: { PATH: process.env.PATH, HOME: kubectlHome, KUBECONFIG: kubeconfig },
    timeout: 30_000,
  });
}

export function kubectlOk(kubeconfig: string, args: string[], input?: string): string {
  const r = kubectl(kubeconfig, args, input);
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

export async function applyProjectCrd(kubeconfig: string): Promise<void> {
  kubectlOk(kubeconfig, ['apply', '-f', repoPath('crds/containerattaches.lxcattach.io.yaml')]);
  kubectlOk(kubeconfig, ['wait', '--for=condition=Established', '--timeout=30s', 'crd/containerattaches.lxcattach.io']);
}

export interface AgentProc {
  proc: Proc;
  port: number;
  dataDir: string;
}

/** A node agent process against `kubeconfig`, listening on a free port of 127.0.0.1. */
export async function startAgent(kubeconfig: string, node: string, opts: { config?: string; dataDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<AgentProc> {
  const dataDir = opts.dataDir ?? tempDir('agent');
  const args = [agentBin, 'node', '--node', node, '--kubeconfig', kubeconfig, '--data-dir', dataDir,
    '--listen', '127.0.0.1:0', '--advertise-address', '127.0.0.1', '--helper', helperBin];
  if (opts.config) {
    const file = path.join(dataDir, 'config.yaml');
    writeFileSync(file, opts.config);
    args.push('--config', file);
  }
  const proc = new Proc(process.execPath, args, opts.env ?? process.env);
  const port = await waitFor('the agent to start', () => {
    if (proc.child.exitCode !== null) throw new Error(`agent exited: ${proc.stderr}`);
    const m = /"msg":"Agent started"[^\n]*"port":(\d+)/.exec(proc.stderr);
    return m ? Number(m[1]) : undefined;
  });
  return { proc, port, dataDir };
}
