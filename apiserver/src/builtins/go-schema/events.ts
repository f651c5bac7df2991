// k8s.io/api/events/v1 Event (types.go field order, generated.proto numbers).
import { EVENT_SOURCE, OBJECT_REFERENCE } from './core.js';
import { metadataField } from './meta.js';
import { INT32, MICRO_TIME, STRING, TIME, TYPE_META_FIELDS, opt, req, struct } from './model.js';

const EVENTS_EVENT_SERIES = struct('EventSeries', [
  req('count', 1, INT32),
  req('lastObservedTime', 2, MICRO_TIME),
]);

export const EVENTS_EVENT = struct('Event', [
  ...TYPE_META_FIELDS,
  metadataField(false),
  req('eventTime', 2, MICRO_TIME),
  opt('series', 3, EVENTS_EVENT_SERIES, { pointer: true }),
  opt('reportingController', 4, STRING),
  opt('reportingInstance', 5, STRING),
  opt('action', 6, STRING),
  opt('reason', 7, STRING),
  opt('regarding', 8, OBJECT_REFERENCE),
  opt('related', 9, OBJECT_REFERENCE, { pointer: true }),
  opt('note', 10, STRING),
  opt('type', 11, STRING),
  opt('deprecatedSource', 12, EVENT_SOURCE),
  opt('deprecatedFirstTimestamp', 13, TIME),
  opt('deprecatedLastTimestamp', 14, TIME),
  opt('deprecatedCount', 15, INT32),
]);
