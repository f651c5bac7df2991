#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "channel.h"

/* fds[0] is H's receiving end (SO_PASSCRED), fds[1] the sending end A and its children inherit. */
int channel_open(int fds[2])
{
	int one = 1;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
		return -1;
	if (setsockopt(fds[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	return 0;
}

int channel_send(int fd, const struct channel_msg *msg)
{
	ssize_t n;

	do {
		/* MSG_NOSIGNAL: a vanished supervisor is an error here, not a SIGPIPE. */
		n = send(fd, msg, sizeof(*msg), MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	return n == (ssize_t)sizeof(*msg) ? 0 : -1;
}

int channel_wait(int fd, struct channel_msg *msg)
{
	ssize_t n;

	do {
		n = recv(fd, msg, sizeof(*msg), 0);
	} while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(*msg) ? 0 : -1;
}

int channel_receive(int fd, struct channel_msg *msg, pid_t *sender_pid)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = msg, .iov_len = sizeof(*msg) };
	struct msghdr hdr = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	ssize_t n;

	/*
	 * ECONNRESET: the last sender closed with a message still unread on its side (an attached
	 * process killed before it read PROCEED). The kernel reports it once, before any messages
	 * still queued here (A's WAIT_STATUS), so read on.
	 */
	do {
		n = recvmsg(fd, &hdr, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	} while (n < 0 && (errno == EINTR || errno == ECONNRESET));
	if (n < 0)
		return errno == EAGAIN ? 0 : -1;
	if (n == 0)
		return 2;
	if (n != (ssize_t)sizeof(*msg))
		return -1;

	*sender_pid = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&hdr); c; c = CMSG_NXTHDR(&hdr, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
			struct ucred cred;

			memcpy(&cred, CMSG_DATA(c), sizeof(cred));
			*sender_pid = cred.pid;
		}
	}
	msg->reason[sizeof(msg->reason) - 1] = '\0';
	msg->message[sizeof(msg->message) - 1] = '\0';
	return 1;
}

bool channel_peer_gone(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLRDHUP };

	return poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLRDHUP | POLLERR));
}
