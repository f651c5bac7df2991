/* lxc-attach 5.0.2's --help, --usage and --version output (tools/arguments.c). */
#ifndef LXC_ATTACH_HELPER_USAGE_H
#define LXC_ATTACH_HELPER_USAGE_H

#include <getopt.h>
#include <stddef.h>

void print_usage(const struct option *longopts, size_t count);
void print_help(void);
void print_version(void);

#endif
