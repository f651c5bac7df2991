/*
 * lxc-attach-helper: lxc-attach 5.0.2 on liblxc's public API, plus a supervisor mode for the node
 * agent (--pty, --control-fd, --status-fd). See README.md for argv, fds, exit codes and formats.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "args.h"
#include "attach.h"
#include "fds.h"
#include "rexec.h"
#include "status.h"
#include "supervise.h"

int main(int argc, char *argv[])
{
	struct attach_args args;
	enum parse_outcome outcome;
	int exit_code = EXIT_FAILURE;

	if (rexec_from_memfd(argv) < 0) {
		fprintf(stderr, "Failed to re-execute lxc-attach-helper via memory file descriptor\n");
		return EXIT_FAILURE;
	}

	/* lxc-attach's lxc_caps_init() handles a setuid-root install; the helper refuses one. */
	if (getuid() != geteuid() || getgid() != getegid()) {
		fprintf(stderr, "lxc-attach-helper: refusing to run setuid or setgid\n");
		return EXIT_FAILURE;
	}

	if (mark_inherited_fds_cloexec() < 0) {
		perror("lxc-attach-helper: marking inherited file descriptors close-on-exec");
		return EXIT_FAILURE;
	}

	outcome = parse_args(&args, argc, argv, &exit_code);
	if (outcome == PARSE_USAGE_ERROR) {
		status_attach_failed(args.status_fd, "InvalidArguments", 0, "Invalid command line (see stderr)");
		status_exited(args.status_fd, exit_code, 0);
	} else if (outcome == PARSE_EXIT) {
		status_exited(args.status_fd, exit_code, 0);
	}
	if (outcome != PARSE_CONTINUE)
		return exit_code;

	if (args_supervised(&args))
		return supervise(&args);
	return run_lxc_attach(&args, NULL);
}
