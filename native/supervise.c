/*
 * The supervisor H, used when --pty, --control-fd or --status-fd is given.
 *
 *   caller (agent)
 *     └─ H  lxc-attach-helper: control fd, status fd, pty master <-> stdin/stdout, signals
 *          └─ A  attach child: lxc-attach's path (attach-child.c); with --pty its stdio and
 *               │   controlling terminal are H's pty slave, which liblxc relays like a real one
 *               └─ attached process (in the container; direct child of A, as with lxc-attach)
 *
 * H learns the attached process's host pid from the "attached" message, and only then relays
 * stdin into the pty: liblxc flushes pending input (TCSAFLUSH) when it puts the terminal into raw
 * mode, which it has done by then. Hang-ups (stdin EOF with --pty, control fd EOF, SIGTERM/SIGHUP,
 * stdout gone) become SIGHUP to the attached process group, and --hangup-grace-ms later SIGKILL to
 * the attach's whole process tree (process-tree.c). H keeps relaying output until A has exited, the
 * pty is drained and the tree has ended, then writes "exited" and exits with lxc-attach's code.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "attach-child.h"
#include "attach.h"
#include "caller-tty.h"
#include "channel.h"
#include "control.h"
#include "process-tree.h"
#include "pty-relay.h"
#include "status.h"
#include "supervise.h"

#define MAX_PENDING_SIGNALS 8
/* After SIGKILL, how long to wait for the kernel to empty the attach's cgroup. */
#define TREE_EXIT_WAIT_MS 5000
/* How often to look whether the tree has ended once nothing else wakes H up. */
#define TREE_POLL_MS 20

struct supervisor {
	int status_fd;
	int control_fd; /* -1 once closed */
	int channel;    /* -1 once every sender is gone */
	int sigfd;
	int master;     /* -1 without --pty or once hung up (EIO) */
	pid_t child;    /* A */
	int child_status;
	bool child_reaped;

	pid_t attached_pid; /* host pid; 0 until "attached" */
	bool attach_failed;
	bool wait_status_seen;
	int wait_status;

	bool hangup_wanted;
	bool hangup_sent;
	long long kill_at;   /* monotonic ms: the tree gets SIGKILL then; 0 before a hang-up */
	long long killed_at; /* 0 until the tree got SIGKILL */
	long grace_ms;
	struct process_tree tree;
	int terminations;
	int pending_signals[MAX_PENDING_SIGNALS];
	size_t pending_count;

	struct caller_tty caller_tty;
	bool stdin_open;
	bool stdin_eof_hangup; /* hang up once the input already read reached the pty */
	bool stdout_ok;
	struct control_reader control;
	struct relay_buffer to_master;
	struct relay_buffer to_stdout;
};

static void warn_errno(const char *what)
{
	fprintf(stderr, "lxc-attach-helper: %s: %s\n", what, strerror(errno));
}

