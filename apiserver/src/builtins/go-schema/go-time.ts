// metav1.Time and metav1.MicroTime as Go parses and prints them.
//
// Time is RFC 3339 with whole seconds ("2006-01-02T15:04:05Z07:00"); MicroTime has exactly six
// fractional digits ("2006-01-02T15:04:05.000000Z07:00"): a Lease renewTime without them is a
// decode error on a real server. Values are microseconds since the epoch (UTC) as bigint, so the
// sixth digit survives.

export const RFC3339 = '2006-01-02T15:04:05Z07:00';
const RFC3339_MICRO = '2006-01-02T15:04:05.000000Z07:00';

/** Go's time.quote: non-printable and non-ASCII bytes become \xNN */
function goTimeQuote(s: string): string {
  let out = '"';
  for (const byte of Buffer.from(s, 'utf8')) {
    if (byte >= 0x80 || byte < 0x20) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    else if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else out += String.fromCharCode(byte);
  }
  return `${out}"`;
}

export class GoTimeParseError extends Error {
  readonly code = 'GO_TIME_PARSE';
}

function cannotParse(value: string, layout: string, valueElem: string, layoutElem: string): GoTimeParseError {
  return new GoTimeParseError(`parsing time ${goTimeQuote(value)} as ${goTimeQuote(layout)}: cannot parse ${goTimeQuote(valueElem)} as ${goTimeQuote(layoutElem)}`);
}

function outOfRange(value: string, what: string): GoTimeParseError {
  return new GoTimeParseError(`parsing time ${goTimeQuote(value)}: ${what} out of range`);
}

const isDigit = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

/** Go's getnum: one digit, or two when the second is a digit (fixed demands two) */
function getnum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigit(s, 0)) return undefined;
  if (!isDigit(s, 1)) return fixed ? undefined : [Number(s[0]), s.slice(1)];
  return [Number(s.slice(0, 2)), s.slice(2)];
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** Parses like Go's time.Parse with RFC3339 (micro=false) or RFC3339Micro (micro=true). */
export function parseGoTime(value: string, micro: boolean): bigint {
  const layout = micro ? RFC3339_MICRO : RFC3339;
  let rest = value;
  const literal = (lit: string): void => {
    if (!rest.startsWith(lit)) throw cannotParse(value, layout, rest, lit);
    rest = rest.slice(lit.length);
  };
  const number = (elem: string, fixed: boolean): number => {
    const got = getnum(rest, fixed);
    if (!got) throw cannotParse(value, layout, rest, elem);
    rest = got[1];
    return got[0];
  };

  if (rest.length < 4 || !isDigit(rest, 0) || !/^\d{4}$/.test(rest.slice(0, 4))) throw cannotParse(value, layout, rest, '2006');
  const year = Number(rest.slice(0, 4));
  rest = rest.slice(4);
  literal('-');
  const month = number('01', true);
  if (month < 1 || month > 12) throw outOfRange(value, 'month');
  literal('-');
  const day = number('02', true);
  literal('T');
  const hour = number('15', false);
  if (hour >= 24) throw outOfRange(value, 'hour');
  literal(':');
  const minute = number('04', true);
  if (minute >= 60) throw outOfRange(value, 'minute');
  literal(':');
  const second = number('05', true);
  if (second >= 60) throw outOfRange(value, 'second');

  let micros = 0n;
  if (micro) {
    if (rest.length < 7 || (rest[0] !== '.' && rest[0] !== ',') || !/^\d{6}$/.test(rest.slice(1, 7))) {
      throw cannotParse(value, layout, rest, '.000000');
    }
    micros = BigInt(rest.slice(1, 7));
    rest = rest.slice(7);
  } else if (rest.length >= 2 && (rest[0] === '.' || rest[0] === ',') && isDigit(rest, 1)) {
    // RFC3339 has no fraction in the layout, but Go accepts (and Time then drops) one.
    let n = 2;
    while (isDigit(rest, n)) n++;
    rest = rest.slice(n);
  }

  let offsetSeconds = 0;
  if (rest.startsWith('Z')) {
    rest = rest.slice(1);
  } else {
    if (rest.length < 6 || rest[3] !== ':' || (rest[0] !== '+' && rest[0] !== '-')) throw cannotParse(value, layout, rest, 'Z07:00');
    const hh = getnum(rest.slice(1, 3), true);
    const mm = getnum(rest.slice(4, 6), true);
    if (!hh || !mm) throw cannotParse(value, layout, rest, 'Z07:00');
    if (hh[0] > 24) throw outOfRange(value, 'time zone offset hour');
    if (mm[0] > 60) throw outOfRange(value, 'time zone offset minute');
    offsetSeconds = (hh[0] * 3600 + mm[0] * 60) * (rest[0] === '-' ? -1 : 1);
    rest = rest.slice(6);
  }
  if (rest.length > 0) throw new GoTimeParseError(`parsing time ${goTimeQuote(value)}: extra text: ${goTimeQuote(rest)}`);
  if (day < 1 || day > daysIn(month, year)) throw outOfRange(value, 'day');

  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const seconds = BigInt(date.getTime() / 1000 - offsetSeconds);
  return seconds * 1_000_000n + micros;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Go's t.UTC().Format(RFC3339) (micro=false, fraction dropped) or Format(RFC3339Micro) */
export function formatGoTime(epochMicros: bigint, micro: boolean): string {
  const micros = ((epochMicros % 1_000_000n) + 1_000_000n) % 1_000_000n;
  const seconds = (epochMicros - micros) / 1_000_000n;
  const date = new Date(Number(seconds) * 1000);
  const base = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}`;
  return micro ? `${base}.${pad(Number(micros), 6)}Z` : `${base}Z`;
}
