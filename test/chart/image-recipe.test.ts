import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundledHelperPath } from '../../operator/src/agent/host-defaults.js';
import { repoPath } from '../support/paths.js';

// No container engine runs on the project's machines, so the image is never built here. These
// tests check the recipe against the repository: what it copies exists, what it runs is the
// project's own build, and the context it sends compiles.

interface Instruction {
  op: string;
  args: string;
}

function instructions(): Instruction[] {
  const text = readFileSync(repoPath('deploy/image/Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  return text.split('\n')
    .filter((l) => l.trim() && !l.trimStart().startsWith('#'))
    .map((l) => {
      const m = /^\s*(\w+)\s+(.*)$/.exec(l);
      if (!m) throw new Error(`not a Dockerfile instruction: ${l}`);
      return { op: m[1]!.toUpperCase(), args: m[2]!.trim() };
    });
}

/** Sources of COPY instructions that read the build context (not another stage). */
function contextCopies(): string[] {
  return instructions()
    .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from='))
    .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
}

/** The .dockerignore: deny everything, then re-include these paths, then exclude build outputs. */
function ignoreFile(): { included: string[]; excluded: string[] } {
  const lines = readFileSync(repoPath('deploy/image/Dockerfile.dockerignore'), 'utf8')
    .split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  assert.equal(lines[0], '**', 'the context starts empty');
  return {
    included: lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, '')),
    excluded: lines.slice(1).filter((l) => !l.startsWith('!')),
  };
}

const packageJson = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as {
  scripts: Record<string, string>; bin: Record<string, string>; engines: { node: string };
};

