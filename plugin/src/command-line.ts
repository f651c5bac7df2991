// kubectl lxc-attach's command line: lxc-attach's grammar exactly (the shared option table and
// getopt emulation), plus long-only options of its own that must be spelled in full, so that no
// lxc-attach abbreviation changes meaning. kubectl's short habits (-n namespace, -c container,
// -o output) do not apply: -n, -c, -o are lxc-attach's.
import type { LongOption, ParsedOption } from '../../common/src/options/getopt.js';
import type { ParseStop } from '../../common/src/options/lxc-attach-options.js';
import { parseCommandLine } from '../../common/src/options/parse-command-line.js';
import type { LxcAttachFields } from '../../common/src/containerattach/types.js';
import { parseDuration } from '../../common/src/duration.js';
import { UsageError } from './plugin-errors.js';

export interface PluginFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  cluster?: string;
  user?: string;
  requestTimeoutMs?: number;
  node?: string;
  dryRun: boolean;
  output?: 'yaml' | 'json';
  batch: boolean;
  detach: boolean;
  timeoutMs?: number;
  keep: boolean;
  /** how the stream reaches the agent: through the API server, straight, or whichever is there */
  via: Via;
  /** serve the terminal page on 127.0.0.1 and print its URL instead of attaching here */
  web: boolean;
}

export const viaChoices = ['auto', 'apiserver', 'direct'] as const;
export type Via = (typeof viaChoices)[number];

interface PluginOption extends LongOption {
  help: string;
  apply(flags: PluginFlags, value: string | undefined): void;
}

function duration(flag: string, value: string | undefined): number {
  const ms = parseDuration(value ?? '');
  if (ms === undefined) throw new UsageError(`invalid ${flag} "${value}": expected a duration such as 30s, 2m or 1h`);
  return ms;
}

/** The plugin's own options (kubectl's global flags in long form, and the remote extras). */
export const pluginOptions: readonly PluginOption[] = [
  { name: 'kubeconfig', key: 'kubeconfig', hasArg: 'required', help: 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config)', apply: (f, v) => (f.kubeconfig = v) },
  { name: 'context', key: 'kube-context', hasArg: 'required', help: 'kubeconfig context (lxc-attach\'s SELinux context stays -c)', apply: (f, v) => (f.context = v) },
  { name: 'namespace', key: 'kube-namespace', hasArg: 'required', help: 'Kubernetes namespace of the ContainerAttach (lxc-attach\'s -n is the container)', apply: (f, v) => (f.namespace = v) },
  { name: 'cluster', key: 'kube-cluster', hasArg: 'required', help: 'kubeconfig cluster', apply: (f, v) => (f.cluster = v) },
  { name: 'user', key: 'kube-user', hasArg: 'required', help: 'kubeconfig user', apply: (f, v) => (f.user = v) },
  { name: 'request-timeout', key: 'request-timeout', hasArg: 'required', help: 'timeout of each API request, e.g. 30s (0: none)', apply: (f, v) => (f.requestTimeoutMs = duration('--request-timeout', v)) },
  { name: 'node', key: 'node', hasArg: 'required', help: 'node that has the container (default: the agent that finds it claims it)', apply: (f, v) => (f.node = v) },
  {
    name: 'dry-run', key: 'dry-run', hasArg: 'optional', help: 'with =client: print the ContainerAttach (a batch attach, no session token) instead of running it',
    apply: (f, v) => {
      if (v !== undefined && v !== 'client') throw new UsageError(`--dry-run=${v} is not supported: only --dry-run=client prints the manifest`);
      f.dryRun = true;
    },
  },
  {
    name: 'output', key: 'output', hasArg: 'required', help: 'yaml or json, with --dry-run=client (-o yaml works there too)',
    apply: (f, v) => {
      if (v !== 'yaml' && v !== 'json') throw new UsageError(`--output must be yaml or json, not "${v}"`);
      f.output = v;
    },
  },
  { name: 'batch', key: 'batch', hasArg: 'none', help: 'run without stdin, wait, print the output and exit with the remote exit code', apply: (f) => (f.batch = true) },
  { name: 'detach', key: 'detach', hasArg: 'none', help: 'create a batch attach, print its name and return', apply: (f) => (f.detach = true) },
  { name: 'timeout', key: 'timeout', hasArg: 'required', help: 'how long to wait for an agent to take the attach (default 60s), or for a --batch attach to end', apply: (f, v) => (f.timeoutMs = duration('--timeout', v)) },
  {
    name: 'via', key: 'via', hasArg: 'required',
    help: 'stream path: apiserver (the aggregated attach API), direct (the node agent\'s address), auto (default: apiserver when the API serves it)',
    apply: (f, v) => {
      if (!(viaChoices as readonly (string | undefined)[]).includes(v)) throw new UsageError(`--via must be auto, apiserver or direct, not "${v}"`);
      f.via = v as Via;
    },
  },
  { name: 'keep', key: 'keep', hasArg: 'none', help: 'do not delete the ContainerAttach afterwards', apply: (f) => (f.keep = true) },
  {
    name: 'web', key: 'web', hasArg: 'none',
    help: 'print the URL of the terminal page (in the browser, through a proxy this starts on 127.0.0.1) and serve it until Ctrl-C; -n is optional and fills in the form',
    apply: (f) => (f.web = true),
  },
];

export type PluginCommandLine =
  | { kind: 'attach'; fields: LxcAttachFields; flags: PluginFlags; warnings: string[] }
  | { kind: 'web'; flags: PluginFlags; container?: string }
  | { kind: 'stop'; stop: ParseStop; quiet: boolean; getoptMessage?: string };

const byKey = new Map(pluginOptions.map((o) => [o.key, o]));

export function parsePluginCommandLine(args: readonly string[], env: NodeJS.ProcessEnv): PluginCommandLine {
  const flags: PluginFlags = { dryRun: false, batch: false, detach: false, keep: false, via: 'auto', web: false };
  const parsed = parseCommandLine(args, {
    progname: 'kubectl lxc-attach',
    posixlyCorrect: env.POSIXLY_CORRECT !== undefined,
    extension: {
      options: pluginOptions.map(({ name, key, hasArg }) => ({ name, key, hasArg })),
      apply: (o: ParsedOption) => {
        byKey.get(o.key)?.apply(flags, o.value);
      },
    },
  });
  // The page asks for the container itself: --web needs no -n, and takes no command.
  if (flags.web && parsed.kind === 'stop' && parsed.stop.stop === 'error' && parsed.stop.message === 'No container name specified') return { kind: 'web', flags };
  if (parsed.kind === 'stop') return parsed;
  if (flags.web) {
    if (parsed.command.length) throw new UsageError('--web takes no command: the terminal page asks for it');
    return { kind: 'web', flags, container: parsed.fields.container };
  }
  const fields: LxcAttachFields = { ...parsed.fields };
  if (parsed.command.length) fields.command = parsed.command;
  // kubectl's "--dry-run=client -o yaml": a log file must be an absolute node path, so a bare
  // yaml/json after -o can only mean the output format.
  const logFile = fields.log?.file;
  if (flags.dryRun && !flags.output && (logFile === 'yaml' || logFile === 'json')) {
    flags.output = logFile;
    delete fields.log!.file;
    if (Object.keys(fields.log!).length === 0) delete fields.log;
  }
  const warnings = parsed.trapped
    .filter((o) => !byKey.has(o.key))
    .map((o) => `warning: "${o.text}" after the command was taken as an lxc-attach option; put the command after -- to pass it on`);
  return { kind: 'attach', fields, flags, warnings };
}
