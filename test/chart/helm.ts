// Runs the real helm (3.17, .tools/bin/helm from scripts/install-tools.sh) on the chart, with a
// fresh HOME and helm directories per test run so nothing is read from or left in the user's.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoPath } from '../support/paths.js';

export const chartDir = repoPath('charts/lxc-attach-operator');
export const fixture = (name: string): string => repoPath('test/chart/fixtures', name);
const helmBin = repoPath('.tools/bin/helm');

/** A Kubernetes object as rendered (the fields the tests read are typed where they read them). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface HelmResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

let home: string | undefined;

function helmHome(): string {
  if (!home) {
    home = mkdtempSync(path.join(os.tmpdir(), 'lxcat-helm-'));
    process.once('exit', () => rmSync(home!, { recursive: true, force: true }));
  }
  return home;
}

/** Runs helm with args; fails loudly when helm is not installed. */
export function helm(args: string[]): HelmResult {
  if (!existsSync(helmBin)) {
    throw new Error(`${helmBin} is missing: run scripts/install-tools.sh (after npm ci)`);
  }
  const h = helmHome();
  const r = spawnSync(helmBin, args, {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: h,
      HELM_CACHE_HOME: path.join(h, 'cache'),
      HELM_CONFIG_HOME: path.join(h, 'config'),
      HELM_DATA_HOME: path.join(h, 'data'),
      KUBECONFIG: path.join(h, 'no-kubeconfig'),
    },
    timeout: 60_000,
  });
  if (r.error) throw new Error(`running ${helmBin} ${args.join(' ')}`, { cause: r.error });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Release name and namespace every render uses. */
export const release = { name: 'lxcat', namespace: 'lxc-attach' };

/** `helm template` with values files and --set pairs; returns the stdout of a successful run. */
export function templateText(valuesFiles: string[] = [], sets: string[] = [], chart = chartDir): string {
  const args = ['template', release.name, chart, '--namespace', release.namespace, '--kube-version', '1.32.0'];
  for (const f of valuesFiles) args.push('--values', f);
  for (const s of sets) args.push('--set', s);
  const r = helm(args);
  if (r.status !== 0) throw new Error(`helm ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** `helm template` parsed into objects (empty documents dropped). */
export function render(valuesFiles: string[] = [], sets: string[] = []): KubeObject[] {
  const docs = parseAllDocuments(templateText(valuesFiles, sets));
  const objects: KubeObject[] = [];
  for (const d of docs) {
    if (d.errors.length) throw new Error(`helm template printed invalid YAML: ${d.errors[0]!.message}`);
    const o = d.toJS() as KubeObject | null;
    if (o) objects.push(o);
  }
  return objects;
}

/** The one object of a kind (and name suffix); throws when there is not exactly one. */
export function only(objects: KubeObject[], kind: string, nameSuffix = ''): KubeObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name.endsWith(nameSuffix));
  if (found.length !== 1) throw new Error(`expected one ${kind} *${nameSuffix}, rendered ${found.length}`);
  return found[0]!;
}
