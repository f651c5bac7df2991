/* Opening a file the agent's policy allows only beneath one directory (--confine-logfile,
 * --confine-pty-log): no symlink and no ".." can lead the open elsewhere. */
#ifndef LXC_ATTACH_HELPER_CONFINED_OPEN_H
#define LXC_ATTACH_HELPER_CONFINED_OPEN_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * Opens `path`, which must be spelled "<dir>/<rest>", as <rest> beneath `dir` with openat2()
 * RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS. O_CLOEXEC is added. -1 with errno: EXDEV when `path` is not spelled under `dir`, ELOOP for a symlink, ENOSYS
 * before Linux 5.6 (no fallback: refusing is the safe answer). make_parents: missing directories on
 * the way are created (liblxc does that for -o, not for -L).
 */
int open_confined(const char *dir, const char *path, int flags, mode_t mode, bool make_parents);

#endif
