// Commands that do not go quietly: they ignore SIGHUP and SIGTERM, fork children (one of them
// double-forked into a session of its own, so the container's init adopts it), and those children
// hold the attach's stdout and stderr. A supervisor that only signals the process group, or kills
// only the processes it forked, leaves them running.
let counter = 0;

/** A number no other test run uses in a `sleep` argument, to find its processes by. */
export function uniqueSleep(): string {
  return `9${process.pid}${String(++counter).padStart(3, '0')}`;
}

/** Prints "ready" once every process of it runs; then never ends on its own. `marker` is the
 *  sleep argument all of its processes carry (uniqueSleep()). */
export function uncooperativeCommand(marker: string): string[] {
  return ['sh', '-c', [
    'trap "" HUP TERM',
    // NB: signals ignored on entry stay ignored in the children and across exec.
    `( setsid sh -c "exec sleep ${marker}" & )`,
    `sleep ${marker} &`,
    'echo ready',
    `while :; do sleep ${marker} & wait; done`,
  ].join('\n')];
}