describe('agent image recipe (deploy/image/Dockerfile)', () => {
  it('copies only files that exist in the repository and that the context includes', () => {
    const { included } = ignoreFile();
    const copies = contextCopies();
    assert.ok(copies.length > 0);
    for (const src of copies) {
      const clean = src.replace(/\/$/, '');
      assert.ok(existsSync(repoPath(clean)), `${clean} is missing from the repository`);
      assert.ok(included.includes(clean), `${clean} is not re-included by Dockerfile.dockerignore`);
    }
  });

  it('builds the helper from native/ with its Makefile, never from a binary in the checkout', () => {
    assert.ok(existsSync(repoPath('native/Makefile')), 'native/Makefile is missing: the helper cannot be built');
    const { excluded } = ignoreFile();
    assert.ok(excluded.includes('native/lxc-attach-helper'));
    assert.ok(excluded.includes('native/*.o'));
  });

  it('runs the project\'s own build commands', () => {
    const runs = instructions().filter((i) => i.op === 'RUN').map((i) => i.args).join('\n');
    assert.match(runs, /npm ci --ignore-scripts/);
    assert.match(runs, /npm run build:ts && npm run build:web && npm run build:native/);
    assert.match(packageJson.scripts['build:ts']!, /^node node_modules\/typescript-native\/bin\/tsc -p tsconfig\.json\b/);
    assert.equal(packageJson.scripts['build:native'], 'make -C native');
    assert.match(runs, /build-essential pkg-config lxc-dev/, 'the helper needs a compiler, pkg-config and liblxc headers');
    assert.match(runs, /liblxc-common/, 'the runtime image needs liblxc');
  });

  it('bases both stages on a Node.js LTS the project supports', () => {
    const arg = instructions().find((i) => i.op === 'ARG' && i.args.startsWith('NODE_MAJOR='))!;
    const major = Number(arg.args.split('=')[1]);
    const min = Number(/>=\s*(\d+)/.exec(packageJson.engines.node)![1]);
    assert.ok(major >= min && major % 2 === 0, `Node ${major}: an even (LTS) major >= ${min}`);
    const froms = instructions().filter((i) => i.op === 'FROM').map((i) => i.args);
    assert.deepEqual(froms, ['node:${NODE_MAJOR}-${DEBIAN_RELEASE} AS build', 'node:${NODE_MAJOR}-${DEBIAN_RELEASE}-slim']);
  });

  it('installs every program the agent runs', () => {
    // How the image provides each program operator/src and common/src run by name (the helper is run by path).
    const provided: Record<string, (runtime: string) => boolean> = {
      openssl: (runtime) => /apt-get install [^\n]*\bopenssl\b/.test(runtime),
      // NB: only asked when --default-lxc-path is absent, and the chart always passes it.
      'lxc-config': () => true,
    };
    const runtime = readFileSync(repoPath('deploy/image/Dockerfile'), 'utf8').split(/^FROM .*$/m).at(-1)!.replace(/\\\n/g, ' ');
    const programs = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts')) {
          for (const m of readFileSync(p, 'utf8').matchAll(/\b(?:execFileSync|execFile|spawnSync|spawn)\(\s*'([^']+)'/g)) programs.add(m[1]!);
        }
      }
    };
    walk(repoPath('operator/src'));
    walk(repoPath('common/src'));
    assert.ok(programs.has('openssl'), 'the scan finds the agent\'s programs');
    for (const p of programs) {
      assert.ok(provided[p], `the agent runs ${p}: install it in deploy/image/Dockerfile and list it here`);
      assert.ok(provided[p]!(runtime), `the runtime image does not install ${p}`);
    }
  });

  it('runs the lxc-attach-agent entry point of package.json, with the helper beside it', () => {
    const launcher = readFileSync(repoPath('deploy/image/lxc-attach-agent'), 'utf8');
    const target = /exec node \/opt\/lxc-attach-operator\/(\S+) "\$@"/.exec(launcher)?.[1];
    assert.equal(target, packageJson.bin['lxc-attach-agent']);
    const copies = instructions().filter((i) => i.op === 'COPY' && i.args.startsWith('--from=build')).map((i) => i.args);
    assert.ok(copies.includes('--from=build /src/dist/operator/ dist/operator/'));
    assert.ok(copies.includes('--from=build /src/native/lxc-attach-helper native/lxc-attach-helper'));
    // The agent finds the helper at ../../../../native/lxc-attach-helper from dist/operator/src/agent.
    assert.equal(path.relative(repoPath(), bundledHelperPath), 'native/lxc-attach-helper');
    assert.deepEqual(instructions().find((i) => i.op === 'ENTRYPOINT')?.args, '["lxc-attach-agent"]');
  });

  it('sends a context in which npm run build:ts, build:web and build:native build the agent, its terminal page and the helper', function () {
    this.timeout(120_000);
    const ctx = mkdtempSync(path.join(os.tmpdir(), 'lxcat-image-ctx-'));
    try {
      const { included, excluded } = ignoreFile();
      const outputs = excluded.map((g) => new RegExp(`^${g.replace(/\/$/, '').replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`));
      const keep = (src: string): boolean => !outputs.some((re) => re.test(path.relative(repoPath(), src)));
      for (const p of included) {
        if (existsSync(repoPath(p))) cpSync(repoPath(p), path.join(ctx, p), { recursive: true, filter: keep });
      }
      symlinkSync(repoPath('node_modules'), path.join(ctx, 'node_modules'));
      execFileSync('npm', ['run', '--silent', 'build:ts'], { cwd: ctx, stdio: 'pipe' });
      const entry = packageJson.bin['lxc-attach-agent']!;
      assert.ok(existsSync(path.join(ctx, entry)), `${entry} was not built from the image's context`);
      execFileSync('npm', ['run', '--silent', 'build:web'], { cwd: ctx, stdio: 'pipe' });
      for (const file of ['index.html', 'terminal.js', 'terminal.css']) {
        assert.ok(existsSync(path.join(ctx, 'dist/operator/src/attach-api/web', file)), `the terminal page's ${file} was not built from the image's context`);
      }
      execFileSync('npm', ['run', '--silent', 'build:native'], { cwd: ctx, stdio: 'pipe' });
      const helper = path.join(ctx, 'native/lxc-attach-helper');
      assert.ok(existsSync(helper), 'native/lxc-attach-helper was not built from the image\'s context');
      assert.doesNotMatch(execFileSync('ldd', [helper], { encoding: 'utf8' }), /not found/);
      // The agent image ships no API server code: standalone mode says it is not there.
      assert.ok(!existsSync(path.join(ctx, 'apiserver')) && !existsSync(path.join(ctx, 'dist/apiserver')), 'the image context holds API server code');
      assert.ok(!existsSync(path.join(ctx, 'operator/src/standalone')), 'the image context holds standalone mode');
      const standalone = spawnSync('node', [path.join(ctx, entry), 'standalone', '--data-dir', '/nonexistent'], { encoding: 'utf8' });
      assert.equal(standalone.status, 1);
      assert.match(standalone.stderr, /^error: lxc-attach-agent standalone is not part of this installation/);
      assert.match(execFileSync('node', [path.join(ctx, entry), 'node', '--help'], { encoding: 'utf8' }), /--node <name>/);
    } finally {
      rmSync(ctx, { recursive: true, force: true });
    }
  });
});
