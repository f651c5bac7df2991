// The ContainerAttach writes the agent makes (its list and watch are the Informer's); each call is
// listed in agent/api-permissions.ts for RBAC.
import { nodeLabel, type ContainerAttach, type ContainerAttachStatus } from '../../../common/src/containerattach/types.js';
import { containerAttachPath } from '../../../common/src/containerattach/paths.js';
import type { KubeClient } from '../../../common/src/kube/client.js';

const mergePatch = 'application/merge-patch+json';

export class ContainerAttachApi {
  readonly #client: KubeClient;

  constructor(client: KubeClient) {
    this.#client = client;
  }

  /** Takes an unclaimed object for `node`. The resourceVersion precondition makes exactly one of
   *  several racing agents win; the others get 409. */
  async claim(obj: ContainerAttach, node: string): Promise<ContainerAttach> {
    const { namespace, name, resourceVersion } = obj.metadata;
    return this.#client.request<ContainerAttach>('PATCH', containerAttachPath(namespace, name), {
      contentType: mergePatch,
      body: { metadata: { resourceVersion, labels: { [nodeLabel]: node } } },
    });
  }

  async patchStatus(namespace: string, name: string, status: ContainerAttachStatus): Promise<ContainerAttach> {
    return this.#client.request<ContainerAttach>('PATCH', `${containerAttachPath(namespace, name)}/status`, {
      contentType: mergePatch,
      body: { status },
    });
  }

  /** Deletes the object if it is still the one with `uid` (ttlSecondsAfterFinished). */
  async delete(namespace: string, name: string, uid: string): Promise<void> {
    await this.#client.request('DELETE', containerAttachPath(namespace, name), {
      body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid }, propagationPolicy: 'Background' },
    });
  }
}
