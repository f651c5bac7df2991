#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "status.h"

/* JSON string body: quotes, backslashes and control characters escaped, the rest as is. */
static void json_escape(char *out, size_t size, const char *in)
{
	size_t o = 0;

	for (; *in && o + 7 < size; in++) {
		unsigned char ch = (unsigned char)*in;

		if (ch == '"' || ch == '\\') {
			out[o++] = '\\';
			out[o++] = (char)ch;
		} else if (ch < 0x20) {
			o += (size_t)snprintf(out + o, size - o, "\\u%04x", ch);
		} else {
			out[o++] = (char)ch;
		}
	}
	out[o] = '\0';
}

static void write_line(int fd, const char *line, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, line, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* NB: a reader that went away cannot be told anything; stderr stays quiet. */
		line += n;
		len -= (size_t)n;
	}
}

static void emit(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void emit(int fd, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	if (fd < 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(line))
		write_line(fd, line, (size_t)n);
}

void status_attached(int fd, pid_t pid)
{
	emit(fd, "{\"event\":\"attached\",\"pid\":%d}\n", (int)pid);
}

void status_attach_failed(int fd, const char *reason, int err, const char *message)
{
	char escaped[600];

	json_escape(escaped, sizeof(escaped), message);
	emit(fd, "{\"event\":\"attach-failed\",\"reason\":\"%s\",\"errno\":%d,\"message\":\"%s\"}\n", reason, err,
	     escaped);
}

void status_exec_failed(int fd, int err, const char *message)
{
	char escaped[600];

	json_escape(escaped, sizeof(escaped), message);
	emit(fd, "{\"event\":\"exec-failed\",\"errno\":%d,\"message\":\"%s\"}\n", err, escaped);
}

void status_exited(int fd, int code, int signal)
{
	if (signal > 0)
		emit(fd, "{\"event\":\"exited\",\"code\":%d,\"signal\":%d}\n", code, signal);
	else
		emit(fd, "{\"event\":\"exited\",\"code\":%d}\n", code);
}
