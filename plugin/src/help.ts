// kubectl lxc-attach --help: lxc-attach's own help (rendered from the option table) followed by
// what the plugin adds, with examples in the manner of kubectl's.
import { commonOptionsHelp, optionsHelp } from '../../common/src/options/help-text.js';
import { pluginOptions } from './command-line.js';

export const pluginVersion = '0.1.0';

const examples = `Examples:
  # A shell in container web1 (the user's shell from the container's passwd, else /bin/sh)
  kubectl lxc-attach -n web1

  # One command; options after the command need -- first, as with lxc-attach
  kubectl lxc-attach -n web1 -- ls -l /etc

  # As user 1000 with a clean environment and one variable
  kubectl lxc-attach -n web1 -u 1000 -g 1000 --clear-env -v LANG=C.UTF-8 -- id

  # Pipe data through a command; the exit code is the remote one
  echo data | kubectl lxc-attach -n web1 -- cat

  # Run without a client, print the output, exit with the remote code
  kubectl lxc-attach -n web1 --batch -- systemctl status nginx

  # A terminal in the browser for the namespace (prints the URL; Ctrl-C stops it)
  kubectl lxc-attach --web -n web1

  # A manifest for GitOps: applying it runs the command once
  kubectl lxc-attach -n web1 --dry-run=client -o yaml -- /usr/local/bin/rotate-logs
`;

function pluginOptionsHelp(): string {
  return pluginOptions
    .map((o) => {
      const spelling = `      --${o.name}${o.hasArg === 'required' ? '=VALUE' : o.hasArg === 'optional' ? '[=client]' : ''}`;
      return spelling.length < 34 ? spelling.padEnd(35) + o.help : `${spelling}\n${' '.repeat(35)}${o.help}`;
    })
    .join('\n');
}

export function pluginHelp(): string {
  return `Usage: kubectl lxc-attach --name=NAME [-- COMMAND]

Execute the specified COMMAND - enter the LXC container NAME on a Kubernetes node,
exactly as lxc-attach does on the host, through a ContainerAttach object.

Options :
${optionsHelp()}
Common options :
${commonOptionsHelp()}
kubectl options (long form only; -n, -c, -o and -q keep their lxc-attach meaning):
${pluginOptionsHelp()}

Node paths (-P, -f, -o, -L) are absolute paths on the node and must be allowed by the agent's
policy. The attached command sees PATH (and TERM with a terminal) as its caller environment, not
your workstation's: pass variables explicitly with -v VAR=VALUE.

${examples}`;
}
