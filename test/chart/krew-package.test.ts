import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { importSpecifiers, packagePlugin, type PackageResult } from '../../scripts/package-plugin.js';
import { repoPath } from '../support/paths.js';

const placeholder = repoPath('test/chart/fixtures/plugin-placeholder/compiled');
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
  describe('importSpecifiers', () => {
    const cases = [
      { name: 'static imports and re-exports', src: 'import { a } from "./a.js";\nimport * as b from \'b\';\nexport * from "./c.js";\nexport { d } from "@s/d/sub.js";', want: ['./a.js', 'b', './c.js', '@s/d/sub.js'] },
      { name: 'side-effect, dynamic and require', src: 'import "./side.js";\nconst m = await import("./lazy.js");\nconst r = require(\'cjs\');', want: ['./side.js', './lazy.js', 'cjs'] },
      { name: 'a multi-line import', src: 'import {\n  a,\n  b,\n} from "./multi.js";', want: ['./multi.js'] },
      { name: 'no import in a string', src: 'const s = "text";\nconsole.log(s);', want: [] },
    ];
    for (const c of cases) it(`finds ${c.name}`, () => assert.deepEqual(importSpecifiers(c.src).sort(), c.want.sort()));
  });

  describe('with the placeholder fixture (test/chart/fixtures/plugin-placeholder, NOT the real plugin)', () => {
    let out: string;
    let result: PackageResult;
    before(function () {
      this.timeout(60_000);
      out = mkdtempSync(path.join(os.tmpdir(), 'lxcat-krew-out-'));
      result = packagePlugin({ dist: placeholder, out, urlBase });
    });
    after(() => rmSync(out, { recursive: true, force: true }));

    it('packs the launcher and exactly the module graph of plugin/src/index.js', () => {
      assert.deepEqual(result.files.filter((f) => !f.startsWith('lib/node_modules/')), [
        'README.md', 'kubectl-lxc_attach', 'lib/common/src/greeting.js', 'lib/package.json',
        'lib/plugin/src/index.js', 'lib/plugin/src/lazy.js',
      ]);
      assert.deepEqual(result.packages, ['@opentelemetry/api', 'bintrees', 'prom-client', 'tdigest', 'yaml']);
      assert.ok(result.files.includes('lib/node_modules/@opentelemetry/api/package.json'));
      assert.ok(!result.files.some((f) => /\.(map|d\.ts)$/.test(f)), 'no source maps or declarations');
      assert.ok(!result.files.some((f) => f.includes('/.bin/')));
    });

    it('holds only regular files and directories, the launcher executable', () => {
      const listing = execFileSync('tar', ['-tvzf', result.archive], { encoding: 'utf8' }).trim().split('\n');
      for (const line of listing) assert.match(line, /^[-d]/, line);
      assert.ok(listing.some((l) => /^-rwxr-xr-x 0\/0 .* kubectl-lxc_attach$/.test(l)));
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
        assert.equal(packagePlugin({ dist: placeholder, out: again, urlBase }).sha256, result.sha256);
      } finally {
        rmSync(again, { recursive: true, force: true });
      }
    });

    it('runs through kubectl\'s plugin lookup from a krew-style install (symlinked launcher)', () => {
      const r = runInstalled(result, ['-n', 'web1', '--', 'echo', 'hi']);
      assert.equal(r.status, 0, String(r.stderr));
      assert.deepEqual(parse(String(r.stdout)), {
        placeholder: true, argv: ['-n', 'web1', '--', 'echo', 'hi'], greeting: 'hello from common', lazy: 'loaded', registry: 'function',
      });
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
      const r = spawnSync(process.execPath, [script, '--dist', placeholder], { encoding: 'utf8' });
      assert.equal(r.status, 1);
      assert.equal(r.stderr, 'error: --url-base URL is required (where the archive will be published)\n');
    });

    it('names the missing entry point', () => {
      const empty = mkdtempSync(path.join(os.tmpdir(), 'lxcat-krew-empty-'));
      try {
        const r = spawnSync(process.execPath, [script, '--dist', empty, '--url-base', urlBase, '--out', empty], { encoding: 'utf8' });
        assert.equal(r.status, 1);
        assert.match(r.stderr, /^error: .*plugin\/src\/index\.js is missing: build the plugin \(plugin\/src\/index\.ts\) with npm run build:ts first\n$/);
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });

    it('rejects a version without the v prefix', () => {
      const r = spawnSync(process.execPath, [script, '--dist', placeholder, '--url-base', urlBase, '--version', '1.0.0'], { encoding: 'utf8' });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /version 1\.0\.0 is not vMAJOR\.MINOR\.PATCH/);
    });
  });

  // The real plugin: needs dist/plugin/src/index.js (plugin/src/index.ts, written by the lead).
  // Until it exists this fails, on purpose: a krew package without the plugin must not pass.
  describe('with the real plugin (dist/plugin/src/index.js)', () => {
    let out: string;
    before(() => {
      out = mkdtempSync(path.join(os.tmpdir(), 'lxcat-krew-real-'));
    });
    after(() => rmSync(out, { recursive: true, force: true }));

    it('packages it, and the installed plugin answers --help through kubectl', function () {
      this.timeout(120_000);
      const result = packagePlugin({ out, urlBase });
      assert.ok(result.files.includes('lib/plugin/src/index.js'));
      assert.deepEqual(krewProblems('lxc-attach', parse(readFileSync(result.manifest, 'utf8')) as KrewPlugin), []);
      assert.equal(result.sha256, sha256(result.archive));
      const r = runInstalled(result, ['--help']);
      assert.equal(r.status, 0, String(r.stderr));
      assert.match(`${String(r.stdout)}${String(r.stderr)}`, /lxc-attach/);
    });
  });
});
