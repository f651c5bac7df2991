/*
 * --control-fd: text lines from the caller.
 *   resize <cols> <rows>\n   set the pty size (--pty only), 1..65535 each
 *   signal <signo>\n         send signal 1..64 to the attached process group
 * Anything else is ignored with a one-line warning on stderr. EOF hangs up the session.
 */
#ifndef LXC_ATTACH_HELPER_CONTROL_H
#define LXC_ATTACH_HELPER_CONTROL_H

#include <stdbool.h>
#include <stddef.h>

enum control_kind { CONTROL_RESIZE, CONTROL_SIGNAL };

struct control_command {
	enum control_kind kind;
	unsigned short cols;
	unsigned short rows;
	int signo;
};

struct control_reader {
	char line[128];
	size_t len;
	bool overlong; /* discarding the rest of a line that did not fit */
};

typedef void (*control_handler)(void *ctx, const struct control_command *cmd);

/*
 * Strict decimal: digits only (no sign, blanks or trailing text), within [min, max]. Shared with
 * args.c so the --control-fd/--status-fd values follow the same rule as the protocol's numbers.
 */
bool parse_decimal(const char *s, long min, long max, long *out);

/* 0: read what was there, 1: EOF, -1: read error (errno set). */
int control_read(int fd, struct control_reader *reader, control_handler handler, void *ctx);

#endif
