// Go RE2 patterns (CRD `pattern`, `patternProperties`, CEL matches()) run through JavaScript's
// engine. RE2 is a subset of what the `u`-flag engine accepts except for a few spellings, which are
// translated here; anything RE2 rejects (backreferences, lookaround) is refused, as Go would.

export class GoRegexpError extends Error {
  readonly code = 'GO_REGEXP';
  constructor(message: string) {
    super(message);
    this.name = 'GoRegexpError';
  }
}

const cache = new Map<string, RegExp>();

/** Compile a Go regexp; throws GoRegexpError with Go's "error parsing regexp: ..." wording. */
export function compileGoRegexp(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  if (/\(\?[=!<]/.test(pattern)) {
    throw new GoRegexpError(`error parsing regexp: invalid or unsupported Perl syntax: \`${pattern.match(/\(\?[=!<]?/)?.[0] ?? '(?'}\``);
  }
  if (/\\[1-9]/.test(pattern)) {
    throw new GoRegexpError(`error parsing regexp: invalid escape sequence: \`${pattern.match(/\\[1-9]/)?.[0]}\``);
  }
  let flags = 'u';
  let src = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]) {
      if (f === 'i' || f === 's' || f === 'm') flags += f;
    }
    src = src.slice(lead[0].length);
  }
  src = src
    .replace(/\\z/g, '$(?![\\s\\S])')
    .replace(/\\A/g, '^')
    .replace(/\\Q(.*?)(\\E|$)/g, (_m, lit: string) => lit.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'))
    .replace(/\[\[:(\w+):\]\]/g, (_m, cls: string) => posixClass(cls))
    .replace(/\(\?P</g, '(?<')
    .replace(/\\([pP])([A-Za-z])/g, '\\$1{$2}');
  try {
    const re = new RegExp(src, flags);
    cache.set(pattern, re);
    return re;
  } catch (err) {
    throw new GoRegexpError(`error parsing regexp: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
}

function posixClass(name: string): string {
  const classes: Record<string, string> = {
    alnum: '[0-9A-Za-z]', alpha: '[A-Za-z]', digit: '[0-9]', lower: '[a-z]', upper: '[A-Z]', space: '[\\t\\n\\v\\f\\r ]',
    xdigit: '[0-9A-Fa-f]', word: '[0-9A-Za-z_]', punct: '[!-\\/:-@\\[-`{-~]', blank: '[\\t ]',
  };
  return classes[name] ?? `[[:${name}:]]`;
}

/** regexp.MatchString: unanchored search. */
export function goRegexpMatch(pattern: string, s: string): boolean {
  return compileGoRegexp(pattern).test(s);
}
