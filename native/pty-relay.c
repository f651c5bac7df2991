#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pty-relay.h"

/*
 * The caller only drains after poll() reported POLLOUT. A socket (Node's child stdio) gets a
 * non-blocking send; a pipe takes up to one page after POLLOUT without blocking. The helper must
 * not set O_NONBLOCK on its stdout: that file description is shared with whoever spawned it.
 */
#define PIPE_CHUNK 4096

long relay_fill(int fd, struct relay_buffer *b)
{
	ssize_t n;

	if (b->end == RELAY_BUFFER_SIZE && b->start > 0) {
		memmove(b->data, b->data + b->start, b->end - b->start);
		b->end -= b->start;
		b->start = 0;
	}
	do {
		n = read(fd, b->data + b->end, RELAY_BUFFER_SIZE - b->end);
	} while (n < 0 && errno == EINTR);
	if (n > 0)
		b->end += (size_t)n;
	return (long)n;
}

int relay_drain(int fd, struct relay_buffer *b)
{
	size_t len = b->end - b->start;
	ssize_t n = -1;

	if (b->sink_kind != 2) {
		n = send(fd, b->data + b->start, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno == ENOTSOCK)
			b->sink_kind = 2;
		else
			b->sink_kind = 1;
	}
	if (b->sink_kind == 2) {
		do {
			n = write(fd, b->data + b->start, len < PIPE_CHUNK ? len : PIPE_CHUNK);
		} while (n < 0 && errno == EINTR);
	}
	if (n < 0)
		return errno == EAGAIN ? 0 : -1;

	b->start += (size_t)n;
	if (b->start == b->end)
		b->start = b->end = 0;
	return 0;
}
