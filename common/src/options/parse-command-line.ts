// lxc_arguments_parse() and the option handling of lxc-attach's main(), on top of getopt.ts: walks
// the options in command-line order (so --version, -P twice and value errors act where they
// appear), then takes the first operand as the container name when -n was not given.
import { getoptLong, type LongOption, type ParsedOption } from './getopt.js';
import { lxcAttachOptions, lxcAttachShortopts, type ParseState, type ParseStop } from './lxc-attach-options.js';
import type { LxcAttachFields } from '../containerattach/types.js';

interface CommandLineExtension {
  /** long-only options of the caller (the plugin), matched only when spelled exactly */
  options: LongOption[];
  apply(option: ParsedOption): ParseStop | void;
}

interface ParseOptions {
  progname: string;
  posixlyCorrect: boolean;
  extension?: CommandLineExtension;
}

export type CommandLine =
  | { kind: 'attach'; fields: LxcAttachFields; command: string[]; trapped: ParsedOption[] }
  /** the command line ends here, as lxc-attach would exit; `quiet` is -q as seen so far */
  | { kind: 'stop'; stop: ParseStop; quiet: boolean; getoptMessage?: string };

const byKey = new Map(lxcAttachOptions.map((o) => [o.key, o]));

const lxcAttachLongopts: LongOption[] = lxcAttachOptions.map((o) => ({
  name: o.long,
  hasArg: o.hasArg,
  key: o.key,
}));

export function parseCommandLine(args: readonly string[], opts: ParseOptions): CommandLine {
  const extension = opts.extension;
  const result = getoptLong(
    {
      shortopts: lxcAttachShortopts,
      // The caller's own options come first so that their exact spelling shadows lxc-attach's
      // (the plugin's --context is kubectl's; -c stays the SELinux context).
      longopts: [
        ...(extension?.options ?? []).map((o) => ({ ...o, abbreviable: false })),
        ...lxcAttachLongopts,
      ],
      progname: opts.progname,
      posixlyCorrect: opts.posixlyCorrect,
    },
    args,
  );

  const state: ParseState = { fields: {}, lxcPathCount: 0, quiet: false };
  for (const option of result.options) {
    const known = byKey.get(option.key);
    const stop = known ? known.apply(state, option.value) : extension?.apply(option);
    if (stop) return { kind: 'stop', stop, quiet: state.quiet };
  }
  if (!result.ok) {
    return { kind: 'stop', stop: { stop: 'help', code: 1 }, quiet: state.quiet, getoptMessage: result.message };
  }

  const operands = [...result.operands];
  if (state.fields.container === undefined) {
    const name = operands.shift();
    if (name === undefined) {
      return { kind: 'stop', stop: { stop: 'error', message: 'No container name specified' }, quiet: state.quiet };
    }
    state.fields.container = name;
  }
  const trapped = result.options.filter((o) => o.afterOperand);
  return { kind: 'attach', fields: state.fields as LxcAttachFields, command: operands, trapped };
}
