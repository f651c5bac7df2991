// THE lxc-attach 5.0.2 option table: the one place that says which options exist, how each is
// spelled and parsed, which ContainerAttach spec field records it, how that field becomes helper
// argv again, and how `--help` and `--usage` describe it. The plugin's parser, the CRD schema, the
// agent's argv builder and docs/options.md are all generated from here.
import type { HasArg } from './getopt.js';
import type { LxcAttachFields } from '../containerattach/types.js';
import {
  archNames, invalidId, namespaceNames, parseElevatedPrivileges, parseNamespaces, parseSafeUint,
  privileges, removeTrailingSlashes,
} from './values.js';

/** Parse state while walking argv: the spec fields plus what only the parser needs. */
export interface ParseState {
  fields: Partial<LxcAttachFields>;
  lxcPathCount: number;
  quiet: boolean;
}

/** Why parsing stopped before the end of argv, mirroring lxc_arguments_parse's exits. */
export type ParseStop =
  | { stop: 'help'; code: 0 | 1 }
  | { stop: 'usage' }
  | { stop: 'version' }
  /** lxc_error(): "lxc-attach: MESSAGE", silenced by an earlier -q */
  | { stop: 'error'; message: string }
  /** a bare line printed whatever -q says */
  | { stop: 'fatal'; line: string };

interface LxcAttachOption {
  long: string;
  /** the short letter, when lxc-attach has one */
  short?: string;
  hasArg: HasArg;
  /** the spec field it records into (dotted path), for docs */
  field?: string;
  repeat: 'last wins' | 'cumulative' | 'once' | 'flag' | 'acts at once';
  /** lxc-attach's --help block for it, verbatim; absent for the duplicate table entries */
  help?: string;
  /** the key getopt returns: the short letter, or a long-only key as in lxc_attach.c */
  key: string;
  apply(state: ParseState, value: string | undefined): ParseStop | void;
  /** The entry that owns `field` turns it back into helper argv (long form with '=', so that no
   *  value can be mistaken for an option) ... */
  emit?(fields: LxcAttachFields): string[];
  /** ... and declares its CRD schema (OpenAPI v3, structural). */
  schema?: JsonSchema;
}

/** The subset of OpenAPI v3 schema the CRD uses. */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'boolean';
  description?: string;
  format?: string;
  enum?: string[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-validations'?: { rule: string; message?: string; messageExpression?: string; fieldPath?: string; reason?: string }[];
}

/** Node paths are absolute on the node: a remote caller has no working directory there. */
const nodePath = (description: string): JsonSchema => ({
  type: 'string', description, pattern: '^/[^\\x00]*$', maxLength: 4096,
});

const argString = (description: string, maxLength: number): JsonSchema => ({
  type: 'string', description, pattern: '^[^\\x00]*$', maxLength,
});

const long = (name: string, value: string | undefined): string[] => (value === undefined ? [] : [`--${name}=${value}`]);

const couldNotParse: ParseStop = { stop: 'error', message: 'could not parse command line' };

function set<K extends keyof LxcAttachFields>(state: ParseState, key: K, value: LxcAttachFields[K]): void {
  state.fields[key] = value;
}

function env(state: ParseState): NonNullable<LxcAttachFields['env']> {
  state.fields.env ??= {};
  return state.fields.env;
}

function log(state: ParseState): NonNullable<LxcAttachFields['log']> {
  state.fields.log ??= {};
  return state.fields.log;
}

function idOption(key: 'uid' | 'gid') {
  return (state: ParseState, value: string | undefined): ParseStop | void => {
    const id = parseSafeUint(value ?? '');
    if (id === undefined) return couldNotParse;
    // 4294967295 is liblxc's "not given", so it also undoes an earlier -u/-g.
    if (id === invalidId) delete state.fields[key];
    else set(state, key, id);
  };
}

/** In lxc-attach's getopt order (my_longopts followed by LXC_COMMON_OPTIONS): the order decides
 *  abbreviation ambiguity and the --usage line. */
