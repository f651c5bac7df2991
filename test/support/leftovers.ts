// What a failed or interrupted attach must not leave behind: processes in the container besides
// its init, helper processes on the host, the helper's per-attach cgroups, or descriptors in the agent.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from './processes.js';

/** Processes in the container other than init and the ps that lists them. */
export function containerProcesses(container: string): string[] {
  const out = execFileSync('lxc-attach', ['-n', container, '--', 'ps', '-o', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').slice(1).map((l) => l.trim()).filter((l) => l && !/^1 /.test(l) && !/ps -o pid,args$/.test(l));
}

/** Host processes whose command line mentions `marker` (e.g. a unique sleep argument). */
export function hostProcessesWith(marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      continue; // NB: the process ended while we looked.
    }
    if (cmdline.includes(marker) && Number(pid) !== process.pid) found.push(`${pid} ${cmdline}`);
  }
  return found;
}

/** The parent of process `pid`. */
export function parentPid(pid: number): number {
  // NB: the command name in /proc/PID/stat may hold spaces and ")"; the fields after the last ")" do not.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** The children of process `pid` (those its main thread started). */
export function childPids(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number);
}

export function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** Waits until nothing of `marker` runs on the host or in the container. */
export async function assertNothingLeft(container: string, marker: string): Promise<void> {
  await waitFor(`no process of ${marker} left`, () => {
    const left = [...hostProcessesWith(marker), ...containerProcesses(container).filter((p) => p.includes(marker))];
    return left.length === 0 ? true : undefined;
  }, 10_000).catch((err: Error) => {
    throw new Error(`${err.message}: ${[...hostProcessesWith(marker), ...containerProcesses(container)].join('; ')}`);
  });
}

/** Waits until the process has at most `limit` descriptors open (sockets close asynchronously). */
export async function assertFdsBackTo(pid: number, limit: number): Promise<void> {
  await waitFor(`agent fds back to ${limit}`, () => (fdCount(pid) <= limit ? true : undefined), 10_000)
    .catch(() => {
      throw new Error(`agent has ${fdCount(pid)} fds open, more than the ${limit} it had before`);
    });
}

/** The helper's per-attach cgroups (native/process-tree.c) left under the container's cgroup v2
 *  directory, wherever the hierarchy is mounted (hybrid hosts: /sys/fs/cgroup/unified). */
export function attachCgroupsLeft(container: string): string[] {
  const roots = ['/sys/fs/cgroup/unified', '/sys/fs/cgroup'].map((r) => path.join(r, `lxc.payload.${container}`)).filter((d) => existsSync(d));
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // NB: removed while we looked
      throw err;
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const sub = path.join(dir, e.name);
      if (e.name.startsWith('lxc-attach-helper.')) found.push(sub);
      walk(sub);
    }
  };
  for (const r of roots) walk(r);
  return found;
}

/** Waits until no per-attach cgroup of the helper is left for `container`. */
export async function assertNoAttachCgroups(container: string): Promise<void> {
  await waitFor('no per-attach cgroup left', () => (attachCgroupsLeft(container).length === 0 ? true : undefined), 10_000)
    .catch(() => {
      throw new Error(`per-attach cgroups left: ${attachCgroupsLeft(container).join(', ')}`);
    });
}

/** Kills what is in the container's per-attach cgroups and removes them, so that one test's leftover
 *  does not fail the checks of every test after it. */
export async function removeAttachCgroups(container: string): Promise<void> {
  // NB: deepest first: a cgroup with children cannot be removed.
  for (const dir of attachCgroupsLeft(container).reverse()) {
    writeFileSync(path.join(dir, 'cgroup.kill'), '1');
    await waitFor(`${dir} removed`, () => {
      try {
        rmdirSync(dir);
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EBUSY') return undefined;
        throw err;
      }
    }, 10_000);
  }
}
