import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { packagePlugin, type PackageResult } from '../../scripts/package-plugin.js';
import { repoPath } from '../support/paths.js';

const bundle = repoPath('dist/kubectl-lxc_attach.mjs');
const urlBase = 'https://downloads.invalid/lxc-attach/v0.1.0';
const kubectl = repoPath('.tools/bin/kubectl');

interface KrewPlatform {
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string }[] };
  uri?: string;
  sha256?: string;
  bin?: string;
  files?: { from?: string; to?: string }[];
}

interface KrewPlugin {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: { version?: string; shortDescription?: string; platforms?: KrewPlatform[] };
}

/** krew's own manifest checks (internal/index/validation: ValidatePlugin), ported to the test. */
function krewProblems(name: string, p: KrewPlugin): string[] {
  const out: string[] = [];
  if (p.apiVersion !== 'krew.googlecontainertools.github.com/v1alpha2') out.push(`apiVersion ${p.apiVersion}`);
  if (p.kind !== 'Plugin') out.push(`kind ${p.kind}`);
  if (!/^[\w-]+$/.test(name) || p.metadata?.name !== name) out.push(`name ${p.metadata?.name} for file ${name}.yaml`);
  if (!p.spec?.shortDescription || /[\r\n]/.test(p.spec.shortDescription)) out.push('shortDescription');
  if (!/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(p.spec?.version ?? '')) out.push(`version ${p.spec?.version}`);
  if (!p.spec?.platforms?.length) out.push('no platforms');
  for (const pl of p.spec?.platforms ?? []) {
    if (!pl.uri) out.push('platform without uri');
    if (!/^[a-f0-9]{64}$/.test(pl.sha256 ?? '')) out.push(`sha256 ${pl.sha256}`);
    if (!pl.bin) out.push('platform without bin');
    if (pl.files && (!pl.files.length || pl.files.some((f) => !f.from || !f.to))) out.push('files');
    const keys = [...Object.keys(pl.selector?.matchLabels ?? {}), ...(pl.selector?.matchExpressions ?? []).map((e) => e.key)];
    if (!keys.length) out.push('empty selector');
    for (const k of keys) if (k !== 'os' && k !== 'arch') out.push(`selector key ${k}`);
  }
  return out;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Extracts the archive as krew does (store dir + a symlink in bin/) and runs `kubectl lxc-attach`. */
function runInstalled(result: PackageResult, args: string[], env: Record<string, string> = {}): ReturnType<typeof spawnSync> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'lxcat-krew-home-'));
  try {
    const store = path.join(home, '.krew/store/lxc-attach/v0.1.0');
    const bin = path.join(home, '.krew/bin');
    mkdirSync(store, { recursive: true });
    mkdirSync(bin, { recursive: true });
    execFileSync('tar', ['-xzf', result.archive, '-C', store]);
    symlinkSync(path.join(store, 'kubectl-lxc_attach'), path.join(bin, 'kubectl-lxc_attach'));
    if (!existsSync(kubectl)) throw new Error(`${kubectl} is missing: run scripts/install-tools.sh`);
    return spawnSync(kubectl, ['lxc-attach', ...args], {
      encoding: 'utf8',
      env: { PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: home, ...env },
      timeout: 30_000,
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

describe('krew packaging (scripts/package-plugin.ts)', () => {
  // The real plugin bundle (npm run build:plugin); a missing one fails here, on purpose.
  describe('with the real bundle (dist/kubectl-lxc_attach.mjs)', () => {
    let out: string;
    let result: PackageResult;
    before(function () {
      this.timeout(60_000);
      out = mkdtempSync(path.join(os.tmpdir(), 'lxcat-krew-out-'));
      result = packagePlugin({ out, urlBase });
    });
    after(() => rmSync(out, { recursive: true, force: true }));

    it('packs exactly the launcher, the README and the bundle, byte for byte', () => {
      assert.deepEqual(result.files, ['README.md', 'kubectl-lxc_attach', 'lib/kubectl-lxc_attach.mjs']);
      const extracted = mkdtempSync(path.join(os.tmpdir(), 'lxcat-krew-x-'));
      try {
        execFileSync('tar', ['-xzf', result.archive, '-C', extracted]);
        assert.equal(sha256(path.join(extracted, 'lib/kubectl-lxc_attach.mjs')), sha256(bundle));
        assert.equal(sha256(path.join(extracted, 'kubectl-lxc_attach')), sha256(repoPath('deploy/krew/kubectl-lxc_attach')));
        assert.equal(sha256(path.join(extracted, 'README.md')), sha256(repoPath('deploy/krew/README.md')));
      } finally {
        rmSync(extracted, { recursive: true, force: true });
      }
    });

    it('holds only regular files and directories owned by 0/0, the launcher executable', () => {
      const listing = execFileSync('tar', ['-tvzf', result.archive], { encoding: 'utf8' }).trim().split('\n');
      assert.equal(listing.length, 4, listing.join('\n')); // the three files and lib/
      for (const line of listing) assert.match(line, /^[-d]\S+ 0\/0 /, line);
      assert.ok(listing.some((l) => /^-rwxr-xr-x 0\/0 .* kubectl-lxc_attach$/.test(l)));
      assert.ok(listing.some((l) => /^drwxr-xr-x 0\/0 .* lib\/$/.test(l)));
    });

    it('renders a manifest krew accepts, pointing at the archive with its real sha256', () => {
      const manifest = parse(readFileSync(result.manifest, 'utf8')) as KrewPlugin;
      assert.equal(path.basename(result.manifest), 'lxc-attach.yaml');
      assert.deepEqual(krewProblems('lxc-attach', manifest), []);
      assert.equal(result.sha256, sha256(result.archive));
      const platforms = manifest.spec!.platforms!;
      assert.deepEqual(platforms.map((p) => `${p.selector!.matchLabels!.os}/${p.selector!.matchLabels!.arch}`),
        ['linux/amd64', 'linux/arm64', 'darwin/amd64', 'darwin/arm64']);
      for (const p of platforms) {
        assert.equal(p.sha256, result.sha256);
        assert.equal(p.uri, `${urlBase}/kubectl-lxc_attach-v0.1.0.tar.gz`);
        assert.equal(p.bin, 'kubectl-lxc_attach');
      }
      assert.equal(manifest.spec!.version, 'v0.1.0');
      assert.match(readFileSync(result.manifest, 'utf8'), /Node\.js 20 or newer/);
    });

    it('is reproducible: packing again gives the same sha256', () => {
      const again = mkdtempSync(path.join(os.tmpdir(), 'lxcat-krew-again-'));
      try {
        assert.equal(packagePlugin({ out: again, urlBase }).sha256, result.sha256);
      } finally {
        rmSync(again, { recursive: true, force: true });
      }
    });

    it('answers --help through kubectl\'s plugin lookup from a krew-style install (symlinked launcher)', () => {
      const r = runInstalled(result, ['--help']);
      assert.equal(r.status, 0, String(r.stderr));
      assert.match(String(r.stdout), /^Usage: kubectl lxc-attach --name=NAME \[-- COMMAND\]\n/);
    });

    it('passes the arguments through unchanged (--dry-run=client needs no cluster)', () => {
      const r = runInstalled(result, ['-n', 'web1', '--dry-run=client', '-o', 'json', '--', 'echo', 'a b', 'c"d', '']);
      assert.equal(r.status, 0, String(r.stderr));
      const attach = JSON.parse(String(r.stdout)) as { spec: { container: string; command: string[] } };
      assert.equal(attach.spec.container, 'web1');
      assert.deepEqual(attach.spec.command, ['echo', 'a b', 'c"d', '']);
    });

    it('refuses a Node.js older than 20, and a missing node, with a clear error', () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'lxcat-old-node-'));
      try {
        const oldNode = path.join(dir, 'node18');
        writeFileSync(oldNode, '#!/bin/sh\necho v18.20.4\n');
        chmodSync(oldNode, 0o755);
        const old = runInstalled(result, ['-n', 'web1'], { KUBECTL_LXC_ATTACH_NODE: oldNode });
        assert.equal(old.status, 1);
        assert.match(String(old.stderr), /error: kubectl lxc-attach needs Node\.js >= 20, found v18\.20\.4/);
        const none = runInstalled(result, ['-n', 'web1'], { KUBECTL_LXC_ATTACH_NODE: path.join(dir, 'absent') });
        assert.equal(none.status, 1);
        assert.match(String(none.stderr), /needs Node\.js >= 20, and '.*absent' was not found/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('the command line', () => {
    const script = repoPath('dist/scripts/package-plugin.js');

    it('requires --url-base', () => {
      const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
      assert.equal(r.status, 1);
      assert.equal(r.stderr, 'error: --url-base URL is required (where the archive will be published)\n');
    });

    it('names a missing bundle (relative to the repository) and writes nothing', () => {
      const scratch = mkdtempSync(path.join(os.tmpdir(), 'lxcat-krew-empty-'));
      try {
        const out = path.join(scratch, 'out');
        const r = spawnSync(process.execPath, [script, '--dist', repoPath('deploy'), '--url-base', urlBase, '--out', out], { encoding: 'utf8' });
        assert.equal(r.status, 1);
        assert.equal(r.stderr, 'error: deploy/kubectl-lxc_attach.mjs is missing: run npm run build\n');
        assert.ok(!existsSync(out), 'no output directory for a failed run');
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    });

    it('names a missing bundle outside the repository by its absolute path', () => {
      const empty = mkdtempSync(path.join(os.tmpdir(), 'lxcat-krew-empty-'));
      try {
        const r = spawnSync(process.execPath, [script, '--dist', empty, '--url-base', urlBase, '--out', empty], { encoding: 'utf8' });
        assert.equal(r.status, 1);
        assert.equal(r.stderr, `error: ${empty}/kubectl-lxc_attach.mjs is missing: run npm run build\n`);
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });

    it('rejects a version without the v prefix', () => {
      const r = spawnSync(process.execPath, [script, '--url-base', urlBase, '--version', '1.0.0'], { encoding: 'utf8' });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /version 1\.0\.0 is not vMAJOR\.MINOR\.PATCH/);
    });
  });
});
