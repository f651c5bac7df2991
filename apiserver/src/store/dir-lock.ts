// One server per data directory: two processes appending to one log would interleave records.
import { open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { StoreError } from './store-error.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireDirLock(dir: string): Promise<void> {
  const file = path.join(dir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(file, 'wx', 0o600);
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (pid > 0 && alive(pid)) {
      throw new StoreError('STORE_ERR_LOCKED', `data directory ${dir} is in use by process ${pid}`);
    }
    // NB: a lock left by a killed process (kill -9) is stale; remove it and try once more.
    await unlink(file).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'ENOENT') throw e; });
  }
  throw new StoreError('STORE_ERR_LOCKED', `cannot lock data directory ${dir}`);
}

export async function releaseDirLock(dir: string): Promise<void> {
  await unlink(path.join(dir, 'lock')).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'ENOENT') throw e; });
}
