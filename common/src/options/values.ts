// Value parsers with lxc-attach 5.0.2's exact acceptance rules (liblxc's confile.c, namespace.c,
// string_utils.c). Each returns undefined for a value lxc-attach refuses at parse time.

export const privileges = ['CGROUP', 'CAP', 'LSM'] as const;
export type Privilege = (typeof privileges)[number];

/** The spec's namespace names, in lxc-attach's help order (MOUNT, PID, UTSNAME, IPC, USER, NETWORK)
 *  followed by the two that liblxc also accepts. */
export const namespaceNames = ['MOUNT', 'PID', 'UTSNAME', 'IPC', 'USER', 'NETWORK', 'CGROUP', 'TIME'] as const;
export type NamespaceName = (typeof namespaceNames)[number];

/** liblxc's proc names for each namespace (ns_info[] in namespace.c). */
const procNames: Record<string, NamespaceName> = {
  user: 'USER',
  mnt: 'MOUNT',
  pid: 'PID',
  uts: 'UTSNAME',
  ipc: 'IPC',
  net: 'NETWORK',
  cgroup: 'CGROUP',
  time: 'TIME',
};

/** lxc_config_parse_arch's table: exact, case-sensitive names. */
const archPersonalities: Readonly<Record<string, 'linux32' | 'linux'>> = {
  arm: 'linux32', armel: 'linux32', armhf: 'linux32', armv7l: 'linux32', athlon: 'linux32',
  i386: 'linux32', i486: 'linux32', i586: 'linux32', i686: 'linux32', linux32: 'linux32',
  mips: 'linux32', mipsel: 'linux32', ppc: 'linux32', powerpc: 'linux32', x86: 'linux32',
  aarch64: 'linux', amd64: 'linux', arm64: 'linux', linux64: 'linux', mips64: 'linux',
  mips64el: 'linux', ppc64: 'linux', ppc64el: 'linux', ppc64le: 'linux', powerpc64: 'linux',
  riscv64: 'linux', s390x: 'linux', x86_64: 'linux',
};
export const archNames = Object.keys(archPersonalities);

/** strtok_r-style split: empty tokens are skipped. */
function parts(list: string, sep: string): string[] {
  return list.split(sep).filter((t) => t.length > 0);
}

/** lxc_fill_elevated_privileges: no value means all; otherwise "|"-separated, case-sensitive. */
export function parseElevatedPrivileges(value: string | undefined): Privilege[] | undefined {
  if (value === undefined) return [...privileges];
  const wanted = new Set<Privilege>();
  for (const token of parts(value, '|')) {
    if (!(privileges as readonly string[]).includes(token)) return undefined;
    wanted.add(token as Privilege);
  }
  return privileges.filter((p) => wanted.has(p));
}

/** lxc_namespace_2_std_identifiers (a case-sensitive substring rewrite of MOUNT, NETWORK, UTSNAME)
 *  then lxc_fill_namespace_flags (case-insensitive match against the proc names). */
export function parseNamespaces(value: string): NamespaceName[] | undefined {
  let rewritten = value;
  for (const [from, to] of [['MOUNT', 'MNT'], ['NETWORK', 'NET'], ['UTSNAME', 'UTS']]) {
    while (rewritten.includes(from)) rewritten = rewritten.replace(from, to);
  }
  const wanted = new Set<NamespaceName>();
  for (const token of parts(rewritten, '|')) {
    const name = procNames[token.toLowerCase()];
    if (!name) return undefined;
    wanted.add(name);
  }
  return namespaceNames.filter((n) => wanted.has(n));
}

export const invalidId = 4294967295;

/** lxc_safe_uint: leading whitespace skipped, no '-', then strtoul with base 0 (so "0x3e8" and
 *  "01750" are 1000, as the real lxc-attach accepts), nothing after the number, at most 2^32-1.
 *  Returns undefined when refused. */
export function parseSafeUint(value: string): number | undefined {
  const s = value.replace(/^[ \t\n\v\f\r]+/, '');
  const m = /^\+?(?:0[xX]([0-9a-fA-F]+)|(0[0-7]*)|([1-9][0-9]*))$/.exec(s);
  if (!m) return undefined;
  const n = m[1] !== undefined ? BigInt('0x' + m[1]) : m[2] !== undefined ? BigInt('0o' + (m[2].slice(1) || '0')) : BigInt(m[3]);
  if (n > BigInt(invalidId)) return undefined;
  return Number(n);
}

/** remove_trailing_slashes: strips every trailing '/' and newline, so "/" becomes "". */
export function removeTrailingSlashes(path: string): string {
  return path.replace(/[/\n]+$/, '');
}
