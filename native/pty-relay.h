/* Byte buffers between the helper's stdin/stdout and its pty master (--pty). */
#ifndef LXC_ATTACH_HELPER_PTY_RELAY_H
#define LXC_ATTACH_HELPER_PTY_RELAY_H

#include <stdbool.h>
#include <stddef.h>

#define RELAY_BUFFER_SIZE 65536

struct relay_buffer {
	int sink_kind; /* of the fd drained into: 0 not known yet, 1 socket, 2 anything else */
	size_t start;
	size_t end;
	char data[RELAY_BUFFER_SIZE];
};

static inline bool relay_empty(const struct relay_buffer *b)
{
	return b->start == b->end;
}

static inline bool relay_has_room(const struct relay_buffer *b)
{
	return b->end < RELAY_BUFFER_SIZE || b->start > 0;
}

/* >0 bytes read, 0 EOF, -1 error (errno; EAGAIN when nothing was there, EIO when a pty hung up) */
long relay_fill(int fd, struct relay_buffer *b);
/* 0 written what the fd took, -1 error (errno) */
int relay_drain(int fd, struct relay_buffer *b);

#endif
