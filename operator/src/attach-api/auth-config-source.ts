// The requestheader configuration, kept current: the ConfigMap is listed and watched (an informer on
// kube-system's ConfigMaps), and each change replaces the configuration and the TLS server's client
// CA, as kube's DynamicRequestHeaderController does. Until a valid ConfigMap is seen, every
// authenticated request is refused with the reason.
import { Informer } from '../../../common/src/kube/informer.js';
import type { KubeClient } from '../../../common/src/kube/client.js';
import { authConfigMap, parseRequestHeaderConfig, type RequestHeaderConfig } from './requestheader-config.js';

interface ConfigMap {
  metadata: { name?: string; namespace?: string; resourceVersion?: string };
  data?: Record<string, string>;
}

export interface RequestHeaderSource {
  /** the configuration, or why there is none */
  current(): RequestHeaderConfig | Error;
}

export class ConfigMapRequestHeaderSource implements RequestHeaderSource {
  readonly #informer: Informer<ConfigMap>;
  #lastError: string | undefined;
  #config: RequestHeaderConfig | Error = new Error(`${authConfigMap.namespace}/${authConfigMap.name} has not been read yet`);

  constructor(client: KubeClient, onChange: (config: RequestHeaderConfig) => void, log: (message: string, fields?: Record<string, unknown>) => void) {
    const apply = (cm: ConfigMap | undefined): void => {
      if (cm && cm.metadata.name !== authConfigMap.name) return;
      try {
        const config = parseRequestHeaderConfig(cm?.data);
        this.#config = config;
        onChange(config);
      } catch (err) {
        this.#config = err as Error;
        log('The requestheader configuration is unusable', { err: (err as Error).message });
      }
    };
    this.#informer = new Informer<ConfigMap>(client, `/api/v1/namespaces/${authConfigMap.namespace}/configmaps`, '', {
      onChange: (cm) => apply(cm),
      onDelete: (cm) => {
        if (cm.metadata.name === authConfigMap.name) apply(undefined);
      },
      onError: (err) => {
        this.#lastError = (err as Error)?.message;
        log('Restarting the ConfigMap watch', { err: this.#lastError });
      },
      // By name: extension-apiserver-authentication-reader grants this one ConfigMap only.
    }, `metadata.name=${authConfigMap.name}`);
  }

  current(): RequestHeaderConfig | Error {
    return this.#config;
  }

  /** Resolves after the first list; rejects when there is none within `timeoutMs` (no ConfigMaps
   *  to be read: no permission, or not a kube-apiserver). */
  async start(timeoutMs = 15_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(
        `cannot list ConfigMaps in ${authConfigMap.namespace} within ${timeoutMs / 1000}s to read ${authConfigMap.name}: ${this.#lastError ?? 'no answer'}`,
      )), timeoutMs);
    });
    try {
      await Promise.race([this.#informer.start(), timeout]);
    } catch (err) {
      await this.#informer.stop();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    if (!this.#informer.get(authConfigMap.namespace, authConfigMap.name)) {
      this.#config = new Error(`${authConfigMap.namespace}/${authConfigMap.name} does not exist: the API server is not configured for aggregation`);
    }
  }

  async stop(): Promise<void> {
    await this.#informer.stop();
  }
}
