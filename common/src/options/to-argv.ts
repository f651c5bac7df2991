// ContainerAttach spec -> lxc-attach argv (what the agent hands the helper), from the option table.
import { lxcAttachOptions } from './lxc-attach-options.js';
import type { LxcAttachFields } from '../containerattach/types.js';

/** The lxc-attach command line that means exactly `fields`: long options with '=' (a value can
 *  never be taken for an option), then `--` and the command. No command means the user's shell. */
export function lxcAttachArgv(fields: LxcAttachFields): string[] {
  const argv = lxcAttachOptions.flatMap((o) => o.emit?.(fields) ?? []);
  if (fields.command && fields.command.length > 0) argv.push('--', ...fields.command);
  return argv;
}
