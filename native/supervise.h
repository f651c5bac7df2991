#ifndef LXC_ATTACH_HELPER_SUPERVISE_H
#define LXC_ATTACH_HELPER_SUPERVISE_H

#include "args.h"

/* Runs the supervised attach (--pty/--control-fd/--status-fd); returns lxc-attach's exit code. */
int supervise(const struct attach_args *args);

#endif
