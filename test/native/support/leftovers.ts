// What an attach can leave behind: processes in a container's pid namespace, processes that
// carry a per-run marker in their environment (the helper, its attach child and the attached
// process all inherit it unless the environment is cleared), and cgroup directories.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

function hostPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
}

function readOrNull(file: string, read: (f: string) => string): string | null {
  try {
    return read(file);
  } catch (err) {
    // NB: processes exit while /proc is being scanned (ENOENT, ESRCH), and this machine's sandbox
    // hides a few host processes even from root (EACCES); neither can be an attach of ours.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH' || code === 'EACCES') return null;
    throw err;
  }
}

/** Host pids of every process in the container's pid namespace, init included, sorted. */
export function containerProcesses(container: string): number[] {
  const init = execFileSync('lxc-info', ['-n', container, '-pH'], { encoding: 'utf8' }).trim();
  const ns = fs.readlinkSync(`/proc/${init}/ns/pid`);
  return hostPids()
    .filter((pid) => readOrNull(`/proc/${pid}/ns/pid`, fs.readlinkSync) === ns)
    .sort((a, b) => a - b);
}

/** Pids whose environment contains `marker` (e.g. `LXCAT_RUN=<unique>`), except `exclude`. */
export function processesWithEnv(marker: string, exclude: number[] = []): number[] {
  return hostPids().filter((pid) => {
    if (exclude.includes(pid) || pid === process.pid) return false;
    const environ = readOrNull(`/proc/${pid}/environ`, (f) => fs.readFileSync(f, 'latin1'));
    return environ !== null && environ.split('\0').includes(marker);
  });
}

/** Every cgroup directory of the container (all hierarchies), e.g. the `.lxc` attach leaf. */
export function containerCgroupDirs(container: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    found.push(dir);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) walk(`${dir}/${entry.name}`);
  };
  for (const hierarchy of fs.readdirSync('/sys/fs/cgroup')) {
    const top = `/sys/fs/cgroup/${hierarchy}/lxc.payload.${container}`;
    if (fs.existsSync(top)) walk(top);
  }
  return found.sort();
}
