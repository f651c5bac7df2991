// The attach API assembled: the requestheader configuration watched and applied to the TLS server,
// the server listening. attach-api-command.ts (and standalone wiring) build the options and call
// start()/stop().
import { KubeClient, type RequestSigner } from '../../../common/src/kube/client.js';
import type { AddressInfo } from 'node:net';
import { AttachApiServer } from './attach-api-server.js';
import type { RelayCredential } from './agent-dial.js';
import { ConfigMapRequestHeaderSource } from './auth-config-source.js';

interface AttachApiOptions {
  kubeConfig: RequestSigner;
  tls: { cert: string; key: string };
  relayCredential?: RelayCredential;
  listenHost: string;
  listenPort: number;
  log?(message: string, fields?: Record<string, unknown>): void;
}

function defaultLog(message: string, fields?: Record<string, unknown>): void {
  console.error(JSON.stringify({ time: new Date().toISOString(), msg: message, ...fields }));
}

export class AttachApi {
  readonly #o: AttachApiOptions;
  #source: ConfigMapRequestHeaderSource | undefined;
  #server: AttachApiServer | undefined;

  constructor(o: AttachApiOptions) {
    this.#o = o;
  }

  async start(): Promise<AddressInfo> {
    const log = this.#o.log ?? defaultLog;
    const client = new KubeClient(this.#o.kubeConfig, 'lxc-attach-agent attach-api');
    let server: AttachApiServer | undefined;
    this.#source = new ConfigMapRequestHeaderSource(client, (config) => server?.setClientCa(config.caPem), log);
    await this.#source.start();
    server = new AttachApiServer({ tls: this.#o.tls, client, requestHeaders: this.#source, relayCredential: this.#o.relayCredential, log });
    this.#server = server;
    const address = await server.listen(this.#o.listenHost, this.#o.listenPort);
    log('Attach API started', { port: address.port });
    return address;
  }

  async stop(): Promise<void> {
    await this.#server?.close();
    await this.#source?.stop();
  }
}
