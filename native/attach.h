/* The lxc-attach 5.0.2 main() path on liblxc's public API. */
#ifndef LXC_ATTACH_HELPER_ATTACH_H
#define LXC_ATTACH_HELPER_ATTACH_H

#include <sys/types.h>

#include <lxc/attach_options.h>

#include "args.h"

/*
 * Supervised mode only (NULL for plain lxc-attach behaviour): run exec_function instead of
 * lxc_attach_run_command/lxc_attach_run_shell and tell the supervisor why an attach failed and
 * how the attached process ended.
 */
struct attach_hooks {
	lxc_attach_exec_t exec_function;
	void *exec_payload;
	pid_t *attached_pid; /* written by liblxc before its terminal relay starts */
	void (*failed)(void *ctx, const char *reason, int err, const char *message);
	/* The attached process has exited but is not reaped yet: its /proc entry can still be read. */
	void (*exited)(void *ctx, pid_t pid);
	void (*waited)(void *ctx, int wait_status);
	void *ctx;
};

/* Returns lxc-attach's exit code. */
int run_lxc_attach(const struct attach_args *args, const struct attach_hooks *hooks);

/*
 * lxc-attach's exit code for a waitpid() status: the exit status, or 128 + the signal. Without
 * WUNTRACED/WCONTINUED anything else is a ptrace stop, for which callers differ, hence fallback.
 */
int exit_code_of(int wait_status, int fallback);

#endif
