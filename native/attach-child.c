/*
 * The attach child A of a supervised helper (see supervise.c for the process tree). A runs
 * exactly lxc-attach's path (attach.c) with two differences:
 *  - the exec function is supervised_exec(), which runs inside the attached process after all of
 *    liblxc's setup: it tells H "attached" (H reads the host pid from SCM_CREDENTIALS), then calls
 *    liblxc's own lxc_attach_run_command/lxc_attach_run_shell, and reports a failed exec;
 *  - attach failures and the wait status go to H over the channel.
 * With --pty, A's stdio is the slave of H's pty and its controlling terminal, so liblxc's terminal
 * mode opens it as /dev/tty and relays it to the container's pty as lxc-attach does on a real
 * terminal; A's stderr *stream* stays H's stderr, so liblxc's messages do not enter the pty.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <lxc/attach_options.h>

#include "attach-child.h"
#include "attach.h"
#include "channel.h"
#include "process-tree.h"
#include "util.h"

/* Only async-signal-safe calls use these in on_supervisor_gone(): the path is built in advance. */
static char children_path[64];
static const struct process_tree *tree;

struct exec_payload {
	lxc_attach_command_t command; /* program NULL: the user's shell */
	int channel;
};

static pid_t attach_child_pid;
static pid_t supervisor_pid;
/* The caller's SIGHUP disposition, which the attached process gets back (as with lxc-attach). */
static struct sigaction caller_sighup;
/* liblxc writes the attached pid here before it starts relaying the terminal. */
static volatile pid_t attached_pid = -1;

static void send_message(int channel, int kind, int err, const char *reason, const char *message)
{
	struct channel_msg msg;

	memset(&msg, 0, sizeof(msg));
	msg.kind = kind;
	msg.err = err;
	if (reason)
		snprintf(msg.reason, sizeof(msg.reason), "%s", reason);
	if (message)
		snprintf(msg.message, sizeof(msg.message), "%s", message);
	/* NB: if H is gone there is nobody to tell; PR_SET_PDEATHSIG ends this process tree. */
	(void)channel_send(channel, &msg);
}

/* Runs in the attached process: namespaces, cgroup, caps, LSM, seccomp and ids are already set. */
static int supervised_exec(void *data)
{
	struct exec_payload *payload = data;
	struct channel_msg msg;
	char message[256];
	int ret, err;

	if (sigaction(SIGHUP, &caller_sighup, NULL) < 0)
		return EXIT_FAILURE;

	/* Without a pty, give the process its own session so signals and hangups reach its children. */
	if (getsid(0) != getpid() && setsid() < 0)
		return EXIT_FAILURE;

	/* If A dies (because H died), the attached process must not live on. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		return EXIT_FAILURE;

	/*
	 * Nothing may run before H knows the pid and has set the pty up for output: wait for it.
	 * If H is gone, do not run anything unsupervised.
	 */
	memset(&msg, 0, sizeof(msg));
	msg.kind = CHANNEL_ATTACHED;
	if (channel_send(payload->channel, &msg) < 0)
		return EXIT_FAILURE;
	if (channel_wait(payload->channel, &msg) < 0 || msg.kind != CHANNEL_PROCEED)
		return EXIT_FAILURE;

	if (payload->command.program)
		ret = lxc_attach_run_command(&payload->command);
	else
		ret = lxc_attach_run_shell(NULL);
	err = errno; /* liblxc's logging preserves errno */

	if (payload->command.program)
		snprintf(message, sizeof(message), "Failed to exec \"%s\": %s", payload->command.program, strerror(err));
	else
		snprintf(message, sizeof(message), "Failed to execute shell: %s", strerror(err));
	send_message(payload->channel, CHANNEL_EXEC_FAILED, err, NULL, message);
	return ret;
}

static void report_failed(void *ctx, const char *reason, int err, const char *message)
{
	send_message(*(int *)ctx, CHANNEL_ATTACH_FAILED, err, reason, message);
}

/*
 * The attached process has exited and is not reaped yet, so its cgroup can still be read. If H died
 * meanwhile, end what H cannot: the attach's cgroup, or the one H made but had not moved the
 * process into. H's death shows first as its end of the channel closing (the attached process ends
 * on that when it waits for "proceed"), and only later in getppid() and as SIGHUP, possibly after A
 * had reaped the process and exited: hence the channel.
 */
static void release_if_supervisor_gone(void *ctx, pid_t pid)
{
	if (channel_peer_gone(*(int *)ctx) || getppid() != supervisor_pid)
		tree_kill_cgroup_of(tree, pid);
}

