// Which directory the helper must open the -o / -L files beneath. The policy checked the paths
// when the object was admitted; the helper opens them later, and a symlink put in place meanwhile
// (or a dangling one as the last component) would otherwise redirect the write. The helper's
// --confine-logfile / --confine-pty-log make it open the file with openat2(RESOLVE_BENEATH |
// RESOLVE_NO_SYMLINKS) beneath the allowed directory (native/README.md).
import path from 'node:path';
import type { ContainerAttachSpec } from '../../../common/src/containerattach/types.js';
import { defaultLogFile } from '../policy/check-policy.js';

export interface LogDirectories {
  logFileDirectories: readonly string[];
  ptyLogDirectories: readonly string[];
}

/** The allowed directory `file` is spelled under. A path that reaches an allowed directory only
 *  through a symlink gets the first one, beneath which the helper then refuses it. */
function directoryFor(file: string, dirs: readonly string[]): string {
  const resolved = path.resolve(file);
  const under = dirs.map((d) => (d.length > 1 ? d.replace(/\/+$/, '') : d)).find((d) => resolved.startsWith(d === '/' ? '/' : `${d}/`));
  // NB: no allowed directory at all cannot pass the policy; refuse at the helper all the same.
  return under ?? dirs[0] ?? '/nonexistent';
}

/** The spec the helper runs: -l without -o names the default file explicitly, so that the file
 *  the policy checked is the one liblxc writes (liblxc would otherwise fall back to others). */
export function withExplicitLogFile(spec: ContainerAttachSpec): ContainerAttachSpec {
  if (spec.log?.priority === undefined || spec.log.file !== undefined) return spec;
  return { ...spec, log: { ...spec.log, file: defaultLogFile(spec.container) } };
}

/** The helper-only options that confine the spec's log files. */
export function confinementArgs(spec: ContainerAttachSpec, dirs: LogDirectories): string[] {
  const args: string[] = [];
  const logFile = withExplicitLogFile(spec).log?.file;
  if (logFile !== undefined) args.push('--confine-logfile', directoryFor(logFile, dirs.logFileDirectories));
  if (spec.ptyLog !== undefined) args.push('--confine-pty-log', directoryFor(spec.ptyLog, dirs.ptyLogDirectories));
  return args;
}
