// The helper-only options that make the helper open -o/-L beneath the allowed directory.
import assert from 'node:assert/strict';
import { helperArgv } from '../../operator/src/attach/helper-process.js';
import type { ContainerAttachSpec } from '../../common/src/containerattach/types.js';

const dirs = { logFileDirectories: ['/srv/logs', '/var/log/lxc'], ptyLogDirectories: ['/srv/other', '/srv/pty/'] };
const limits = { hangupGraceMs: 5000, logDirectories: dirs };

function argv(spec: Partial<ContainerAttachSpec>): string[] {
  return helperArgv({ container: 'c1', command: ['true'], ...spec } as ContainerAttachSpec, limits);
}

describe('helper argv: log confinement and hang-up grace', () => {
  it('passes the grace period and nothing else without log files', () => {
    assert.deepEqual(argv({}).slice(0, 6), ['--status-fd', '3', '--control-fd', '4', '--hangup-grace-ms', '5000']);
    assert.ok(!argv({}).some((a) => a.startsWith('--confine')));
  });

  it('names the allowed directory each file is spelled under', () => {
    const a = argv({ log: { file: '/var/log/lxc/x/c1.log' }, ptyLog: '/srv/pty/c1.pty' });
    assert.deepEqual(a.slice(a.indexOf('--confine-logfile'), a.indexOf('--confine-logfile') + 2), ['--confine-logfile', '/var/log/lxc']);
    assert.deepEqual(a.slice(a.indexOf('--confine-pty-log'), a.indexOf('--confine-pty-log') + 2), ['--confine-pty-log', '/srv/pty']);
  });

  it('makes -l without -o name the default log file the policy checked', () => {
    const a = argv({ log: { priority: 'DEBUG' } });
    assert.ok(a.includes('--logfile=/var/log/lxc/c1.log'), a.join(' '));
    assert.deepEqual(a.slice(a.indexOf('--confine-logfile'), a.indexOf('--confine-logfile') + 2), ['--confine-logfile', '/var/log/lxc']);
  });

  it('gives a path that reaches no allowed directory as spelled the first one, where the helper refuses it', () => {
    const a = argv({ log: { file: '/srv/logs-link/c1.log' } });
    assert.deepEqual(a.slice(a.indexOf('--confine-logfile'), a.indexOf('--confine-logfile') + 2), ['--confine-logfile', '/srv/logs']);
  });
});
