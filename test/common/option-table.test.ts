import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { lxcAttachOptions } from '../../common/src/options/lxc-attach-options.js';
import { lxcAttachHelp, lxcAttachUsage } from '../../common/src/options/help-text.js';
import { repoPath } from '../support/paths.js';

describe('lxc-attach option table', () => {
  it('renders --help exactly as the real lxc-attach prints it', () => {
    const real = spawnSync('lxc-attach', ['--help'], { encoding: 'utf8' });
    assert.equal(real.status, 0);
    assert.equal(lxcAttachHelp(), real.stderr);
  });

  it('renders --usage exactly as the real lxc-attach prints it', () => {
    const real = spawnSync('lxc-attach', ['--usage'], { encoding: 'utf8' });
    assert.equal(lxcAttachUsage(), real.stderr);
  });

  it('gives every spec field exactly one owner that emits argv and declares a schema', () => {
    const owners = new Map<string, number>();
    for (const o of lxcAttachOptions) {
      if (!o.field) continue;
      if (o.emit || o.schema) {
        assert.ok(o.emit && o.schema, `--${o.long} must have both emit and schema`);
        owners.set(o.field, (owners.get(o.field) ?? 0) + 1);
      }
    }
    const fields = new Set(lxcAttachOptions.flatMap((o) => (o.field ? [o.field] : [])));
    for (const f of fields) assert.equal(owners.get(f), 1, `field ${f}`);
  });

  it('keeps the generated CRD and docs/options.md up to date', () => {
    execFileSync(process.execPath, [repoPath('dist/scripts/generate.js'), '--check'], { stdio: 'pipe' });
  });
});
