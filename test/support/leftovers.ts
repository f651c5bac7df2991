// What a failed or interrupted attach must not leave behind: processes in the container besides
// its init, helper processes on the host, or descriptors in the agent.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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
