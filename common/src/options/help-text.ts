// lxc-attach's --help and --usage texts, rendered from the option table in the layout of
// print_help_exit() and print_usage_exit() (LXC tools/arguments.c).
import { helpOrder, lxcAttachOptions } from './lxc-attach-options.js';

const blocks = new Map(lxcAttachOptions.filter((o) => o.help).map((o) => [o.key, o.help as string]));

function block(key: string): string {
  const text = blocks.get(key);
  if (text === undefined) throw new Error(`option table has no help for ${key}`);
  return text;
}

/** The per-option part of lxc-attach's help (the text after "Options :"). */
export function optionsHelp(): string {
  return helpOrder.options.map(block).join('\n') + '\n';
}

export function commonOptionsHelp(): string {
  return helpOrder.common.map(block).join('\n') + '\n';
}

/** Exactly what `lxc-attach --help` writes to stderr. */
export function lxcAttachHelp(progname = 'lxc-attach'): string {
  return (
    `Usage: ${progname} --name=NAME [-- COMMAND]\n\n` +
    'Execute the specified COMMAND - enter the container NAME\n\n' +
    'Options :\n' +
    optionsHelp() +
    '\nCommon options :\n' +
    commonOptionsHelp() +
    '\n' +
    'Mandatory or optional arguments to long options are also mandatory or optional\n' +
    'for any corresponding short options.\n\n' +
    `See the ${progname} man page for further information.\n\n`
  );
}

/** Exactly what `lxc-attach --usage` writes to stderr. */
export function lxcAttachUsage(progname = 'lxc-attach'): string {
  let out = `Usage: ${progname} `;
  lxcAttachOptions.forEach((o, i) => {
    out += '[';
    if (o.short) out += `-${o.short}|`;
    out += `--${o.long}`;
    const upper = o.long.toUpperCase();
    if (o.hasArg === 'required') out += `=${upper}`;
    if (o.hasArg === 'optional') out += `[=${upper}]`;
    out += '] ';
    if ((i + 1) % 4 === 0) out += '\n\t';
  });
  return out + '\n';
}
