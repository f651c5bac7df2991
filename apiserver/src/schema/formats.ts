// The string formats a CRD schema may use (apiserver/validation/formats.go): any other format is
// stripped before validation, exactly as upstream does, so it is accepted and ignored. The checks
// follow go-openapi/strfmt's validators; where Go's parser is the definition (net/url, net/mail,
// time.ParseDuration) the regular expressions below cover the forms those parsers accept.

const supported = new Set([
  'bsonobjectid', 'uri', 'email', 'hostname', 'ipv4', 'ipv6', 'cidr', 'mac', 'uuid', 'uuid3', 'uuid4', 'uuid5',
  'isbn', 'isbn10', 'isbn13', 'creditcard', 'ssn', 'hexcolor', 'rgbcolor', 'byte', 'password', 'date', 'duration', 'datetime',
]);

/** go-openapi normalizes format names by dropping dashes ("date-time" is "datetime"). */
export function normalizeFormat(format: string | undefined): string {
  if (!format) return '';
  const n = format.replace(/-/g, '');
  return supported.has(n) ? n : '';
}

function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255);
}

function isIPv6(s: string): boolean {
  if (!s.includes(':')) return false;
  let rest = s;
  const groupsAllowed = 8;
  const lastColon = rest.lastIndexOf(':');
  const tail = rest.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return false;
    rest = rest.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = rest.split('::');
  if (dbl.length > 2) return false;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(dbl[0]);
  const back = dbl.length === 2 ? groups(dbl[1]) : [];
  const all = [...head, ...back];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  if (dbl.length === 2) return all.length < groupsAllowed;
  return all.length === groupsAllowed;
}

const uuidRe = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid3Re = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid4Re = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const uuid5Re = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const hostnameRe = /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9\-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u;
const dateRe = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTimeRe = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/;
const durationRe = /^(\d+\s*[A-Za-zµ]+\s*)+$/;
const durationUnits = new Set(['ns', 'us', 'µs', 'ms', 's', 'm', 'h', 'd', 'w',
  'nanosecond', 'nanoseconds', 'nanos', 'nano', 'microsecond', 'microseconds', 'micros', 'micro',
  'millisecond', 'milliseconds', 'millis', 'milli', 'second', 'seconds', 'sec', 'secs',
  'minute', 'minutes', 'min', 'mins', 'hour', 'hours', 'hr', 'hrs', 'day', 'days', 'week', 'weeks']);
const goDurationRe = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^[-+]?0$/;

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1];
}

function isISBN10(s: string): boolean {
  const d = s.replace(/[\s-]/g, '');
  if (!/^\d{9}[\dX]$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (i + 1) * Number(d[i]);
  sum += d[9] === 'X' ? 100 : 10 * Number(d[9]);
  return sum % 11 === 0;
}

function isISBN13(s: string): boolean {
  const d = s.replace(/[\s-]/g, '');
  if (!/^\d{13}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(d[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === Number(d[12]);
}

function isCreditCard(s: string): boolean {
  const d = s.replace(/[^0-9]+/g, '');
  if (!/^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|(222[1-9]|22[3-9][0-9]|2[3-6][0-9]{2}|27[01][0-9]|2720)[0-9]{12}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11}|6[27][0-9]{14})$/.test(d)) return false;
  let sum = 0;
  let shouldDouble = false;
  for (let i = d.length - 1; i >= 0; i--) {
    let n = Number(d[i]);
    if (shouldDouble) { n *= 2; if (n > 9) n -= 9; }
    sum += n;
    shouldDouble = !shouldDouble;
  }
  return sum % 10 === 0;
}

export function formatValidates(format: string, s: string): boolean {
  switch (format) {
    case 'bsonobjectid': return /^[0-9a-fA-F]{24}$/.test(s);
    case 'uri': return /^([a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*|\/[^\s]*)$/.test(s);
    case 'email': return /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/.test(s) || /^.*<[^\s@<>]+@[^\s@<>]+>$/.test(s);
    case 'hostname': return hostnameRe.test(s) && s.length <= 255;
    case 'ipv4': return isIPv4(s);
    case 'ipv6': return isIPv6(s);
    case 'cidr': {
      const i = s.lastIndexOf('/');
      if (i < 0) return false;
      const ip = s.slice(0, i);
      const bits = s.slice(i + 1);
      if (!/^[0-9]{1,3}$/.test(bits)) return false;
      if (isIPv4(ip)) return Number(bits) <= 32;
      return isIPv6(ip) && Number(bits) <= 128;
    }
    case 'mac': return /^([0-9A-Fa-f]{2}[:-]){5}([0-9A-Fa-f]{2})$|^([0-9A-Fa-f]{2}[:-]){7}([0-9A-Fa-f]{2})$|^([0-9A-Fa-f]{4}\.){2}([0-9A-Fa-f]{4})$|^([0-9A-Fa-f]{4}\.){3}([0-9A-Fa-f]{4})$/.test(s);
    case 'uuid': return uuidRe.test(s);
    case 'uuid3': return uuid3Re.test(s);
    case 'uuid4': return uuid4Re.test(s);
    case 'uuid5': return uuid5Re.test(s);
    case 'isbn': return isISBN10(s) || isISBN13(s);
    case 'isbn10': return isISBN10(s);
    case 'isbn13': return isISBN13(s);
    case 'creditcard': return isCreditCard(s);
    case 'ssn': return /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(s);
    case 'hexcolor': return /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(s);
    case 'rgbcolor': return /^rgb\(\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*\)$/.test(s);
    case 'byte': return /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/.test(s);
    case 'password': return true;
    case 'date': {
      const m = dateRe.exec(s);
      return m !== null && validDate(Number(m[1]), Number(m[2]), Number(m[3]));
    }
    case 'datetime': {
      const m = dateTimeRe.exec(s);
      if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
      return Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 60;
    }
    case 'duration': {
      if (goDurationRe.test(s)) return true;
      if (!durationRe.test(s)) return false;
      const units = [...s.matchAll(/(\d+)\s*([A-Za-zµ]+)/g)].map((m) => m[2]);
      return units.every((u) => durationUnits.has(u));
    }
    default: return true;
  }
}
