// Where this host keeps what the agent runs and reads, when the command line says nothing.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The helper built by `make -C native`, next to the compiled agent in the package. */
export const bundledHelperPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../native/lxc-attach-helper');

/** liblxc's default lxc path on this host (lxc.lxcpath), as lxc-attach without -P uses it. */
export function hostDefaultLxcPath(): string {
  try {
    const out = execFileSync('lxc-config', ['lxc.lxcpath'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (out.startsWith('/')) return out;
  } catch {
    // NB: no lxc-config in a minimal image: liblxc's compiled-in default applies.
  }
  return '/var/lib/lxc';
}
