#!/usr/bin/env node
// lxc-attach-agent: wires the subcommands; each lives in its own module.
import { Command } from 'commander';
import { nodeCommand } from './agent/node-command.js';

const program = new Command('lxc-attach-agent')
  .description('node agent for ContainerAttach objects (lxc-attach for Kubernetes)')
  .addCommand(nodeCommand());

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`error: ${(err as Error).message}`);
  process.exitCode = 1;
}
