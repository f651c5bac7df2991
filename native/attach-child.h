/* The supervised attach child (A): runs lxc-attach's path and reports to the supervisor. */
#ifndef LXC_ATTACH_HELPER_ATTACH_CHILD_H
#define LXC_ATTACH_HELPER_ATTACH_CHILD_H

#include <signal.h>
#include <sys/types.h>

#include "args.h"
#include "process-tree.h"

struct attach_child_setup {
	const struct attach_args *args;
	pid_t supervisor;       /* H's pid, to notice that it died before PR_SET_PDEATHSIG */
	int channel;            /* sending end of the channel (channel.h) */
	int pty_slave;          /* -1 without --pty */
	const sigset_t *sigmask; /* the mask H had before it blocked its signals */
	const struct process_tree *tree; /* process-tree.h: where the cgroup v2 hierarchy is */
	int close_fds[5];        /* H's fds A must not keep, -1 for none */
};

__attribute__((noreturn)) void run_attach_child(const struct attach_child_setup *setup);

#endif
