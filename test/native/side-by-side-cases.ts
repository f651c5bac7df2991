// The side-by-side table: every case runs once with /usr/bin/lxc-attach and once with
// native/lxc-attach-helper (see side-by-side.test.ts). Section numbers refer to the lxc-attach
// 5.0.2 behaviour notes the project reproduces. Tokens (@priv, @tmp, ...) are explained in
// support/attach-runner.ts.
import { baseEnv, type AttachInvocation } from './support/attach-runner.js';

export interface SideBySideCase extends AttachInvocation {
  name: string;
  /** Why the helper's stderr text is not lxc-attach's (both are still empty or non-empty together). */
  stderrDiffers?: string;
  /** Compare the contents of the files under @tmp too (after this normalisation). */
  sameContents?: boolean;
  /** Applied to stdout (and file contents) of both sides before comparing. */
  normalize?: (s: string) => string;
}

const ownErrorLocation =
  'lxc-attach prints this error with its own ERROR(): the helper prints the same message, but the location names its own source (e.g. "attach.c: build_options: 104" instead of "../src/lxc/tools/lxc_attach.c: main: 338")';

const capsAndSeccomp = ['grep', '-E', '^(CapBnd|CapEff|Seccomp|NoNewPrivs):', '/proc/self/status'];
const ids = ['sh', '-c', 'id; grep -E "^(Uid|Gid|Groups):" /proc/self/status'];