export const lxcAttachOptions: readonly LxcAttachOption[] = [
  {
    long: 'elevated-privileges', short: 'e', key: 'e', hasArg: 'optional', field: 'elevatedPrivileges', repeat: 'last wins',
    help: `  -e, --elevated-privileges=PRIVILEGES
                    Use elevated privileges instead of those of the
                    container. If you don't specify privileges to be
                    elevated as OR'd list: CAP, CGROUP and LSM (capabilities,
                    cgroup and restrictions, respectively) then all of them
                    will be elevated.
                    WARNING: This may leak privileges into the container.
                    Use with care.`,
    apply(state, value) {
      const privs = parseElevatedPrivileges(value);
      if (!privs) return couldNotParse;
      if (privs.length === 0) delete state.fields.elevatedPrivileges;
      else set(state, 'elevatedPrivileges', privs);
    },
    emit(f) {
      // After -s the privileges are always spelled out: -s alone would elevate everything.
      if (f.namespaces !== undefined || !f.elevatedPrivileges?.length) return [];
      return [`--elevated-privileges=${f.elevatedPrivileges.join('|')}`];
    },
    schema: {
      type: 'array', description: 'Privileges not dropped: -e with no value is all three (lxc-attach -e).',
      items: { type: 'string', enum: [...privileges] }, maxItems: 3, 'x-kubernetes-list-type': 'set',
    },
  },
  {
    long: 'arch', short: 'a', key: 'a', hasArg: 'required', field: 'arch', repeat: 'last wins',
    help: `  -a, --arch=ARCH   Use ARCH for program instead of container's own
                    architecture.`,
    apply(state, value) {
      if (!archNames.includes(value ?? '')) return couldNotParse;
      set(state, 'arch', value);
    },
    emit: (f) => long('arch', f.arch),
    schema: { type: 'string', description: 'Personality for the command (lxc-attach -a).', enum: archNames },
  },
  {
    long: 'namespaces', short: 's', key: 's', hasArg: 'required', field: 'namespaces', repeat: 'last wins',
    help: `  -s, --namespaces=FLAGS
                    Don't attach to all the namespaces of the container
                    but just to the following OR'd list of flags:
                    MOUNT, PID, UTSNAME, IPC, USER or NETWORK.
                    WARNING: Using -s implies -e with all privileges
                    elevated, it may therefore leak privileges into the
                    container. Use with care.`,
    apply(state, value) {
      const names = parseNamespaces(value ?? '');
      if (!names) return couldNotParse;
      set(state, 'namespaces', names);
      // -s implies -e (all) at this point of the command line; a later -e overrides it.
      set(state, 'elevatedPrivileges', [...privileges]);
    },
    emit(f) {
      if (f.namespaces === undefined) return [];
      return [`--namespaces=${f.namespaces.join('|')}`, `--elevated-privileges=${(f.elevatedPrivileges ?? []).join('|')}`];
    },
    schema: {
      type: 'array',
      description: 'Enter only these namespaces (lxc-attach -s). The object stores the effective privileges: -s alone elevates all.',
      items: { type: 'string', enum: [...namespaceNames] }, minItems: 1, maxItems: namespaceNames.length,
      'x-kubernetes-list-type': 'set',
    },
  },
  {
    long: 'remount-sys-proc', short: 'R', key: 'R', hasArg: 'none', field: 'remountSysProc', repeat: 'flag',
    help: `  -R, --remount-sys-proc
                    Remount /sys and /proc if not attaching to the
                    mount namespace when using -s in order to properly
                    reflect the correct namespace context. See the
                    lxc-attach(1) manual page for details.`,
    apply(state) {
      set(state, 'remountSysProc', true);
    },
    emit: (f) => (f.remountSysProc ? ['--remount-sys-proc'] : []),
    schema: { type: 'boolean', description: 'Remount /proc and /sys when the mount namespace is not entered (lxc-attach -R).' },
  },
  {
    long: 'clear-env', key: 'clear-env', hasArg: 'none', field: 'env.policy', repeat: 'last wins',
    help: `      --clear-env   Clear all environment variables before attaching.
                    The attached shell/program will start with only
                    container=lxc set.`,
    apply(state) {
      env(state).policy = 'Clear';
    },
    emit: (f) => (f.env?.policy === 'Clear' ? ['--clear-env'] : []),
    schema: {
      type: 'string', description: 'Keep (default) or Clear the caller environment (lxc-attach --keep-env / --clear-env).',
      enum: ['Keep', 'Clear'],
    },
  },
  {
    long: 'keep-env', key: 'keep-env', hasArg: 'none', field: 'env.policy', repeat: 'last wins',
    help: `      --keep-env    Keep all current environment variables. This
                    is the current default behaviour, but is likely to
                    change in the future.`,
    apply(state) {
      delete env(state).policy;
    },
  },
  {
    long: 'keep-var', key: 'keep-var', hasArg: 'required', field: 'env.keep', repeat: 'cumulative',
    help: `      --keep-var    Keep an additional environment variable. Only
                    applicable if --clear-env is specified. May be used
                    multiple times.`,
    apply(state, value) {
      (env(state).keep ??= []).push(value ?? '');
    },
    emit: (f) => (f.env?.keep ?? []).flatMap((v) => long('keep-var', v)),
    schema: {
      type: 'array', description: 'Variables kept by Clear (lxc-attach --keep-var).', maxItems: 128,
      items: { type: 'string', minLength: 1, maxLength: 256 },
      'x-kubernetes-validations': [{
        rule: "self.all(v, v.matches('^[^=\\\\x00]+$'))",
        message: 'each entry must be a variable name: no "=" and no NUL character',
      }],
    },
  },
  {
    long: 'set-var', short: 'v', key: 'v', hasArg: 'required', field: 'env.set', repeat: 'cumulative',
    help: `  -v, --set-var     Set an additional variable that is seen by the
                    attached program in the container. May be specified
                    multiple times.`,
    apply(state, value) {
      (env(state).set ??= []).push(value ?? '');
    },
    emit: (f) => (f.env?.set ?? []).flatMap((v) => long('set-var', v)),
    schema: {
      type: 'array', description: 'VAR=VALUE sets, a bare VAR unsets, in order (lxc-attach -v).', maxItems: 128,
      items: { type: 'string', minLength: 1, maxLength: 8192 },
      'x-kubernetes-validations': [{
        rule: "self.all(v, v.matches('^[^=\\\\x00]+(=[^\\\\x00]*)?$'))",
        message: 'each entry must be VAR=VALUE or VAR, with a non-empty name and no NUL character',
      }],
    },
  },
  {
    long: 'pty-log', short: 'L', key: 'L', hasArg: 'required', field: 'ptyLog', repeat: 'last wins',
    help: `  -L, --pty-log=FILE
                    Log pty output to FILE`,
    apply(state, value) {
      set(state, 'ptyLog', value);
    },
    emit: (f) => long('pty-log', f.ptyLog),
    schema: nodePath('Node file that records the pty output (lxc-attach -L); must be under a pty-log directory of the agent policy.'),
  },
  {
    long: 'rcfile', short: 'f', key: 'f', hasArg: 'required', field: 'rcFile', repeat: 'last wins',
    help: `  -f, --rcfile=FILE
                    Load configuration file FILE`,
    apply(state, value) {
      set(state, 'rcFile', value);
    },
    emit: (f) => long('rcfile', f.rcFile),
    schema: nodePath('Node file that replaces the container configuration (lxc-attach -f); must be under an rcfile directory of the agent policy.'),
  },
  {
    long: 'uid', short: 'u', key: 'u', hasArg: 'required', field: 'uid', repeat: 'last wins',
    help: '  -u, --uid=UID     Execute COMMAND with UID inside the container',
    apply: idOption('uid'),
    emit: (f) => long('uid', f.uid?.toString()),
    schema: { type: 'integer', format: 'int64', description: 'User id inside the container (lxc-attach -u).', minimum: 0, maximum: invalidId - 1 },
  },
  {
    long: 'gid', short: 'g', key: 'g', hasArg: 'required', field: 'gid', repeat: 'last wins',
    help: '  -g, --gid=GID     Execute COMMAND with GID inside the container',
    apply: idOption('gid'),
    emit: (f) => long('gid', f.gid?.toString()),
    schema: { type: 'integer', format: 'int64', description: 'Group id inside the container (lxc-attach -g).', minimum: 0, maximum: invalidId - 1 },
  },
  {
    long: 'context', short: 'c', key: 'c', hasArg: 'required', field: 'selinuxContext', repeat: 'last wins',
    help: `  -c, --context=context
                    SELinux Context to transition into`,
    apply(state, value) {
      set(state, 'selinuxContext', value);
    },
    emit: (f) => long('context', f.selinuxContext),
    schema: argString('SELinux context to transition into (lxc-attach -c).', 1024),
  },
  {
    long: 'name', short: 'n', key: 'n', hasArg: 'required', field: 'container', repeat: 'last wins',
    help: '  -n, --name=NAME   NAME of the container',
    apply(state, value) {
      set(state, 'container', value ?? '');
    },
    emit: (f) => long('name', f.container),
    schema: { type: 'string', description: 'The LXC container (lxc-attach -n).', minLength: 1, maxLength: 255, pattern: '^[^/\\x00]+$' },
  },
  {
    long: 'help', short: 'h', key: 'h', hasArg: 'none', repeat: 'acts at once',
    apply: () => ({ stop: 'help', code: 0 }),
  },
  {
    long: 'help', short: '?', key: '?', hasArg: 'none', repeat: 'acts at once',
    help: '  -?, --help                       Give this help list',
    // getopt returns '?' for -? exactly as for an unknown option, so lxc-attach exits 1.
    apply: () => ({ stop: 'help', code: 1 }),
  },
  {
    long: 'usage', key: 'usage', hasArg: 'none', repeat: 'acts at once',
    help: '      --usage                      Give a short usage message',
    apply: () => ({ stop: 'usage' }),
  },
  {
    long: 'version', key: 'version', hasArg: 'none', repeat: 'acts at once',
    help: '      --version                    Print the version number',
    apply: () => ({ stop: 'version' }),
  },
  {
    long: 'quiet', short: 'q', key: 'q', hasArg: 'none', field: 'log.quiet', repeat: 'flag',
    help: '  -q, --quiet                      Don\'t produce any output',
    apply(state) {
      state.quiet = true;
      log(state).quiet = true;
    },
    emit: (f) => (f.log?.quiet ? ['--quiet'] : []),
    schema: { type: 'boolean', description: 'No LXC messages on stderr (lxc-attach -q).' },
  },
  {
    long: 'logfile', short: 'o', key: 'o', hasArg: 'required', field: 'log.file', repeat: 'last wins',
    help: '  -o, --logfile=FILE               Output log to FILE instead of stderr',
    apply(state, value) {
      log(state).file = value;
    },
    emit: (f) => long('logfile', f.log?.file),
    schema: nodePath('Node file for LXC log messages (lxc-attach -o); must be under a log directory of the agent policy.'),
  },
  {
    long: 'logpriority', short: 'l', key: 'l', hasArg: 'required', field: 'log.priority', repeat: 'last wins',
    help: '  -l, --logpriority=LEVEL          Set log priority to LEVEL',
    apply(state, value) {
      log(state).priority = value;
    },
    emit: (f) => long('logpriority', f.log?.priority),
    schema: argString('LXC log priority, TRACE to FATAL (lxc-attach -l); like lxc-attach, an unknown level is accepted.', 32),
  },
  {
    long: 'lxcpath', short: 'P', key: 'P', hasArg: 'required', field: 'lxcPath', repeat: 'once',
    help: '  -P, --lxcpath=PATH               Use specified container path',
    apply(state, value) {
      if (state.lxcPathCount > 0) {
        return { stop: 'fatal', line: 'This command only accepts 1 -P,--lxcpath arguments' };
      }
      state.lxcPathCount++;
      set(state, 'lxcPath', removeTrailingSlashes(value ?? ''));
    },
    emit: (f) => long('lxcpath', f.lxcPath),
    schema: nodePath('LXC path on the node (lxc-attach -P); must be on the agent policy allow-list.'),
  },
  {
    // LXC_COMMON_OPTIONS repeats --rcfile; the first entry (-f) wins an exact match, but the pair
    // makes "--rc" ambiguous exactly as in lxc-attach.
    long: 'rcfile', key: 'rcfile-common', hasArg: 'required', field: 'rcFile', repeat: 'last wins',
    apply(state, value) {
      set(state, 'rcFile', value);
    },
  },
];

/** lxc-attach's short option string, built from the table as build_shortopts() does. */
export const lxcAttachShortopts: string = lxcAttachOptions
  .filter((o) => o.short !== undefined)
  .map((o) => o.short + (o.hasArg === 'required' ? ':' : o.hasArg === 'optional' ? '::' : ''))
  .join('');

/** The order of lxc-attach's hand-written --help text (options, then common options). */
export const helpOrder = {
  options: ['n', 'e', 'a', 's', 'R', 'clear-env', 'keep-env', 'L', 'v', 'keep-var', 'f', 'u', 'g', 'c'],
  common: ['o', 'l', 'q', 'P', '?', 'usage', 'version'],
} as const;

export { archNames, namespaceNames, privileges };
