// Standalone mode installs its objects as an upgrade of the chart would: created when missing,
// replaced when this version's differ from the server's copy, left alone otherwise, so that a
// restart writes nothing.
import { isNotFound, type KubeClient } from '../../../common/src/kube/client.js';

type Obj = Record<string, unknown>;

/** `unchanged(current)`: whether the server's copy already is what this version installs */
export async function ensureObject(client: KubeClient, collection: string, object: Obj, unchanged: (current: Obj) => boolean): Promise<void> {
  const metadata = object['metadata'] as { name: string };
  let current: Obj | undefined;
  try {
    current = await client.request<Obj>('GET', `${collection}/${metadata.name}`);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  if (!current) {
    await client.request('POST', collection, { body: object });
  } else if (!unchanged(current)) {
    const resourceVersion = (current['metadata'] as { resourceVersion?: string }).resourceVersion;
    await client.request('PUT', `${collection}/${metadata.name}`, { body: { ...object, metadata: { ...metadata, resourceVersion } } });
  }
}
