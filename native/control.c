#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control.h"

static void warn_line(const char *what, const char *line)
{
	char shown[64];
	size_t o = 0;

	/* The line comes from outside: keep the warning to one printable line. */
	for (; *line && o + 1 < sizeof(shown); line++)
		shown[o++] = isprint((unsigned char)*line) ? *line : '?';
	shown[o] = '\0';
	fprintf(stderr, "lxc-attach-helper: control: ignoring %s \"%s\"\n", what, shown);
}

/* Strict decimal: digits only, no sign or blanks, within [min, max]. */
bool parse_decimal(const char *s, long min, long max, long *out)
{
	char *end;
	long value;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	value = strtol(s, &end, 10);
	if (errno || *end != '\0' || value < min || value > max)
		return false;
	*out = value;
	return true;
}

static bool parse_line(char *line, struct control_command *cmd)
{
	char *words[4];
	int count = 0;
	char *save = NULL;
	long a, b;

	for (char *w = strtok_r(line, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (count == 4)
			return false;
		words[count++] = w;
	}

	if (count == 3 && strcmp(words[0], "resize") == 0 && parse_decimal(words[1], 1, USHRT_MAX, &a) &&
	    parse_decimal(words[2], 1, USHRT_MAX, &b)) {
		cmd->kind = CONTROL_RESIZE;
		cmd->cols = (unsigned short)a;
		cmd->rows = (unsigned short)b;
		return true;
	}
	if (count == 2 && strcmp(words[0], "signal") == 0 && parse_decimal(words[1], 1, 64, &a)) {
		cmd->kind = CONTROL_SIGNAL;
		cmd->signo = (int)a;
		return true;
	}
	return false;
}

static void finish_line(struct control_reader *reader, control_handler handler, void *ctx)
{
	struct control_command cmd;
	char copy[sizeof(reader->line)];

	if (reader->overlong) {
		warn_line("overlong line starting with", reader->line);
	} else {
		if (reader->len > 0 && reader->line[reader->len - 1] == '\r')
			reader->len--;
		reader->line[reader->len] = '\0';
		memcpy(copy, reader->line, reader->len + 1);
		if (parse_line(reader->line, &cmd))
			handler(ctx, &cmd);
		else
			warn_line("malformed line", copy);
	}
	reader->len = 0;
	reader->overlong = false;
}

int control_read(int fd, struct control_reader *reader, control_handler handler, void *ctx)
{
	char buf[512];
	ssize_t n;

	do {
		n = read(fd, buf, sizeof(buf));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? 0 : -1;
	if (n == 0) {
		if (reader->len > 0 || reader->overlong)
			finish_line(reader, handler, ctx);
		return 1;
	}

	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			finish_line(reader, handler, ctx);
		} else if (reader->len + 1 < sizeof(reader->line)) {
			reader->line[reader->len++] = buf[i];
		} else {
			reader->line[reader->len] = '\0';
			reader->overlong = true;
		}
	}
	return 0;
}
