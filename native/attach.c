/*
 * lxc-attach 5.0.2's main() (tools/lxc_attach.c) after argument parsing: logging, container,
 * rcfile, may_control, attach flags, terminal mode, -L, uid/gid, -c, then attach and wait.
 * Everything that decides confinement (namespaces, cgroup, caps, LSM, seccomp, no_new_privs,
 * personality, environment, ids, cwd, pty) happens inside liblxc's c->attach(), exactly as for
 * lxc-attach.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lxc/lxccontainer.h>

#include "attach.h"
#include "confined-open.h"
#include "tool-log.h"

static void report_failure(const struct attach_hooks *hooks, const char *reason, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void report_failure(const struct attach_hooks *hooks, const char *reason, int err, const char *fmt, ...)
{
	char message[512];
	va_list ap;

	if (!hooks)
		return;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	hooks->failed(hooks->ctx, reason, err, message);
}

static bool stdfd_is_pty(void)
{
	return isatty(STDIN_FILENO) || isatty(STDOUT_FILENO) || isatty(STDERR_FILENO);
}

/* utils.c lxc_wait_for_pid_status (not exported). */
static int wait_for_pid_status(pid_t pid)
{
	int status;
	pid_t ret;

	do {
		ret = waitpid(pid, &status, 0);
	} while ((ret < 0 && errno == EINTR) || (ret >= 0 && ret != pid));
	return ret < 0 ? -1 : status;
}

/* Waits until pid has exited, leaving it to be reaped. */
static int wait_for_exit(pid_t pid)
{
	siginfo_t info;
	int ret;

	do {
		ret = waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT);
	} while (ret < 0 && errno == EINTR);
	return ret;
}

/*
 * --confine-logfile: the helper opens -o itself, beneath the allowed directory, and liblxc (and the
 * helper's own ERROR lines) reopen that very file through /proc/self/fd. The fd stays open for the
 * process's lifetime so the name stays valid; it is close-on-exec.
 */
static const char *confined_log_file(const struct attach_args *args)
{
	static char proc_path[64];
	int fd;

	if (!args->logfile_beneath || (args->log_file && strcmp(args->log_file, "none") == 0))
		return args->log_file;
	if (!args->log_file) {
		/* -l without -o: liblxc would pick among several default files; the agent names one. */
		fprintf(stderr, "lxc-attach-helper: --confine-logfile needs an explicit -o\n");
		errno = EINVAL;
		return NULL;
	}
	fd = open_confined(args->logfile_beneath, args->log_file, O_WRONLY | O_CREAT | O_APPEND | O_NOCTTY, 0660, true);
	if (fd < 0) {
		int err = errno;

		fprintf(stderr, "lxc-attach-helper: Failed to open log file \"%s\" beneath \"%s\": %s\n", args->log_file,
			args->logfile_beneath, strerror(err));
		errno = err;
		return NULL;
	}
	snprintf(proc_path, sizeof(proc_path), "/proc/self/fd/%d", fd);
	return proc_path;
}

static int init_logging(const struct attach_args *args)
{
	const char *file = confined_log_file(args);
	struct lxc_log log = {
		.name = args->name,
		.file = (char *)file,
		.level = args->log_priority,
		.prefix = "lxc-attach",
		.quiet = args->quiet,
		.lxcpath = args->lxcpath,
	};

	if (args->logfile_beneath && !file)
		return -1;
	if (lxc_log_init(&log))
		return -1;
	tool_log_setup(args, file);
	return 0;
}

/* -f: replaces the on-disk config (lxc.environment, lxc.prlimit.*, lxc.proc.*, ...). */
static int load_rcfile(struct lxc_container *c, const char *rcfile)
{
	char *configfile;

	c->clear_config(c);
	if (!c->load_config(c, rcfile)) {
		TOOL_ERROR("Failed to load rcfile");
		return -1;
	}
	configfile = strdup(rcfile);
	if (!configfile) {
		TOOL_ERROR("Out of memory setting new config filename");
		return -1;
	}
	free(c->configfile);
	c->configfile = configfile;
	return 0;
}

/* -e/-s: drop the elevated flags from LXC_ATTACH_DEFAULT; -c cannot go with an elevated LSM. */
static int build_options(const struct attach_args *args, lxc_attach_options_t *options)
{
	unsigned int elevated = args->elevated_privileges;

	if (args->remount_sys_proc)
		options->attach_flags |= LXC_ATTACH_REMOUNT_PROC_SYS;

	if (elevated) {
		if (elevated & LXC_ATTACH_LSM_EXEC) {
			if (args->selinux_context) {
				TOOL_ERROR("Cannot combine elevated LSM privileges while requesting LSM profile");
				return -1;
			}
			elevated |= LXC_ATTACH_LSM;
		}
		options->attach_flags &= ~(int)elevated;
	}

	if (stdfd_is_pty())
		options->attach_flags |= LXC_ATTACH_TERMINAL;

	options->namespaces = args->namespace_flags;
	options->personality = args->new_personality;
	options->env_policy = args->env_policy;
	options->extra_env_vars = args->extra_env.items;
	options->extra_keep_env = args->extra_keep.items;
	return 0;
}

/* -L: created even if the attach then fails; written by liblxc in terminal mode only. */
static int open_pty_log(const char *path, const char *beneath)
{
	int flags = O_CLOEXEC | O_RDWR | O_CREAT | O_APPEND;
	int fd = beneath ? open_confined(beneath, path, flags, 0600, false) : open(path, flags, 0600);

	if (fd < 0)
		TOOL_ERROR("Failed to open log file \"%s\"", path);
	return fd;
}

