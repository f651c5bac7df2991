// events.k8s.io/v1 Event <-> core/v1 Event (pkg/apis/events/v1/conversion.go).
//
// A real server stores one kind of Event (the internal core type); an events.k8s.io Event is a
// second view of the same objects with renamed fields. core/v1 JSON is, field for field, the
// internal type, so it serves as the shared shape here.
import { CORE_EVENT } from './go-schema/core.js';
import { EVENTS_EVENT } from './go-schema/events.js';
import { normalizeGoJson } from './go-schema/go-json.js';
import type { KubeObject } from './types.js';

/** events.k8s.io/v1 name -> core/v1 name; fields not listed keep their name */
const EVENTS_TO_CORE: Record<string, string> = {
  regarding: 'involvedObject',
  note: 'message',
  reportingController: 'reportingComponent',
  deprecatedSource: 'source',
  deprecatedFirstTimestamp: 'firstTimestamp',
  deprecatedLastTimestamp: 'lastTimestamp',
  deprecatedCount: 'count',
};
const CORE_TO_EVENTS = Object.fromEntries(Object.entries(EVENTS_TO_CORE).map(([k, v]) => [v, k]));

function rename(obj: KubeObject, names: Record<string, string>, apiVersion: string): KubeObject {
  const out: KubeObject = {};
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    out[names[key] ?? key] = value;
  }
  return { kind: 'Event', apiVersion, ...out };
}

/** Both directions end in the target version's Go encoding: e.g. a core Event's always-written
 *  reportingComponent "" is omitempty as events.k8s.io reportingController and disappears. */
export function eventsToCore(obj: KubeObject): KubeObject {
  return normalizeGoJson(CORE_EVENT, rename(obj, EVENTS_TO_CORE, 'v1'));
}

export function coreToEvents(obj: KubeObject): KubeObject {
  return normalizeGoJson(EVENTS_EVENT, rename(obj, CORE_TO_EVENTS, 'events.k8s.io/v1'));
}