static void signal_group(struct supervisor *s, int signo)
{
	/* NB: ESRCH means the whole group is already gone, which is what a signal would achieve. */
	if (kill(-s->attached_pid, signo) < 0 && errno != ESRCH)
		warn_errno("kill");
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* SIGKILL to everything the attach started: its cgroup, or without one its process group. */
static void kill_tree(struct supervisor *s)
{
	if (s->killed_at)
		return;
	s->killed_at = now_ms();
	if (tree_adopted(&s->tree))
		tree_kill(&s->tree);
	else if (s->attached_pid > 0 && !s->wait_status_seen)
		signal_group(s, SIGKILL);
}

static void hang_up(struct supervisor *s)
{
	if (!s->kill_at)
		s->kill_at = now_ms() + s->grace_ms;
	s->hangup_wanted = true;
	s->stdin_open = false;
	if (s->attached_pid > 0 && !s->hangup_sent && !s->wait_status_seen) {
		s->hangup_sent = true;
		signal_group(s, SIGHUP);
	}
}

static void send_signal(struct supervisor *s, int signo)
{
	if (s->wait_status_seen)
		return; /* the process group leader was reaped: its pid may be reused */
	if (s->attached_pid > 0) {
		signal_group(s, signo);
		return;
	}
	if (s->pending_count < MAX_PENDING_SIGNALS)
		s->pending_signals[s->pending_count++] = signo;
	else
		fprintf(stderr, "lxc-attach-helper: control: too many signals before the attach, dropping %d\n", signo);
}

static void on_control_command(void *ctx, const struct control_command *cmd)
{
	struct supervisor *s = ctx;

	if (cmd->kind == CONTROL_SIGNAL) {
		send_signal(s, cmd->signo);
		return;
	}
	if (s->master < 0) {
		fprintf(stderr, "lxc-attach-helper: control: ignoring resize: no --pty\n");
		return;
	}
	/* The kernel sends SIGWINCH to A, and liblxc copies the size to the container's pty. */
	struct winsize ws = { .ws_row = cmd->rows, .ws_col = cmd->cols };
	if (ioctl(s->master, TIOCSWINSZ, &ws) < 0)
		warn_errno("resize");
}

/*
 * liblxc set the slave up like a user's terminal (raw input, but OPOST|ONLCR output), which would
 * turn the container pty's "\r\n" into "\r\r\n". The helper's stdout is not a terminal: pass the
 * container's bytes through unchanged. liblxc configured it before forking, so this comes after.
 */
static void pass_output_through(struct supervisor *s)
{
	struct termios tios;

	if (tcgetattr(s->master, &tios) < 0) {
		warn_errno("tcgetattr");
		return;
	}
	tios.c_oflag &= ~(tcflag_t)OPOST;
	if (tcsetattr(s->master, TCSANOW, &tios) < 0)
		warn_errno("tcsetattr");
}

static void on_attached(struct supervisor *s, pid_t pid)
{
	struct channel_msg proceed = { .kind = CHANNEL_PROCEED };

	/*
	 * A failed (liblxc's setup of the attached process, e.g. an lxc.proc.* key) or is gone: nobody
	 * would report how the process ends, nor could H still release a cgroup made for it now (this
	 * may be H's last read, after A was reaped). Without "proceed" the process runs nothing.
	 */
	if (s->attach_failed || s->child_reaped) {
		if (pid > 0)
			status_attached(s->status_fd, pid);
		return;
	}
	if (s->master >= 0)
		pass_output_through(s);
	/* The kernel translates the sender's pid for H; 0 would mean it could not. */
	if (pid > 0) {
		s->attached_pid = pid;
		/* NB: before "proceed": nothing of the command runs outside its cgroup. */
		if (tree_adopt(&s->tree, pid) < 0 && errno != ENOENT)
			fprintf(stderr, "lxc-attach-helper: no cgroup of its own for the attach (%s); its process group stands for its tree\n",
				strerror(errno));
		status_attached(s->status_fd, pid);
	} else {
		fprintf(stderr, "lxc-attach-helper: the attached process has no pid in the helper's pid namespace\n");
	}
	/* NB: if the process is already gone, A reports how it ended. */
	if (channel_send(s->channel, &proceed) < 0)
		warn_errno("channel");
	if (pid <= 0)
		return;
	for (size_t i = 0; i < s->pending_count; i++)
		signal_group(s, s->pending_signals[i]);
	s->pending_count = 0;
	if (s->hangup_wanted)
		hang_up(s);
}

static void read_channel(struct supervisor *s)
{
	struct channel_msg msg;
	pid_t sender;
	int ret;

	while ((ret = channel_receive(s->channel, &msg, &sender)) == 1) {
		switch (msg.kind) {
		case CHANNEL_ATTACHED:
			on_attached(s, sender);
			break;
		case CHANNEL_EXEC_FAILED:
			status_exec_failed(s->status_fd, msg.err, msg.message);
			break;
		case CHANNEL_ATTACH_FAILED:
			s->attach_failed = true;
			status_attach_failed(s->status_fd, msg.reason, msg.err, msg.message);
			break;
		case CHANNEL_WAIT_STATUS:
			s->wait_status_seen = true;
			s->wait_status = msg.wait_status;
			break;
		}
	}
	if (ret != 0) {
		if (ret < 0)
			warn_errno("channel");
		close(s->channel);
		s->channel = -1;
	}
}

static void reap_child(struct supervisor *s)
{
	int status;
	pid_t pid;

	do {
		pid = waitpid(s->child, &status, WNOHANG);
	} while (pid < 0 && errno == EINTR);
	if (pid != s->child)
		return;
	s->child_reaped = true;
	s->child_status = status;
	s->stdin_open = false;
	/*
	 * A killed before it could tell how the attached process ended: the attach is broken, and what
	 * the command started is killed rather than left to the container. (A that exits with a failure
	 * leaves the command running, as lxc-attach does.) A's last messages are queued before its
	 * exit: read them first.
	 */
	if (s->channel >= 0)
		read_channel(s);
	if (WIFSIGNALED(status) && s->attached_pid > 0 && !s->wait_status_seen) {
		s->hangup_wanted = true;
		kill_tree(s);
	}
}

static void read_signals(struct supervisor *s)
{
	struct signalfd_siginfo info;

	while (read(s->sigfd, &info, sizeof(info)) == (ssize_t)sizeof(info)) {
		switch (info.ssi_signo) {
		case SIGCHLD:
			reap_child(s);
			break;
		case SIGTERM:
		case SIGHUP:
			/* A second request escalates, for processes that ignore SIGHUP. */
			if (++s->terminations > 1)
				kill_tree(s);
			else
				hang_up(s);
			break;
		case SIGWINCH:
			if (s->master >= 0)
				caller_tty_resized(&s->caller_tty, s->master);
			break;
		default:
			break; /* SIGINT, SIGQUIT, SIGPIPE: ignored, as lxc-attach ignores ^C and ^\ */
		}
	}
}

static void read_control(struct supervisor *s)
{
	int ret = control_read(s->control_fd, &s->control, on_control_command, s);

	if (ret == 0)
		return;
	if (ret < 0)
		warn_errno("control fd");
	close(s->control_fd);
	s->control_fd = -1;
	hang_up(s);
}

static void pump_stdin(struct supervisor *s)
{
	long n = relay_fill(STDIN_FILENO, &s->to_master);

	if (n > 0 || (n < 0 && errno == EAGAIN))
		return;
	if (n < 0)
		warn_errno("stdin");
	s->stdin_open = false;
	s->stdin_eof_hangup = true;
}

static void pump_master(struct supervisor *s, short revents)
{
	if (revents & POLLOUT) {
		if (relay_drain(s->master, &s->to_master) < 0) {
			s->to_master.start = s->to_master.end = 0;
		}
	}
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		long n = relay_fill(s->master, &s->to_stdout);

		/* EIO: every slave fd is closed, i.e. A has gone and the output is drained. */
		if (n == 0 || (n < 0 && errno != EAGAIN)) {
			close(s->master);
			s->master = -1;
			s->to_master.start = s->to_master.end = 0; /* nobody can read it any more */
		}
	}
	if (!s->stdout_ok)
		s->to_stdout.start = s->to_stdout.end = 0;
}