export const cases: SideBySideCase[] = [
  // §2 -n and the name rules
  { name: '-n NAME -- sh -c runs in the container', argv: ['-n', '@priv', '--', 'sh', '-c', 'echo hi; hostname'] },
  { name: 'the last -n wins', argv: ['-n', '@nosuch', '-n', '@priv', '--', 'hostname'] },
  { name: 'without -n the first non-option is the name', argv: ['@priv', '--', 'hostname'] },
  { name: '--name=NAME and abbreviated --na', argv: ['--name=@priv', '--na', '@priv', '--', 'true'] },
  { name: 'lxc-attach -- true uses "true" as the name', argv: ['--', 'true'] },
  { name: 'no name at all', argv: [] },
  { name: 'no name with -q prints nothing', argv: ['-q'] },
  { name: 'nonexistent container', argv: ['-n', '@nosuch', '--', 'true'] },
  { name: 'stopped container', argv: ['-n', '@stopped', '--', 'true'] },

  // §2 -- CMD and permutation
  { name: 'argv is passed verbatim', argv: ['-n', '@priv', '--', 'printf', '[%s]', 'a b', '', "c'd", '-n'] },
  { name: 'without -- later options are still parsed (-n c echo -n hi names "hi")', argv: ['-n', '@priv', 'echo', '-n', 'hi'] },
  { name: 'without -- ls -l eats -l as the log priority', argv: ['-n', '@priv', 'ls', '-l', '/dev/null'], watchFiles: ['/var/log/lxc/@priv.log'] },
  { name: 'POSIXLY_CORRECT stops at the first non-option', argv: ['-n', '@priv', 'echo', '-n', 'hi'], env: { ...baseEnv, POSIXLY_CORRECT: '1' } },
  { name: 'POSIXLY_CORRECT with the name as first non-option', argv: ['@priv', 'echo', '-n', 'x'], env: { ...baseEnv, POSIXLY_CORRECT: '1' } },
  { name: 'options after the command without --', argv: ['-n', '@priv', 'echo', 'a', '-q', 'b'] },

  // §2 --help, --usage, --version, unknown options
  { name: '--help', argv: ['--help'] },
  { name: '-h', argv: ['-h'] },
  { name: '-? exits 1', argv: ['-?'] },
  { name: '--usage', argv: ['--usage'] },
  { name: '--version', argv: ['--version'] },
  { name: '--version acts as soon as it is parsed', argv: ['--version', '-n', '@nosuch'] },
  { name: '--help after a bad -u still fails on -u', argv: ['-u', 'abc', '--help'] },
  { name: 'unknown long option', argv: ['--bogus', '-n', '@priv'] },
  { name: 'unknown short option', argv: ['-x', '-n', '@priv'] },
  { name: 'ambiguous --he (two "help" entries)', argv: ['--he'] },
  { name: 'ambiguous --rc (two "rcfile" entries)', argv: ['--rc', '/x', '-n', '@priv'] },
  { name: 'missing argument to -n', argv: ['-n'] },
  { name: '--pt abbreviates --pty-log', argv: ['--pt', '@tmp/pty.log', '-n', '@priv', '--', 'true'] },
  { name: '--stat is not an option of lxc-attach', argv: ['--stat', '-n', '@priv', '--', 'true'] },

  // §2 -e and -s, §6 ordering
  { name: '-e elevates everything (CapBnd full, cgroup not moved)', argv: ['-e', '-n', '@priv', '--', 'sh', '-c', 'grep CapBnd /proc/self/status; grep "^0::" /proc/self/cgroup'] },
  { name: 'default caps and cgroup', argv: ['-n', '@priv', '--', 'sh', '-c', 'grep -E "^Cap(Bnd|Eff)" /proc/self/status; grep "^0::" /proc/self/cgroup'] },
  { name: '-eCAP keeps the caller\'s caps', argv: ['-eCAP', '-n', '@priv', '--', ...capsAndSeccomp] },
  { name: '-eCGROUP skips the cgroup move', argv: ['-eCGROUP', '-n', '@priv', '--', 'grep', '^0::', '/proc/self/cgroup'] },
  { name: '--elevated-privileges=CAP|CGROUP', argv: ['--elevated-privileges=CAP|CGROUP', '-n', '@priv', '--', 'sh', '-c', 'grep CapBnd /proc/self/status; grep "^0::" /proc/self/cgroup'] },
  { name: '-e CAP runs a command named CAP (127)', argv: ['-e', 'CAP', '-n', '@priv'] },
  { name: '--elevated-privileges= elevates nothing', argv: ['--elevated-privileges=', '-n', '@priv', '--', 'grep', 'CapBnd', '/proc/self/status'] },
  { name: '-e| elevates nothing', argv: ['-e|', '-n', '@priv', '--', 'grep', 'CapBnd', '/proc/self/status'] },
  { name: '-ecap is rejected (case-sensitive)', argv: ['-ecap', '-n', '@priv', '--', 'true'] },
  { name: '-eFOO is rejected', argv: ['-eFOO', '-n', '@priv', '--', 'true'] },
  { name: '-eCAP|FOO is rejected', argv: ['-eCAP|FOO', '-n', '@priv', '--', 'true'] },
  { name: 'a later -e replaces an earlier one', argv: ['-eCAP', '-eCGROUP', '-n', '@priv', '--', 'sh', '-c', 'grep CapBnd /proc/self/status; grep "^0::" /proc/self/cgroup'] },
  { name: '-s UTSNAME|PID enters only those', argv: ['-s', 'UTSNAME|PID', '-n', '@priv', '--', 'sh', '-c', 'hostname; readlink /proc/self/ns/uts /proc/self/ns/pid /proc/1/ns/mnt; grep CapBnd /proc/self/status; grep "^0::" /proc/self/cgroup'] },
  { name: '-s implies -e, a later -eCAP re-enables the cgroup move', argv: ['-s', 'UTSNAME|PID|MOUNT', '-eCAP', '-n', '@priv', '--', 'grep', '^0::', '/proc/self/cgroup'] },
  { name: '-eCAP then -s: -s wins', argv: ['-eCAP', '-s', 'UTSNAME|PID|MOUNT', '-n', '@priv', '--', 'grep', '^0::', '/proc/self/cgroup'] },
  { name: 'the last -s wins', argv: ['-s', 'NETWORK', '-s', 'UTSNAME', '-n', '@priv', '--', 'sh', '-c', 'hostname; ls /sys/class/net | wc -l'] },
  { name: '-s NETWORK sees host /sys', argv: ['-s', 'NETWORK', '-n', '@priv', '--', 'sh', '-c', 'ls /sys/class/net | grep -c .; cat /proc/net/dev | grep -c :'] },
  { name: '-s NETWORK -R remounts /sys', argv: ['-s', 'NETWORK', '-R', '-n', '@priv', '--', 'ls', '/sys/class/net'] },
  { name: '-R -s PID remounts /proc', argv: ['-R', '-s', 'PID', '-n', '@priv', '--', 'sh', '-c', 'cat /proc/1/comm; ls /proc | grep -c "^[0-9]"'] },
  { name: '-R without -s is ignored', argv: ['-R', '-n', '@priv', '--', 'cat', '/proc/1/comm'] },
  { name: '-s MOUNT: container fs, host pids', argv: ['-s', 'MOUNT', '-n', '@priv', '--', 'sh', '-c', 'cat /etc/hostname; test -e /proc/self && echo self || echo noself'] },
  { name: '-s accepts mnt, Mnt, CGROUP, TIME case-insensitively', argv: ['-s', 'mnt|Uts|CGROUP|TIME', '-n', '@priv', '--', 'cat', '/etc/hostname'] },
  { name: '-s mount is rejected', argv: ['-s', 'mount', '-n', '@priv', '--', 'true'] },
  { name: '-s Network is rejected', argv: ['-s', 'Network', '-n', '@priv', '--', 'true'] },
  { name: '-s UTSNAME,PID is rejected', argv: ['-s', 'UTSNAME,PID', '-n', '@priv', '--', 'true'] },
  { name: '-s "" enters nothing: EINVAL', argv: ['-s', '', '-n', '@priv', '--', 'true'] },
  { name: '-s "|" enters nothing: EINVAL', argv: ['-s', '|', '-n', '@priv', '--', 'true'] },
  { name: '-s -- takes -- as its value', argv: ['-s', '--', '-n', '@priv', 'true'] },
  { name: '-s USER on a privileged container fails', argv: ['-s', 'USER', '-n', '@priv', '--', 'true'] },
  { name: '--namespaces=NETWORK|UTSNAME', argv: ['--namespaces=NETWORK|UTSNAME', '-n', '@priv', '--', 'hostname'] },

  // §2 -a
  { name: '-ai686 sets a 32-bit personality', argv: ['-ai686', '-n', '@priv', '--', 'uname', '-m'] },
  { name: '-a arm maps to PER_LINUX32', argv: ['-a', 'arm', '-n', '@priv', '--', 'uname', '-m'] },
  { name: '--arch=x86_64', argv: ['--arch=x86_64', '-n', '@priv', '--', 'uname', '-m'] },
  { name: '-a linux32 then -a amd64: the last wins', argv: ['-a', 'linux32', '-a', 'amd64', '-n', '@priv', '--', 'uname', '-m'] },
  { name: '-e does not elevate -a', argv: ['-e', '-ai686', '-n', '@priv', '--', 'uname', '-m'] },
  { name: '-a I686 is rejected (case-sensitive)', argv: ['-a', 'I686', '-n', '@priv', '--', 'true'] },
  { name: '-a foo is rejected', argv: ['-a', 'foo', '-n', '@priv', '--', 'true'] },

  // §2 env construction
  { name: 'default keeps the environment and adds container=lxc', argv: ['-n', '@priv', '--', 'env'] },
  { name: '--clear-env', argv: ['--clear-env', '-n', '@priv', '--', 'env'] },
  { name: '--clear-env --keep-var FOO --keep-var TERM --keep-var NOPE', argv: ['--clear-env', '--keep-var', 'FOO', '--keep-var', 'TERM', '--keep-var', 'NOPE', '-n', '@priv', '--', 'env'] },
  { name: '--clear-env --keep-var PATH keeps the host PATH', argv: ['--clear-env', '--keep-var', 'PATH', '-n', '@priv', '--', 'env'] },
  { name: '--keep-var without --clear-env has no effect', argv: ['--keep-var', 'FOO', '-n', '@priv', '--', 'env'] },
  { name: '--clear-env then --keep-env: the last wins', argv: ['--clear-env', '--keep-env', '-n', '@priv', '--', 'env'] },
  { name: '--keep-env then --clear-env: the last wins', argv: ['--keep-env', '--clear-env', '-n', '@priv', '--', 'env'] },
  { name: '-v VAR without = unsets VAR', argv: ['-v', 'FOO', '-n', '@priv', '--', 'env'] },
  { name: '-v VAR= sets an empty value', argv: ['-v', 'EMPTY=', '-n', '@priv', '--', 'env'] },
  { name: 'repeated -v: the later value wins', argv: ['-v', 'A=1', '--set-var', 'A=2', '-n', '@priv', '--', 'env'] },
  { name: '-v overrides container= and PATH', argv: ['-v', 'container=other', '-v', 'PATH=/bin', '--clear-env', '-n', '@priv', '--', 'env'] },
  { name: 'an empty environment gets only container=lxc', argv: ['-n', '@priv', '--', 'env'], env: {} },
  { name: 'PATH search uses the constructed environment', argv: ['-v', 'PATH=/nonexistent', '-n', '@priv', '--', 'ls', '/'] },
  { name: 'glibc default PATH when PATH is unset', argv: ['-n', '@priv', '--', 'ls', '/etc/hostname'], env: { HOME: '/root' } },
  { name: '-f rcfile: lxc.environment survives --clear-env, -v overrides it', argv: ['-f', '@fixtures/env.conf', '--clear-env', '-v', 'FROMRC=cli', '-n', '@priv', '--', 'env'] },
  { name: '-f rcfile: lxc.environment', argv: ['--rcfile', '@fixtures/env.conf', '-n', '@priv', '--', 'env'] },
  { name: '-f rcfile: lxc.prlimit.nofile', argv: ['-f', '@fixtures/prlimit.conf', '-n', '@priv', '--', 'sh', '-c', 'ulimit -n'] },
  { name: '-f rcfile: lxc.proc.* is written for the attached process', argv: ['-f', '@fixtures/proc.conf', '-n', '@priv', '--', 'cat', '/proc/self/oom_score_adj'] },
  { name: '-f rcfile: a failing lxc.proc.* exits 1 but the command still runs', argv: ['-f', '@fixtures/proc-bad.conf', '-n', '@priv', '--', 'sh', '-c', 'echo RAN'] },
  { name: '-f missing file', argv: ['-f', '@fixtures/missing.conf', '-n', '@priv', '--', 'true'], stderrDiffers: ownErrorLocation },
  { name: '-f with an unknown key', argv: ['-f', '@fixtures/bad.conf', '-n', '@priv', '--', 'true'], stderrDiffers: ownErrorLocation },

  // §2 -u/-g
  { name: '-u 1000 keeps gid 0 and no groups', argv: ['-u', '1000', '-n', '@priv', '--', ...ids] },
  { name: '-g 1000', argv: ['-g', '1000', '-n', '@priv', '--', ...ids] },
  { name: '-u 1000 -g 1000', argv: ['--uid=1000', '--gid=1000', '-n', '@priv', '--', ...ids] },
  { name: '-u 4294967295 means not given', argv: ['-u', '4294967295', '-g', '4294967295', '-n', '@priv', '--', ...ids] },
  { name: '-u 4294967296 is out of range', argv: ['-u', '4294967296', '-n', '@priv', '--', 'true'] },
  { name: '-u -1 is rejected', argv: ['-u', '-1', '-n', '@priv', '--', 'true'] },
  { name: '-u abc is rejected', argv: ['-u', 'abc', '-n', '@priv', '--', 'true'] },
  { name: '-u 0x3e8 is hexadecimal (strtoul base 0)', argv: ['-u', '0x3e8', '-n', '@priv', '--', 'id', '-u'] },
  { name: '-g " 010" skips blanks and is octal', argv: ['-g', ' 010', '-n', '@priv', '--', 'id', '-g'] },
  { name: '-u 1000 with a non-root uid drops CapEff, keeps CapBnd', argv: ['-u', '1000', '-n', '@priv', '--', ...capsAndSeccomp] },
  { name: 'unprivileged: default ids and uid_map', argv: ['-n', '@unpriv', '--', 'sh', '-c', 'id; cat /proc/self/uid_map'] },
  { name: 'unprivileged: -u 1000 -g 1000', argv: ['-u', '1000', '-g', '1000', '-n', '@unpriv', '--', ...ids] },
  { name: 'unprivileged: -u 70000 is outside the map', argv: ['-u', '70000', '-n', '@unpriv', '--', 'true'] },

  // §2 unprivileged container with seccomp and no_new_privs
  { name: 'unprivileged: Seccomp 2, NoNewPrivs 1', argv: ['-n', '@unpriv', '--', ...capsAndSeccomp] },
  { name: 'unprivileged: -eLSM turns seccomp off, NoNewPrivs stays', argv: ['-eLSM', '-n', '@unpriv', '--', ...capsAndSeccomp] },
  { name: 'unprivileged: -eCAP gives the full CapBnd', argv: ['-eCAP', '-n', '@unpriv', '--', ...capsAndSeccomp] },
  { name: 'unprivileged: -e', argv: ['-e', '-n', '@unpriv', '--', ...capsAndSeccomp] },

  // §2 -c
  { name: '-c is accepted and has no effect with the nop LSM', argv: ['-c', 'unconfined', '-n', '@priv', '--', 'true'] },
  { name: '-c with -e', argv: ['-c', 'x', '-e', '-n', '@priv', '--', 'true'], stderrDiffers: ownErrorLocation },
  { name: '-c with -eLSM', argv: ['-c', 'x', '-eLSM', '-n', '@priv', '--', 'true'], stderrDiffers: ownErrorLocation },
  { name: '-c with -s', argv: ['--context=x', '-s', 'UTSNAME', '-n', '@priv', '--', 'true'], stderrDiffers: ownErrorLocation },
  { name: '-c with -eCAP is fine', argv: ['-c', 'x', '-eCAP', '-n', '@priv', '--', 'true'] },

  // §2 -o, -l, -q, -P
  { name: '-o creates missing parent directories', argv: ['-o', '@tmp/a/b/attach.log', '-n', '@nosuch', '--', 'true'] },
  { name: '-o with -l DEBUG on a successful attach', argv: ['-o', '@tmp/attach.log', '-l', 'DEBUG', '-n', '@priv', '--', 'true'] },
  { name: '-o with an LSM conflict logs the error too', argv: ['-o', '@tmp/attach.log', '-c', 'x', '-e', '-n', '@priv', '--', 'true'], stderrDiffers: ownErrorLocation },
  { name: '-l without -o logs to lxcpath/NAME/NAME.log for another -P', argv: ['-l', 'INFO', '-P', '@tmp', '-n', 'c1', '--', 'true'] },
  { name: '-l without -o logs to /var/log/lxc/NAME.log', argv: ['-l', 'info', '-n', '@nosuch', '--', 'true'], watchFiles: ['/var/log/lxc/@nosuch.log'] },
  { name: '-l with an unknown level logs at ERROR', argv: ['-l', 'bogus', '-o', '@tmp/x.log', '-n', '@nosuch', '--', 'true'] },
  { name: '-l FATAL silences ERROR lines', argv: ['-l', 'FATAL', '-o', '@tmp/x.log', '-n', '@nosuch', '--', 'true'] },
  { name: '-l with an unknown level still shows the helper\'s own errors (NOTSET inherits ERROR)', argv: ['-l', 'bogus', '-o', '@tmp/x.log', '-c', 'x', '-e', '-n', '@priv', '--', 'true'], stderrDiffers: ownErrorLocation },
  { name: '-l FATAL silences the helper\'s own errors too', argv: ['-l', 'FATAL', '-o', '@tmp/x.log', '-c', 'x', '-e', '-n', '@priv', '--', 'true'] },
  { name: '-q suppresses lxc messages, not the exit code', argv: ['-q', '-n', '@nosuch', '--', 'true'] },
  { name: '-q does not silence the command', argv: ['-q', '-n', '@priv', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'] },
  { name: '-q with an LSM conflict', argv: ['-q', '-c', 'x', '-e', '-n', '@priv', '--', 'true'] },
  { name: '-q after a parse error still prints it', argv: ['-s', 'FOO', '-q', '-n', '@priv'] },
  { name: '-q before a parse error silences it', argv: ['-q', '-s', 'FOO', '-n', '@priv'] },
  { name: '-o "" fails to enable the log file', argv: ['-o', '', '-n', '@priv', '--', 'true'] },
  { name: '-P with trailing slashes', argv: ['-P', '/var/lib/lxc///', '-n', '@priv', '--', 'hostname'] },
  { name: '-P twice', argv: ['-P', '/var/lib/lxc', '-P', '/var/lib/lxc', '-n', '@priv', '--', 'true'] },
  { name: 'a wrong -P behaves like not running', argv: ['--lxcpath=@tmp', '-n', '@priv', '--', 'true'] },

  // §2 -L
  { name: '-L without a terminal creates an empty log', argv: ['-L', '@tmp/pty.log', '-n', '@priv', '--', 'echo', 'hi'], sameContents: true },
  { name: '-L is created even if the attach fails', argv: ['-L', '@tmp/pty.log', '-n', '@nosuch', '--', 'true'], sameContents: true },
  { name: '-L in a missing directory', argv: ['-L', '@tmp/missing/pty.log', '-n', '@priv', '--', 'true'], stderrDiffers: ownErrorLocation },

  // §2 no command: the user's shell
  { name: 'no command runs root\'s shell as argv0 (not a login shell)', argv: ['-n', '@priv'], stdin: 'echo $0; echo $$ > /dev/null; exit 5\n' },
  { name: 'no command with -u 1000', argv: ['-u', '1000', '-n', '@priv'], stdin: 'echo $0; id -u\n' },
  { name: 'no command with a uid missing from passwd falls back to /bin/sh', argv: ['-u', '1002', '-n', '@priv'], stdin: 'echo $0; id -u\n' },
  { name: 'no command with /bin/false as the user\'s shell', argv: ['-u', '1003', '-n', '@priv'], stdin: 'echo not reached\n' },
  { name: 'no command in the unprivileged container', argv: ['-n', '@unpriv'], stdin: 'echo $0; id\n' },

  // §4 exit status
  { name: 'exit 3', argv: ['-n', '@priv', '--', 'sh', '-c', 'exit 3'] },
  { name: 'exit 256 gives 0', argv: ['-n', '@priv', '--', 'sh', '-c', 'exit 256'] },
  { name: 'killed by SIGTERM gives 143', argv: ['-n', '@priv', '--', 'sh', '-c', 'kill -TERM $$'] },
  { name: 'killed by SIGKILL gives 137', argv: ['-n', '@priv', '--', 'sh', '-c', 'kill -KILL $$'] },
  { name: 'killed by SIGSEGV gives 139', argv: ['-n', '@priv', '--', 'sh', '-c', 'kill -SEGV $$'] },
  { name: 'command not found gives 127', argv: ['-n', '@priv', '--', 'nosuchcommand'] },
  { name: 'empty command gives 127', argv: ['-n', '@priv', '--', ''] },
  { name: 'missing path gives 127', argv: ['-n', '@priv', '--', '/nonexist/x'] },
  { name: 'a directory gives 126', argv: ['-n', '@priv', '--', '/etc'] },
  { name: 'another exec error (ENOTDIR) gives 255', argv: ['-n', '@priv', '--', '/etc/passwd/x'] },
  { name: 'a non-executable file gives 126', argv: ['-n', '@priv', '--', '/etc/passwd'] },
  { name: 'stdin EOF reaches the command without a pty', argv: ['-n', '@priv', '--', 'cat'], stdin: 'a\nb\n' },

  // §5 cwd rule
  { name: 'cwd /tmp is kept', argv: ['-n', '@priv', '--', 'pwd'], cwd: '/tmp' },
  { name: 'cwd /usr/lib is kept', argv: ['-n', '@priv', '--', 'pwd'], cwd: '/usr/lib' },
  { name: 'a host-only cwd falls back to /', argv: ['-n', '@priv', '--', 'pwd'], cwd: '@fixtures' },
  { name: 'cwd /etc/apt (not in the container) falls back to /', argv: ['-n', '@priv', '--', 'pwd'], cwd: '/etc/apt' },

  // §5/§6 redirected stdio: fix_stdio_permissions
  { name: '>file becomes mode 0700', argv: ['-n', '@priv', '--', 'echo', 'x'], wrap: '{cmd} > @tmp/out; stat -c %a @tmp/out' },
  { name: '>file with -u 1000 is owned by 1000', argv: ['-u', '1000', '-n', '@priv', '--', 'echo', 'x'], wrap: '{cmd} > @tmp/out; stat -c "%a %u" @tmp/out' },
  { name: 'unprivileged: >file with -u 1000', argv: ['-u', '1000', '-n', '@unpriv', '--', 'echo', 'x'], wrap: '{cmd} > @tmp/out; stat -c "%a %u" @tmp/out' },

  // §3 pty cases, run under script(1)
  { name: 'tty: all std fds are the container pty', argv: ['-n', '@priv', '--', 'sh', '-c', 'tty; for fd in 0 1 2; do readlink /proc/self/fd/$fd; done; exit 3'], tty: true },
  { name: 'tty: the process is a session leader with a controlling tty', argv: ['-n', '@priv', '--', 'sh', '-c', 'set -- $(cat /proc/$$/stat); echo "pgrp=$(($5 - $1)) sid=$(($6 - $1)) tty=$7"'], tty: true },
  { name: 'tty: stdout to a file keeps fd 1', argv: ['-n', '@priv', '--', 'sh', '-c', 'tty; readlink /proc/self/fd/1 | grep -c pts'], tty: true, wrap: '{cmd} > @tmp/out; cat @tmp/out' },
  { name: 'tty: piped stdin is not a tty', argv: ['-n', '@priv', '--', 'sh', '-c', 'tty; cat'], tty: true, wrap: 'echo piped | {cmd}' },
  { name: 'tty: stty shows raw-mode-free defaults inside', argv: ['-n', '@priv', '--', 'stty', '-a'], tty: true, normalize: (s) => s.replace(/rows \d+; columns \d+/, 'rows R; columns C') },
  { name: 'tty: killed by SIGINT gives 130', argv: ['-n', '@priv', '--', 'sh', '-c', 'kill -INT $$'], tty: true },
  { name: 'tty: -L logs the pty output', argv: ['-L', '@tmp/pty.log', '-n', '@priv', '--', 'sh', '-c', 'echo logged; echo err >&2'], tty: true, sameContents: true },
  { name: 'tty: command not found', argv: ['-n', '@priv', '--', 'nosuchcommand'], tty: true },
  { name: 'tty: unprivileged container', argv: ['-n', '@unpriv', '--', 'sh', '-c', 'tty; id -u; grep Seccomp /proc/self/status'], tty: true },
];
