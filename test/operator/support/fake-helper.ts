// A stand-in for native/lxc-attach-helper in unit tests, which run without root and without LXC,
// where the real helper cannot attach to anything. It keeps the helper's process contract
// (native/README.md): JSON status lines on fd 3, control lines on fd 4, the command's exit code
// as its own. What it does is chosen by the command it is given:
//
//   exit N [OUT]     reports attached, prints OUT on stdout, exits N
//   attach-fail      reports attach-failed and exits 1 without running anything
//   echo-control     copies every control line to stdout until fd 4 closes, then exits 0
//   sleep            waits for SIGHUP (fd 4 closed = hang-up, as the real helper does)
//
// It also writes its argv and environment to ARGV_FILE beside itself, for the tests to read.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const script = `
const fs = require('node:fs');
const path = require('node:path');
fs.writeFileSync(path.join(__dirname, 'argv.json'), JSON.stringify({ argv: process.argv.slice(2), env: process.env }));
const status = (o) => fs.writeSync(3, JSON.stringify(o) + '\\n');
const dash = process.argv.indexOf('--');
const [verb, ...rest] = process.argv.slice(dash + 1);
if (verb === 'attach-fail') {
  status({ event: 'attach-failed', reason: 'ContainerNotRunning', errno: 22, message: 'container is not running' });
  process.exit(1);
}
status({ event: 'attached', pid: process.pid });
if (verb === 'exit') {
  if (rest[1]) process.stdout.write(rest[1]);
  const code = Number(rest[0]);
  status({ event: 'exited', code });
  process.exitCode = code;
} else if (verb === 'echo-control') {
  const control = fs.createReadStream(null, { fd: 4 });
  control.pipe(process.stdout);
  control.on('end', () => status({ event: 'exited', code: 0 }));
} else if (verb === 'sleep') {
  fs.createReadStream(null, { fd: 4 }).on('end', () => { status({ event: 'exited', code: 129, signal: 1 }); process.exit(129); }).resume();
}
`;

/** Writes the stand-in into a fresh directory; returns its path and where it records its argv. */
export function makeFakeHelper(): { helperPath: string; argvFile: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'lxcat-fake-helper-'));
  const helperPath = path.join(dir, 'fake-helper.cjs');
  writeFileSync(helperPath, `#!${process.execPath}\n${script}`);
  chmodSync(helperPath, 0o755);
  return { helperPath, argvFile: path.join(dir, 'argv.json') };
}
