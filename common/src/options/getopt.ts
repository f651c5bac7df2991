// GNU getopt_long as glibc 2.36 implements it, so that argv means to the plugin exactly what it means
// to lxc-attach: permutation (unless POSIXLY_CORRECT), clustered short options, attached-only
// optional arguments, unique-prefix abbreviations of long options, and glibc's error messages.

export type HasArg = 'none' | 'required' | 'optional';

export interface LongOption {
  name: string;
  hasArg: HasArg;
  /** what getopt returns for it: the short letter, or a key for long-only options */
  key: string;
  /** when false, only the exact spelling matches (used for the plugin's own long options so
   *  they cannot change what an lxc-attach abbreviation means) */
  abbreviable?: boolean;
}

interface GetoptSpec {
  /** lxc-attach's short option string, e.g. "e::a:s:Rv:L:f:u:g:c:n:h?qo:l:P:" */
  shortopts: string;
  longopts: LongOption[];
  /** program name used in messages (glibc prints argv[0]) */
  progname: string;
  /** stop at the first non-option, as with POSIXLY_CORRECT set */
  posixlyCorrect: boolean;
}

export interface ParsedOption {
  key: string;
  value: string | undefined;
  /** it came after a non-option argument, i.e. permutation moved it (the "echo -n hi" trap) */
  afterOperand: boolean;
  /** as written on the command line, for warnings */
  text: string;
}

type GetoptResult =
  | { ok: true; options: ParsedOption[]; operands: string[] }
  | { ok: false; options: ParsedOption[]; message: string };

interface ShortInfo {
  hasArg: HasArg;
}

function parseShortopts(shortopts: string): Map<string, ShortInfo> {
  const map = new Map<string, ShortInfo>();
  for (let i = 0; i < shortopts.length; i++) {
    const c = shortopts[i];
    if (c === ':' || c === '+' || c === '-') continue;
    let hasArg: HasArg = 'none';
    if (shortopts[i + 1] === ':') {
      hasArg = shortopts[i + 2] === ':' ? 'optional' : 'required';
    }
    map.set(c, { hasArg });
  }
  return map;
}

function sameOption(a: LongOption, b: LongOption): boolean {
  return a.hasArg === b.hasArg && a.key === b.key;
}

type LongMatch = { option: LongOption } | { error: string };

function matchLong(spec: GetoptSpec, name: string, shown: string): LongMatch {
  const exact = spec.longopts.find((o) => o.name === name);
  if (exact) return { option: exact };
  const candidates = spec.longopts.filter((o) => o.abbreviable !== false && o.name.startsWith(name));
  if (candidates.length === 0) {
    return { error: `${spec.progname}: unrecognized option '${shown}'` };
  }
  const first = candidates[0];
  const differing = candidates.filter((o) => !sameOption(o, first));
  if (differing.length > 0) {
    const listed = [first, ...differing].map((o) => ` '--${o.name}'`).join('');
    return { error: `${spec.progname}: option '${shown}' is ambiguous; possibilities:${listed}` };
  }
  return { option: first };
}

/** Parses args (without argv[0]) the way getopt_long would, collecting options in order. */
export function getoptLong(spec: GetoptSpec, args: readonly string[]): GetoptResult {
  const shorts = parseShortopts(spec.shortopts);
  const options: ParsedOption[] = [];
  const operands: string[] = [];
  const fail = (message: string): GetoptResult => ({ ok: false, options, message });

  let i = 0;
  let afterOperand = false;
  while (i < args.length) {
    const arg = args[i];
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      if (spec.posixlyCorrect) {
        operands.push(...args.slice(i));
        break;
      }
      operands.push(arg);
      afterOperand = true;
      i++;
      continue;
    }

    if (arg.startsWith('--')) {
      const body = arg.slice(2);
      const eq = body.indexOf('=');
      const name = eq >= 0 ? body.slice(0, eq) : body;
      const match = matchLong(spec, name, arg);
      if ('error' in match) return fail(match.error);
      const opt = match.option;
      i++;
      if (eq >= 0) {
        if (opt.hasArg === 'none') {
          return fail(`${spec.progname}: option '--${opt.name}' doesn't allow an argument`);
        }
        options.push({ key: opt.key, value: body.slice(eq + 1), afterOperand, text: arg });
      } else if (opt.hasArg === 'required') {
        if (i >= args.length) {
          return fail(`${spec.progname}: option '--${opt.name}' requires an argument`);
        }
        options.push({ key: opt.key, value: args[i], afterOperand, text: `${arg} ${args[i]}` });
        i++;
      } else {
        options.push({ key: opt.key, value: undefined, afterOperand, text: arg });
      }
      continue;
    }

    // A cluster of short options: "-Rq", "-nNAME", "-eCAP".
    i++;
    for (let j = 1; j < arg.length; j++) {
      const c = arg[j];
      const info = shorts.get(c);
      if (!info) return fail(`${spec.progname}: invalid option -- '${c}'`);
      const rest = arg.slice(j + 1);
      if (info.hasArg === 'none') {
        options.push({ key: c, value: undefined, afterOperand, text: `-${c}` });
        continue;
      }
      if (rest.length > 0) {
        options.push({ key: c, value: rest, afterOperand, text: `-${c}${rest}` });
      } else if (info.hasArg === 'optional') {
        options.push({ key: c, value: undefined, afterOperand, text: `-${c}` });
      } else if (i < args.length) {
        options.push({ key: c, value: args[i], afterOperand, text: `-${c} ${args[i]}` });
        i++;
      } else {
        return fail(`${spec.progname}: option requires an argument -- '${c}'`);
      }
      break;
    }
  }
  return { ok: true, options, operands };
}