static void pump_stdout(struct supervisor *s)
{
	if (relay_drain(STDOUT_FILENO, &s->to_stdout) == 0)
		return;
	/* The reader of the session's output is gone: nothing can be shown any more. */
	s->stdout_ok = false;
	s->to_stdout.start = s->to_stdout.end = 0;
	hang_up(s);
}

/*
 * Whether the attach's process tree is done with, once A has reaped the attached process. Without
 * a hang-up the attach simply ended: what its command left running on purpose (a daemon it started)
 * is the container's now, as with lxc-attach. After a hang-up nothing may outlive the grace period.
 */
static bool tree_settled(struct supervisor *s)
{
	if (!tree_adopted(&s->tree))
		return true;
	if (s->hangup_wanted && tree_populated(&s->tree)) {
		if (!s->killed_at || now_ms() - s->killed_at < TREE_EXIT_WAIT_MS)
			return false;
		fprintf(stderr, "lxc-attach-helper: processes of the attach survived SIGKILL for %d ms\n", TREE_EXIT_WAIT_MS);
	}
	tree_release(&s->tree);
	return true;
}

/*
 * The tree is released as soon as A has gone, before waiting for the output to drain: a caller that
 * stops reading and kills H when it is done waiting must not leave the attach's cgroup behind.
 */
