/* The command line of lxc-attach 5.0.2 plus the helper-only options. */
#ifndef LXC_ATTACH_HELPER_ARGS_H
#define LXC_ATTACH_HELPER_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include <lxc/attach_options.h>

/* lxc-attach's "not given" value for -u/-g (LXC_INVALID_UID/GID). */
#define ARGS_INVALID_ID 4294967295U

struct string_list {
	char **items; /* NULL-terminated once non-empty */
	size_t len;
	size_t cap;
};

struct attach_args {
	/* lxc_arguments (tools/arguments.h) */
	const char *name;
	char *log_file;     /* "none" (default), NULL (-l without -o) or a path */
	char *log_priority; /* "ERROR" unless -l */
	int quiet;
	const char *rcfile;
	const char *console_log; /* -L */
	const char *lxcpath;     /* -P (at most once) or lxc.lxcpath */
	int lxcpath_cnt;
	unsigned int uid;
	unsigned int gid;
	char **argv; /* COMMAND, NULL-terminated; argc 0 means "run the shell" */
	int argc;

	/* my_parser (tools/lxc_attach.c) */
	unsigned int elevated_privileges;
	signed long new_personality;
	int namespace_flags;
	int remount_sys_proc;
	lxc_attach_env_policy_t env_policy;
	struct string_list extra_env;
	struct string_list extra_keep;
	const char *selinux_context;

	/* helper-only */
	bool pty;
	int control_fd; /* -1: none */
	int status_fd;  /* -1: none */
	long hangup_grace_ms;          /* after a hang-up, how long before the whole tree is killed */
	const char *logfile_beneath;   /* -o must be opened beneath this directory, without symlinks */
	const char *pty_log_beneath;   /* the same for -L */
};

/* --hangup-grace-ms when not given. */
#define ARGS_DEFAULT_HANGUP_GRACE_MS 5000

/* parse_args() result: go on with the attach, or exit with exit_code. */
enum parse_outcome {
	PARSE_CONTINUE,
	PARSE_EXIT,       /* --help, --usage, --version: not an error */
	PARSE_USAGE_ERROR /* exit_code is 1, the message is already printed */
};

enum parse_outcome parse_args(struct attach_args *args, int argc, char **argv, int *exit_code);

static inline bool args_supervised(const struct attach_args *args)
{
	return args->pty || args->control_fd >= 0 || args->status_fd >= 0;
}

#endif
