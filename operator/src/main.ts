#!/usr/bin/env node
// lxc-attach-agent: wires the subcommands; each lives in its own module.
import { Command } from 'commander';

interface Subcommand {
  name: string;
  module: string;
  factory: string;
}

// Each subcommand's module is loaded only when it can run: importing the node agent's modules up
// front would count against the standalone server's restart time, which is measured. The module
// names are data, not import literals, because the agent image leaves standalone mode (and the
// API server it embeds) out: there its module is missing, and only that subcommand says so.
const subcommands: Subcommand[] = [
  { name: 'node', module: './agent/node-command.js', factory: 'nodeCommand' },
  { name: 'attach-api', module: './attach-api/attach-api-command.js', factory: 'attachApiCommand' },
  { name: 'standalone', module: './standalone/standalone-command.js', factory: 'standaloneCommand' },
];

async function load(sub: Subcommand): Promise<Command> {
  try {
    const mod = (await import(sub.module)) as Record<string, () => Command>;
    return mod[sub.factory]!();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    return new Command(sub.name)
      .description('(not part of this installation)')
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        throw new Error(`lxc-attach-agent ${sub.name} is not part of this installation: the agent image ships the node agent only`);
      });
  }
}

const program = new Command('lxc-attach-agent')
  .description('node agent for ContainerAttach objects (lxc-attach for Kubernetes)');
const wanted = process.argv[2];
const chosen = subcommands.find((s) => s.name === wanted);
for (const sub of chosen ? [chosen] : subcommands) program.addCommand(await load(sub));

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`error: ${(err as Error).message}`);
  process.exitCode = 1;
}
