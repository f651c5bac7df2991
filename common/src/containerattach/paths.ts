import { apiVersion, plural } from './types.js';

/** REST path of the ContainerAttach collection (all namespaces when `namespace` is absent) or of one object. */
export function containerAttachPath(namespace?: string, name?: string): string {
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const one = name ? `/${encodeURIComponent(name)}` : '';
  return `/apis/${apiVersion}${ns}/${plural}${one}`;
}