static void apply_identity(const struct attach_args *args, lxc_attach_options_t *options)
{
	if (args->uid != ARGS_INVALID_ID)
		options->uid = args->uid;
	if (args->gid != ARGS_INVALID_ID)
		options->gid = args->gid;
	if (args->selinux_context) {
		options->attach_flags |= LXC_ATTACH_LSM_LABEL;
		options->lsm_label = (char *)args->selinux_context;
	}
}

/* lxc-attach itself: attach_run_wait for a command, attach(lxc_attach_run_shell) + wait otherwise. */
static int attach_plain(struct lxc_container *c, const struct attach_args *args, lxc_attach_options_t *options)
{
	pid_t pid;
	int ret;

	if (args->argc > 0)
		return c->attach_run_wait(c, options, args->argv[0], (const char **)args->argv);

	ret = c->attach(c, lxc_attach_run_shell, NULL, options, &pid);
	if (ret < 0)
		return ret;
	return wait_for_pid_status(pid);
}

static const char *attach_failure_reason(struct lxc_container *c, bool defined)
{
	if (!defined)
		return "ContainerNotFound";
	if (!c->is_running(c))
		return "ContainerNotRunning";
	return "AttachFailed";
}

static int attach_supervised(struct lxc_container *c, bool defined, lxc_attach_options_t *options,
			     const struct attach_hooks *hooks)
{
	int ret, err;

	ret = c->attach(c, hooks->exec_function, hooks->exec_payload, options, hooks->attached_pid);
	if (ret < 0) {
		/* liblxc returns -errno, or -1 when the failure happened in its transient process. */
		err = ret < -1 ? -ret : 0;
		if (err)
			report_failure(hooks, attach_failure_reason(c, defined), err,
				       "Failed to attach to container \"%s\": %s", c->name, strerror(err));
		else
			report_failure(hooks, attach_failure_reason(c, defined), 0,
				       "Failed to attach to container \"%s\" (see stderr)", c->name);
		return ret;
	}

	ret = wait_for_exit(*hooks->attached_pid);
	if (ret == 0) {
		hooks->exited(hooks->ctx, *hooks->attached_pid);
		ret = wait_for_pid_status(*hooks->attached_pid);
	}
	if (ret < 0) {
		err = errno;
		report_failure(hooks, "AttachFailed", err, "Failed to wait for the attached process: %s",
			       strerror(err));
		return ret;
	}
	hooks->waited(hooks->ctx, ret);
	return ret;
}

int run_lxc_attach(const struct attach_args *args, const struct attach_hooks *hooks)
{
	lxc_attach_options_t options = LXC_ATTACH_OPTIONS_DEFAULT;
	struct lxc_container *c;
	bool defined;
	int ret = -1;
	int wexit = 0;

	if (init_logging(args)) {
		int err = errno;

		report_failure(hooks, "LogInitFailed", err, "Failed to initialise logging: %s", strerror(err));
		return EXIT_FAILURE;
	}

	/* access(..., O_RDONLY) as lxc-attach writes it, which is F_OK. */
	if (geteuid() && access(args->lxcpath, F_OK) < 0) {
		TOOL_ERROR("You lack access to %s", args->lxcpath);
		report_failure(hooks, "PermissionDenied", errno, "You lack access to %s", args->lxcpath);
		return EXIT_FAILURE;
	}

	c = lxc_container_new(args->name, args->lxcpath);
	if (!c) {
		report_failure(hooks, "AttachFailed", errno, "Failed to set up container \"%s\"", args->name);
		return EXIT_FAILURE;
	}
	defined = c->is_defined(c);

	if (args->rcfile && load_rcfile(c, args->rcfile) < 0) {
		report_failure(hooks, "RcfileLoadFailed", 0, "Failed to load rcfile \"%s\"", args->rcfile);
		lxc_container_put(c);
		return EXIT_FAILURE;
	}

	if (!c->may_control(c)) {
		TOOL_ERROR("Insufficent privileges to control %s", c->name);
		report_failure(hooks, "PermissionDenied", 0, "Insufficient privileges to control %s", c->name);
		lxc_container_put(c);
		return EXIT_FAILURE;
	}

	if (build_options(args, &options) < 0) {
		report_failure(hooks, "InvalidArguments", 0,
			       "Cannot combine elevated LSM privileges while requesting LSM profile");
		goto out;
	}

	if (args->console_log) {
		options.log_fd = open_pty_log(args->console_log, args->pty_log_beneath);
		if (options.log_fd < 0) {
			report_failure(hooks, "PtyLogOpenFailed", errno, "Failed to open log file \"%s\": %s",
				       args->console_log, strerror(errno));
			goto out;
		}
	}

	apply_identity(args, &options);

	ret = hooks ? attach_supervised(c, defined, &options, hooks) : attach_plain(c, args, &options);
	if (ret < 0)
		goto out;

	/*
	 * A ptrace stop (the attached process ran PTRACE_TRACEME) is neither: lxc-attach leaves 0.
	 */
	wexit = exit_code_of(ret, 0);

out:
	lxc_container_put(c);
	return ret >= 0 ? wexit : EXIT_FAILURE;
}

int exit_code_of(int wait_status, int fallback)
{
	if (WIFEXITED(wait_status))
		return WEXITSTATUS(wait_status);
	if (WIFSIGNALED(wait_status))
		return 128 + WTERMSIG(wait_status);
	return fallback;
}
