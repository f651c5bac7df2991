/*
 * Errors lxc-attach prints with its own ERROR() (category lxc_attach): liblxc's logger is hidden,
 * so the helper prints them itself in the same shape, honouring -q and -l, and appends them to the
 * log file liblxc opened.
 */
#ifndef LXC_ATTACH_HELPER_TOOL_LOG_H
#define LXC_ATTACH_HELPER_TOOL_LOG_H

#include "args.h"

/* log_file: the -o file as liblxc was given it (a /proc/self/fd path with --confine-logfile). */
void tool_log_setup(const struct attach_args *args, const char *log_file);
void tool_log_error(const char *file, const char *func, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define TOOL_ERROR(...) tool_log_error(__FILE__, __func__, __LINE__, __VA_ARGS__)

#endif
