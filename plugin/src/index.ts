// kubectl-lxc_attach (bundled into dist/kubectl-lxc_attach.mjs): `kubectl lxc-attach` finds it on
// PATH. The only place that touches the process: signals go to the running command, which restores
// the terminal and ends the stream.
import { main } from './cli.js';
import { restoreExtraCaCerts } from './extra-ca-certs.js';
import { processStreams } from './io-streams.js';

const signals = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
let interrupted: number | undefined;
restoreExtraCaCerts(process.env);

const code = await main(process.argv.slice(2), processStreams(), (handler) => {
  for (const [name, number] of Object.entries(signals)) {
    process.on(name, () => {
      interrupted ??= number;
      handler();
    });
  }
});
process.exitCode = interrupted !== undefined ? 128 + interrupted : code;
