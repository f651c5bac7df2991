// kubectl's client-side apply annotation and server-side apply by "kubectl"
// (k8s.io/apimachinery pkg/util/managedfields/internal/lastappliedmanager.go,
// lastappliedupdater.go, lastapplied.go): fields a client-side apply last set, still at those
// values, may be taken without a conflict, and the annotation follows the applied configuration so
// a later client-side apply still computes the right patch.
import type { Obj } from '../objects.js';
import { isObj } from '../objects.js';
import { type FieldSet } from './field-set.js';
import { compare, toFieldSet, validateTyped } from './typed-value.js';
import type { TypeNode } from './type-node.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** ValidateAnnotationsSize: all annotations together at most 256 KiB */
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

function lastApplied(o: Obj): string | undefined {
  const a = isObj(o.metadata) && isObj(o.metadata.annotations) ? o.metadata.annotations[LAST_APPLIED] : undefined;
  return typeof a === 'string' && a !== '' ? a : undefined;
}

/** allowedConflictsFromLastApplied: undefined when there is no usable annotation */
export function allowedConflicts(t: TypeNode, apiVersion: string, live: Obj): FieldSet | undefined {
  const text = lastApplied(live);
  if (!text) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
    if (!isObj(last) || last.apiVersion !== apiVersion) return undefined;
    validateTyped(last, t, false);
    validateTyped(live, t, false);
  } catch {
    return undefined;
  }
  const c = compare(last, live, t);
  return toFieldSet(last, t).difference(c.modified).difference(c.added).difference(c.removed);
}

/** Go's encoding/json of a map: keys sorted, HTML characters escaped, a trailing newline */
function goJsonEncode(v: unknown): string {
  const sortKeys = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sortKeys);
    if (isObj(x)) return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sortKeys(x[k])]));
    return x;
  };
  return `${JSON.stringify(sortKeys(v)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

/** lastAppliedUpdater: after an apply by "kubectl", an object that has the annotation gets the
 *  applied configuration (without the annotation itself) as its new value. */
export function updateLastApplied(obj: Obj, config: Obj): void {
  if (!lastApplied(obj)) return;
  const copy = structuredClone(config);
  if (isObj(copy.metadata) && isObj(copy.metadata.annotations)) delete copy.metadata.annotations[LAST_APPLIED];
  const annotations = (obj.metadata as Obj).annotations as Record<string, string>;
  annotations[LAST_APPLIED] = goJsonEncode(copy);
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) size += k.length + v.length;
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) delete annotations[LAST_APPLIED];
}