static void report_waited(void *ctx, int wait_status)
{
	struct channel_msg msg;

	memset(&msg, 0, sizeof(msg));
	msg.kind = CHANNEL_WAIT_STATUS;
	msg.wait_status = wait_status;
	(void)channel_send(*(int *)ctx, &msg); /* NB: see send_message() */
}

/*
 * The attached process is A's direct child, but liblxc may hand its pid to A only after the
 * process already runs the command: so the hang-up goes to the process group of every child A
 * has (/proc/<A>/task/<A>/children; the path is built in advance, only async-signal-safe calls
 * here), and to the pid liblxc reported, if any.
 */
static void hang_up_children(void)
{
	char buf[256];
	ssize_t n;
	pid_t pid = 0;
	int fd = open(children_path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] >= '0' && buf[i] <= '9') {
			pid = pid * 10 + (buf[i] - '0');
		} else if (pid > 0) {
			tree_kill_cgroup_of(tree, pid);
			kill(-pid, SIGHUP);
			pid = 0;
		}
	}
	if (pid > 0) {
		tree_kill_cgroup_of(tree, pid);
		kill(-pid, SIGHUP);
	}
}

/*
 * SIGHUP reaches A when H dies (PR_SET_PDEATHSIG) or when H's pty master closes. Nobody is left to
 * wait out a grace period: kill the attach's cgroup (if H gave it one), hang up the attached process
 * group, then go; the attached process itself gets SIGKILL from its own PR_SET_PDEATHSIG. liblxc's transient and attached processes inherit this handler until exec.
 */
static void on_supervisor_gone(int signo)
{
	pid_t pid = attached_pid;

	if (getpid() != attach_child_pid) {
		signal(signo, SIG_DFL);
		raise(signo);
		return;
	}
	hang_up_children();
	if (pid > 0) {
		tree_kill_cgroup_of(tree, pid);
		kill(-pid, SIGHUP);
	}
	_exit(EXIT_FAILURE);
}

static int watch_supervisor(pid_t supervisor)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_supervisor_gone;
	if (sigaction(SIGHUP, &sa, &caller_sighup) < 0)
		return -1;
	if (prctl(PR_SET_PDEATHSIG, SIGHUP) < 0)
		return -1;
	return getppid() == supervisor ? 0 : -1;
}

/* stdio := the pty slave, as controlling terminal; the stderr stream keeps H's stderr. */
static int enter_pty(int slave)
{
	int saved_stderr;
	FILE *diagnostics;

	saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (saved_stderr < 0)
		return -1;
	diagnostics = fdopen(saved_stderr, "w");
	if (!diagnostics)
		return -1;
	setvbuf(diagnostics, NULL, _IONBF, 0);

	if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
		return -1;
	for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
		if (dup2(slave, fd) < 0)
			return -1;
	if (slave > STDERR_FILENO)
		close(slave);

	stderr = diagnostics;
	return 0;
}

void run_attach_child(const struct attach_child_setup *setup)
{
	static struct exec_payload payload;
	static int channel;
	struct attach_hooks hooks;
	char message[128];

	attach_child_pid = getpid();
	supervisor_pid = setup->supervisor;
	snprintf(children_path, sizeof(children_path), "/proc/%d/task/%d/children", (int)attach_child_pid,
		 (int)attach_child_pid);
	channel = setup->channel;
	tree = setup->tree;

	if (watch_supervisor(setup->supervisor) < 0)
		_exit(EXIT_FAILURE);
	for (size_t i = 0; i < ARRAY_SIZE(setup->close_fds); i++)
		if (setup->close_fds[i] >= 0)
			close(setup->close_fds[i]);
	if (sigprocmask(SIG_SETMASK, setup->sigmask, NULL) < 0)
		_exit(EXIT_FAILURE);

	if (setup->pty_slave >= 0 && enter_pty(setup->pty_slave) < 0) {
		snprintf(message, sizeof(message), "Failed to make the pty the controlling terminal: %s",
			 strerror(errno));
		send_message(channel, CHANNEL_ATTACH_FAILED, errno, "SetupFailed", message);
		_exit(EXIT_FAILURE);
	}

	payload.channel = channel;
	if (setup->args->argc > 0) {
		payload.command.program = setup->args->argv[0];
		payload.command.argv = setup->args->argv;
	}

	hooks = (struct attach_hooks){
		.exec_function = supervised_exec,
		.exec_payload = &payload,
		.attached_pid = (pid_t *)&attached_pid,
		.failed = report_failed,
		.exited = release_if_supervisor_gone,
		.waited = report_waited,
		.ctx = &channel,
	};
	exit(run_lxc_attach(setup->args, &hooks));
}