static bool finished(struct supervisor *s)
{
	return s->child_reaped && tree_settled(s) && s->master < 0 && (relay_empty(&s->to_stdout) || !s->stdout_ok);
}

/* poll() timeout: until the grace period ends, or short while waiting for the tree to end. */
static int poll_timeout(const struct supervisor *s)
{
	long long left;

	if (s->kill_at && !s->killed_at) {
		left = s->kill_at - now_ms();
		return left <= 0 ? 0 : left > TREE_POLL_MS && s->child_reaped ? TREE_POLL_MS : (int)left;
	}
	return s->child_reaped && tree_adopted(&s->tree) ? TREE_POLL_MS : -1;
}

enum { P_SIG, P_CHANNEL, P_CONTROL, P_MASTER, P_STDIN, P_STDOUT, P_COUNT };

static void poll_once(struct supervisor *s)
{
	struct pollfd p[P_COUNT];
	bool attached = s->attached_pid > 0;

	p[P_SIG] = (struct pollfd){ .fd = s->sigfd, .events = POLLIN };
	p[P_CHANNEL] = (struct pollfd){ .fd = s->channel, .events = POLLIN };
	p[P_CONTROL] = (struct pollfd){ .fd = s->control_fd, .events = POLLIN };
	p[P_MASTER] = (struct pollfd){ .fd = s->master };
	if (s->master >= 0) {
		if (relay_has_room(&s->to_stdout))
			p[P_MASTER].events |= POLLIN;
		if (!relay_empty(&s->to_master))
			p[P_MASTER].events |= POLLOUT;
	}
	p[P_STDIN] = (struct pollfd){ .fd = -1, .events = POLLIN };
	if (s->master >= 0 && s->stdin_open && attached && relay_has_room(&s->to_master))
		p[P_STDIN].fd = STDIN_FILENO;
	p[P_STDOUT] = (struct pollfd){ .fd = -1, .events = POLLOUT };
	if (s->stdout_ok && !relay_empty(&s->to_stdout))
		p[P_STDOUT].fd = STDOUT_FILENO;

	if (poll(p, P_COUNT, poll_timeout(s)) < 0) {
		if (errno != EINTR)
			warn_errno("poll");
		return;
	}
	if (s->kill_at && !s->killed_at && now_ms() >= s->kill_at)
		kill_tree(s);

	if (p[P_SIG].revents)
		read_signals(s);
	if (p[P_CHANNEL].revents && s->channel >= 0)
		read_channel(s);
	if (p[P_CONTROL].revents && s->control_fd >= 0)
		read_control(s);
	if (p[P_STDIN].revents && s->stdin_open)
		pump_stdin(s);
	if (p[P_MASTER].revents && s->master >= 0)
		pump_master(s, p[P_MASTER].revents);
	if (p[P_STDOUT].revents && s->stdout_ok)
		pump_stdout(s);

	if (s->stdin_eof_hangup && relay_empty(&s->to_master)) {
		s->stdin_eof_hangup = false;
		hang_up(s);
	}
}

