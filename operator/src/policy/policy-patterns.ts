// The two kinds of allow-list entries the tenancy rules use: shell-style globs for names (containers,
// nodes) and id ranges for uids and gids.

/** `*` any run of characters, `?` one character; everything else is literal (no classes, no `/`
 *  special case: container and node names have no slashes). */
export function globMatches(glob: string, name: string): boolean {
  const source = glob.replace(/[.+^${}()|[\]\\*?]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`));
  return new RegExp(`^${source}$`, 's').test(name);
}

export function matchesAnyGlob(globs: readonly string[], name: string): boolean {
  return globs.some((g) => globMatches(g, name));
}

/** `*` (every id), `N` or `N-M` (inclusive). */
export const idRangePattern = /^(\*|\d{1,10}(-\d{1,10})?)$/;

export function idAllowed(ranges: readonly string[], id: number): boolean {
  return ranges.some((r) => {
    if (r === '*') return true;
    const [low, high = low] = r.split('-').map(Number);
    return id >= low && id <= high;
  });
}
