import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { containerNames } from '../support/containers.js';

describe('test containers', () => {
  const names = containerNames();

  it('runs a privileged container with user 1000 and a non-setuid busybox', () => {
    const out = execFileSync('lxc-attach', ['-n', names.privileged, '--', 'sh', '-c', 'id -u user; stat -c %a /bin/busybox'], { encoding: 'utf8' });
    assert.equal(out, '1000\n755\n');
  });

  it('runs an unprivileged container with seccomp and no_new_privs', () => {
    const out = execFileSync('lxc-attach', ['-n', names.unprivileged, '--', 'grep', '-E', '^(Seccomp|NoNewPrivs):', '/proc/self/status'], { encoding: 'utf8' });
    assert.match(out, /NoNewPrivs:\s+1/);
    assert.match(out, /Seccomp:\s+2/);
    const uidMap = execFileSync('lxc-attach', ['-n', names.unprivileged, '--', 'cat', '/proc/self/uid_map'], { encoding: 'utf8' });
    assert.match(uidMap, /^\s*0\s+100000\s+65536\s*$/);
  });
});
