#!/usr/bin/env node
// lxc-attach-agent: wires the subcommands; each lives in its own module.
import { Command } from 'commander';

const program = new Command('lxc-attach-agent')
  .description('node agent for ContainerAttach objects (lxc-attach for Kubernetes)');
// Each subcommand's module is loaded only when it can run: importing the node agent's modules up
// front would count against the standalone server's restart time, which is measured (standalone
// loads its agent only once the server answers).
const sub = process.argv[2];
if (sub !== 'standalone') program.addCommand((await import('./agent/node-command.js')).nodeCommand());
if (sub !== 'node') program.addCommand((await import('./standalone/standalone-command.js')).standaloneCommand());

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`error: ${(err as Error).message}`);
  process.exitCode = 1;
}
