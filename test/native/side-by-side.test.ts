// The helper against the real lxc-attach 5.0.2, case by case (side-by-side-cases.ts): same exit
// code, same stdout, same files, stderr empty on both sides or on neither, and the same stderr
// text unless the case says why not. Needs root and the suite's LXC containers.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { cases } from './side-by-side-cases.js';
import {
  helperPath,
  lxcAttachPath,
  runAttach,
  type AttachResult,
  type ExtraContainers,
  type ScratchDirs,
  writeFixtures,
} from './support/attach-runner.js';
import { containerProcesses } from './support/leftovers.js';
import { containerNames } from '../support/containers.js';
import { repoPath } from '../support/paths.js';

const containerScript = repoPath('scripts/lxc-test-container.sh');

/** The privileged container's passwd gets a user whose shell is /bin/false for the shell cases. */
function passwdPath(container: string): string {
  const lxcpath = execFileSync('lxc-config', ['lxc.lxcpath'], { encoding: 'utf8' }).trim();
  return path.join(lxcpath, container, 'rootfs/etc/passwd');
}
const falseShellUser = 'nologin:x:1003:1003::/:/bin/false\n';

function comparable(result: AttachResult, normalize: (s: string) => string, withContents: boolean) {
  return {
    status: result.status,
    signal: result.signal,
    stdout: normalize(result.stdout),
    files: result.files,
    contents: withContents ? [...result.contents].map(([file, text]) => [file, normalize(text)]) : [],
  };
}

describe('lxc-attach-helper side by side with lxc-attach', function () {
  this.timeout(60_000);
  const names = containerNames();
  const extra: ExtraContainers = { stopped: `lxcat-${process.pid}-stopped` };
  let root: string;
  let scratch: ScratchDirs;
  const baseline = new Map<string, number[]>();

  before(() => {
    assert.ok(fs.existsSync(helperPath), `${helperPath} is missing: run npm run build:native`);
    root = fs.mkdtempSync(path.join(os.tmpdir(), `lxcat-${process.pid}-native-`));
    scratch = { dir: path.join(root, 'scratch'), fixtures: path.join(root, 'fixtures') };
    writeFixtures(scratch.fixtures);
    execFileSync(containerScript, ['create', extra.stopped, '--stopped'], { stdio: ['ignore', 'inherit', 'inherit'] });
    fs.appendFileSync(passwdPath(names.privileged), falseShellUser);
    for (const name of [names.privileged, names.unprivileged]) baseline.set(name, containerProcesses(name));
  });

  after(() => {
    const passwd = passwdPath(names.privileged);
    fs.writeFileSync(passwd, fs.readFileSync(passwd, 'utf8').replace(falseShellUser, ''));
    execFileSync(containerScript, ['destroy', extra.stopped], { stdio: ['ignore', 'inherit', 'inherit'] });
    fs.rmSync(root, { recursive: true, force: true });
    // The -l cases make liblxc create these default log files.
    for (const name of [`lxcat-${process.pid}-nosuch`, names.privileged]) fs.rmSync(`/var/log/lxc/${name}.log`, { force: true });
  });

  it('has at least 80 cases with unique names', () => {
    assert.ok(cases.length >= 80, `only ${cases.length} cases`);
    assert.equal(new Set(cases.map((c) => c.name)).size, cases.length);
  });

  it('lists every case whose stderr text differs in native/README.md', () => {
    const readme = fs.readFileSync(repoPath('native/README.md'), 'utf8');
    const listed = [...readme.matchAll(/^ {2}- `(.+)`$/gm)].map((m) => m[1]);
    assert.deepEqual(listed, cases.filter((c) => c.stderrDiffers !== undefined).map((c) => c.name));
  });

  for (const c of cases) {
    it(c.name, () => {
      const want = runAttach(lxcAttachPath, c, scratch, extra);
      const got = runAttach(helperPath, c, scratch, extra);
      const normalize = c.normalize ?? ((s: string) => s);
      const detail = `\nlxc-attach stderr: ${want.stderr}\nhelper stderr: ${got.stderr}`;

      assert.deepEqual(comparable(got, normalize, c.sameContents ?? false), comparable(want, normalize, c.sameContents ?? false), detail);
      assert.equal(got.stderr === '', want.stderr === '', `stderr emptiness differs${detail}`);
      if (c.stderrDiffers === undefined) assert.equal(got.stderr, want.stderr);
      else assert.notEqual(got.stderr, want.stderr, `stderr is identical: drop stderrDiffers ("${c.stderrDiffers}")`);
    });
  }

  it('left no process behind in the containers', () => {
    for (const [name, before] of baseline) assert.deepEqual(containerProcesses(name), before, name);
  });
});
