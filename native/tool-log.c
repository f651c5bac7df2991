/*
 * lxc-attach's own ERROR() lines, formatted like liblxc's stderr and logfile appenders (log.c):
 *   stderr:  lxc-attach: NAME: FILE: FUNC: LINE MESSAGE
 *   logfile: lxc-attach NAME YYYYMMDDhhmmss.mmm ERROR    lxc_attach - FILE:FUNC:LINE - MESSAGE
 * FILE/FUNC/LINE name the helper's source, not lxc-attach's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lxc-values.h"
#include "tool-log.h"

/* Debian's compiled-in LXCPATH and LOGPATH (log.c uses them for the default log file). */
#define LXC_DEFAULT_LXCPATH "/var/lib/lxc"
#define LXC_LOGPATH "/var/log/lxc"

static struct {
	const char *name;
	const char *log_file; /* NULL: liblxc's default choice, see default_log_fd() */
	const char *lxcpath;
	bool to_file;
	bool quiet;
	bool enabled;
} tool_log;

void tool_log_setup(const struct attach_args *args, const char *log_file)
{
	int priority = lxcv_log_priority_to_int(args->log_priority);

	tool_log.name = args->name;
	tool_log.lxcpath = args->lxcpath;
	tool_log.quiet = args->quiet;
	/* An unknown -l level is NOTSET, which inherits the root category's ERROR. */
	tool_log.enabled = priority <= LXCV_LOG_ERROR || priority == LXCV_LOG_NOTSET;
	tool_log.to_file = !(log_file && strcmp(log_file, "none") == 0);
	tool_log.log_file = log_file;
}

/* The file lxc_log_init() chose: the first of its candidates that exists (it created it). */
static int open_log_file(void)
{
	char path[4096];
	int fd;

	if (tool_log.log_file)
		return open(tool_log.log_file, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY);
	if (!tool_log.name)
		return -1;

	if (geteuid() == 0 && tool_log.lxcpath && strcmp(tool_log.lxcpath, LXC_DEFAULT_LXCPATH) == 0) {
		snprintf(path, sizeof(path), "%s/%s.log", LXC_LOGPATH, tool_log.name);
		fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY);
		if (fd >= 0)
			return fd;
	}
	if (tool_log.lxcpath) {
		snprintf(path, sizeof(path), "%s/%s/%s.log", tool_log.lxcpath, tool_log.name, tool_log.name);
		fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY);
		if (fd >= 0)
			return fd;
	}
	snprintf(path, sizeof(path), "%s/%s.log", LXC_LOGPATH, tool_log.name);
	return open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY);
}

static void append_to_log_file(const char *file, const char *func, int line, const char *message)
{
	struct timespec now;
	struct tm tm;
	char stamp[32];
	int fd;

	fd = open_log_file();
	if (fd < 0)
		return; /* NB: liblxc could not open it either, or logs nowhere; stderr has the line. */

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm);
	dprintf(fd, "lxc-attach%s%s %s.%03ld ERROR    lxc_attach - %s:%s:%d - %s\n", tool_log.name ? " " : "",
		tool_log.name ? tool_log.name : "", stamp, now.tv_nsec / 1000000, file, func, line, message);
	close(fd);
}

void tool_log_error(const char *file, const char *func, int line, const char *fmt, ...)
{
	char message[1024];
	int saved_errno = errno;
	va_list ap;

	if (!tool_log.enabled)
		return;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);

	if (tool_log.to_file)
		append_to_log_file(file, func, line, message);
	if (!tool_log.quiet)
		fprintf(stderr, "lxc-attach: %s%s%s: %s: %d %s\n", tool_log.name ? tool_log.name : "",
			tool_log.name ? ": " : "", file, func, line, message);
	errno = saved_errno;
}
