// One option table feeds the plugin's parser and the agent's argv builder. For every command line
// of the helper's side-by-side table: argv -> plugin parse -> ContainerAttach fields -> helper argv
// must mean to lxc-attach what the original argv means (same exit code, stdout, stderr emptiness).
// Command lines that end at parse time must end the same way in the plugin.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lxcAttachArgv } from '../../common/src/options/to-argv.js';
import { parsePluginCommandLine } from '../../plugin/src/command-line.js';
import { cases } from '../native/side-by-side-cases.js';
import { baseEnv, expandTokens, lxcAttachPath, runAttach, type ExtraContainers, type ScratchDirs, writeFixtures } from '../native/support/attach-runner.js';
import { repoPath } from '../support/paths.js';

/** Command lines the plugin reads differently on purpose, and why. */
const exceptions: Record<string, string> = {
  '-c with -s': '--context is kubectl\'s kubeconfig context in the plugin; lxc-attach\'s SELinux context is -c there',
};

/** lxc-attach's exit code for a command line that ends while parsing. */
const stopCodes = { help: (code: number) => code, usage: () => 0, version: () => 0, error: () => 1, fatal: () => 1 } as const;

describe('argv -> plugin parser -> ContainerAttach -> helper argv, over the helper table', function () {
  this.timeout(60_000);
  const extra: ExtraContainers = { stopped: `lxcat-${process.pid}-tstopped` };
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `lxcat-${process.pid}-table-`));
  const scratch: ScratchDirs = { dir: path.join(root, 'scratch'), fixtures: path.join(root, 'fixtures') };

  before(() => {
    writeFixtures(scratch.fixtures);
    execFileSync(repoPath('scripts/lxc-test-container.sh'), ['create', extra.stopped, '--stopped']);
  });
  after(() => {
    execFileSync(repoPath('scripts/lxc-test-container.sh'), ['destroy', extra.stopped]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  for (const c of cases) {
    it(c.name, () => {
      const env = c.env ?? { ...baseEnv };
      const argv = c.argv.map((a) => expandTokens(a, scratch, extra));
      const parsed = parsePluginCommandLine(argv, env);
      const original = runAttach(lxcAttachPath, c, scratch, extra);
      if (parsed.kind === 'stop') {
        const stop = parsed.stop;
        const code = stop.stop === 'help' ? stopCodes.help(stop.code) : stopCodes[stop.stop]();
        assert.equal(code, original.status, `the plugin stops with ${JSON.stringify(stop)}`);
        return;
      }
      assert.equal(parsed.kind, 'attach', 'no lxc-attach command line opens the terminal page');
      if (parsed.kind !== 'attach') return;
      if (exceptions[c.name]) {
        assert.equal(parsed.flags.context, 'x', exceptions[c.name]);
        assert.equal(parsed.fields.selinuxContext, undefined);
        return;
      }
      const rebuilt = lxcAttachArgv(parsed.fields);
      const again = runAttach(lxcAttachPath, { ...c, argv: rebuilt }, scratch, extra);
      const normalize = c.normalize ?? ((s: string) => s);
      assert.deepEqual(
        { status: again.status, stdout: normalize(again.stdout), stderrEmpty: again.stderr === '' },
        { status: original.status, stdout: normalize(original.stdout), stderrEmpty: original.stderr === '' },
        `rebuilt argv: ${JSON.stringify(rebuilt)}`,
      );
    });
  }
});