/* Messages A sent just before exiting are still queued when SIGCHLD arrives. */
static void drain_channel(struct supervisor *s)
{
	if (s->channel >= 0)
		read_channel(s);
}

static int report_exit(struct supervisor *s)
{
	int code = exit_code_of(s->child_status, EXIT_FAILURE);
	int signo = 0;

	if (!s->attached_pid && !s->attach_failed) {
		/* A process that exits before "attached" failed inside liblxc's do_attach(). */
		status_attach_failed(s->status_fd, s->wait_status_seen ? "SetupFailed" : "AttachFailed", 0,
				     s->wait_status_seen ?
					     "The attached process failed during setup (see stderr)" :
					     "The attach child ended without attaching (see stderr)");
	}
	if (s->wait_status_seen && WIFSIGNALED(s->wait_status) && code == exit_code_of(s->wait_status, EXIT_FAILURE))
		signo = WTERMSIG(s->wait_status);
	status_exited(s->status_fd, code, signo);
	return code;
}

static int block_signals(sigset_t *oldmask, int *sigfd)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGQUIT);
	sigaddset(&mask, SIGWINCH);
	sigaddset(&mask, SIGPIPE);
	if (sigprocmask(SIG_BLOCK, &mask, oldmask) < 0)
		return -1;
	*sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	return *sigfd < 0 ? -1 : 0;
}

/* A pty whose both ends are close-on-exec; 80x24 until the first resize. */
static int open_pty(int *master, int *slave)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };

	if (openpty(master, slave, NULL, NULL, &ws) < 0)
		return -1;
	if (fcntl(*master, F_SETFD, FD_CLOEXEC) < 0 || fcntl(*slave, F_SETFD, FD_CLOEXEC) < 0 ||
	    fcntl(*master, F_SETFL, O_NONBLOCK) < 0)
		return -1;
	return 0;
}

static int setup_failed(const struct attach_args *args, const char *what)
{
	char message[256];

	snprintf(message, sizeof(message), "%s: %s", what, strerror(errno));
	fprintf(stderr, "lxc-attach-helper: %s\n", message);
	status_attach_failed(args->status_fd, "SetupFailed", errno, message);
	status_exited(args->status_fd, EXIT_FAILURE, 0);
	return EXIT_FAILURE;
}

int supervise(const struct attach_args *args)
{
	static struct supervisor s; /* two 64 KiB buffers: not on the stack */
	int channel[2], slave = -1;
	sigset_t oldmask;
	pid_t self = getpid();

	s = (struct supervisor){
		.status_fd = args->status_fd,
		.control_fd = args->control_fd,
		.master = -1,
		.stdin_open = true,
		.stdout_ok = true,
		.grace_ms = args->hangup_grace_ms,
	};
	tree_init(&s.tree);

	if (block_signals(&oldmask, &s.sigfd) < 0)
		return setup_failed(args, "Failed to set up signal handling");
	if (channel_open(channel) < 0)
		return setup_failed(args, "Failed to create the attach channel");
	s.channel = channel[0];
	if (args->pty && open_pty(&s.master, &slave) < 0)
		return setup_failed(args, "Failed to allocate a pty");

	fflush(NULL);
	s.child = fork();
	if (s.child < 0)
		return setup_failed(args, "Failed to fork the attach child");
	if (s.child == 0) {
		struct attach_child_setup setup = {
			.args = args,
			.supervisor = self,
			.channel = channel[1],
			.pty_slave = slave,
			.sigmask = &oldmask,
			.tree = &s.tree,
			.close_fds = { s.sigfd, s.channel, s.master, s.control_fd, s.status_fd },
		};
		run_attach_child(&setup);
	}

	close(channel[1]);
	if (slave >= 0)
		close(slave);
	if (s.master >= 0)
		caller_tty_enter(&s.caller_tty, s.master);

	while (!finished(&s))
		poll_once(&s);
	drain_channel(&s);
	caller_tty_leave(&s.caller_tty);
	return report_exit(&s);
}
