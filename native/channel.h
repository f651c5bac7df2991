/*
 * Messages from the attach child (A) and from the attached process to the supervisor (H), over a
 * SOCK_SEQPACKET socketpair. H sets SO_PASSCRED, so every message carries the sender's pid as the
 * kernel translates it into H's pid namespace: that is how H learns the attached process's host
 * pid, which lives in the container's pid namespace.
 *
 *   attached process:  ATTACHED (after all of liblxc's setup), then waits for PROCEED
 *                      EXEC_FAILED errno (exec failed; it then exits 126/127/255)
 *   H:                 PROCEED (H has recorded the pid and set up the pty: exec now)
 *   A:                 ATTACH_FAILED reason errno message (lxc-attach would exit 1 here)
 *                      WAIT_STATUS status (the attached process's raw wait status)
 */
#ifndef LXC_ATTACH_HELPER_CHANNEL_H
#define LXC_ATTACH_HELPER_CHANNEL_H

#include <stdbool.h>
#include <sys/types.h>

enum channel_kind {
	CHANNEL_ATTACHED = 1,
	CHANNEL_EXEC_FAILED,
	CHANNEL_ATTACH_FAILED,
	CHANNEL_WAIT_STATUS,
	CHANNEL_PROCEED,
};

struct channel_msg {
	int kind;
	int err;
	int wait_status;
	char reason[32];
	char message[256];
};

int channel_open(int fds[2]);
int channel_send(int fd, const struct channel_msg *msg);
/* Blocking receive of one message without credentials; -1 on error or when H is gone. */
int channel_wait(int fd, struct channel_msg *msg);
/* 1: a message (sender_pid set), 0: nothing right now, 2: every sender is gone, -1: error */
int channel_receive(int fd, struct channel_msg *msg, pid_t *sender_pid);

/* Whether the other end has been closed (at once, without waiting). */
bool channel_peer_gone(int fd);

#endif
