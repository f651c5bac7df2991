/*
 * Re-implementations of the liblxc 5.0.2 internals lxc-attach parses its options with. Each keeps
 * the original's quirks on purpose (the side-by-side suite checks them against lxc-attach):
 * in-place rewriting, strtok_r skipping empty tokens, strtoul base 0, case rules.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/personality.h>

#include <lxc/attach_options.h>

#include "lxc-values.h"
#include "util.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* confile.c lxc_fill_elevated_privileges: tokens replace (not OR into) *flags. */
int lxcv_fill_elevated_privileges(char *flaglist, unsigned int *flags)
{
	static const struct {
		const char *token;
		unsigned int flag;
	} privs[] = {
		{ "CGROUP", LXC_ATTACH_MOVE_TO_CGROUP },
		{ "CAP", LXC_ATTACH_DROP_CAPABILITIES },
		{ "LSM", LXC_ATTACH_LSM_EXEC },
	};
	unsigned int result = 0;
	char *save = NULL;

	if (!flaglist) {
		for (size_t i = 0; i < ARRAY_SIZE(privs); i++)
			result |= privs[i].flag;
		*flags = result;
		return 0;
	}

	for (char *token = strtok_r(flaglist, "|", &save); token; token = strtok_r(NULL, "|", &save)) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(privs); i++)
			if (strcmp(privs[i].token, token) == 0)
				break;
		if (i == ARRAY_SIZE(privs))
			return -EINVAL;
		result |= privs[i].flag;
	}

	*flags = result;
	return 0;
}

/* confile.c lxc_config_parse_arch: exact, case-sensitive names. */
int lxcv_parse_arch(const char *arch, signed long *persona)
{
	static const struct {
		const char *name;
		unsigned long per;
	} names[] = {
		{ "arm", PER_LINUX32 },     { "armel", PER_LINUX32 },   { "armhf", PER_LINUX32 },
		{ "armv7l", PER_LINUX32 },  { "athlon", PER_LINUX32 },  { "i386", PER_LINUX32 },
		{ "i486", PER_LINUX32 },    { "i586", PER_LINUX32 },    { "i686", PER_LINUX32 },
		{ "linux32", PER_LINUX32 }, { "mips", PER_LINUX32 },    { "mipsel", PER_LINUX32 },
		{ "ppc", PER_LINUX32 },     { "powerpc", PER_LINUX32 }, { "x86", PER_LINUX32 },
		{ "aarch64", PER_LINUX },   { "amd64", PER_LINUX },     { "arm64", PER_LINUX },
		{ "linux64", PER_LINUX },   { "mips64", PER_LINUX },    { "mips64el", PER_LINUX },
		{ "ppc64", PER_LINUX },     { "ppc64el", PER_LINUX },   { "ppc64le", PER_LINUX },
		{ "powerpc64", PER_LINUX }, { "riscv64", PER_LINUX },   { "s390x", PER_LINUX },
		{ "x86_64", PER_LINUX },
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (strcmp(names[i].name, arch) == 0) {
			*persona = (signed long)names[i].per;
			return 0;
		}
	}
	return -EINVAL;
}

/*
 * namespace.c lxc_namespace_2_std_identifiers: the man page's MOUNT/NETWORK/UTSNAME become
 * mnt/net/uts spellings by deleting letters in place, case-sensitively ("mount" is not
 * rewritten and later rejected).
 */
int lxcv_namespace_2_std_identifiers(char *namespaces)
{
	static const char *const seven[] = { "NETWORK", "UTSNAME" };
	char *del;

	if (!namespaces)
		return -1;

	while ((del = strstr(namespaces, "MOUNT")))
		memmove(del + 1, del + 3, strlen(del) - 2);

	for (size_t i = 0; i < ARRAY_SIZE(seven); i++)
		while ((del = strstr(namespaces, seven[i])))
			memmove(del + 3, del + 7, strlen(del) - 6);

	return 0;
}

/* namespace.c lxc_fill_namespace_flags + lxc_namespace_2_cloneflag (case-insensitive). */
int lxcv_fill_namespace_flags(char *flaglist, int *flags)
{
	static const struct {
		const char *name;
		int flag;
	} ns[] = {
		{ "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS },	   { "pid", CLONE_NEWPID },
		{ "uts", CLONE_NEWUTS },   { "ipc", CLONE_NEWIPC },	   { "net", CLONE_NEWNET },
		{ "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
	};
	char *save = NULL;

	if (!flaglist)
		return -1;

	for (char *token = strtok_r(flaglist, "|", &save); token; token = strtok_r(NULL, "|", &save)) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(ns); i++)
			if (strcasecmp(ns[i].name, token) == 0)
				break;
		if (i == ARRAY_SIZE(ns))
			return -1;
		*flags |= ns[i].flag;
	}
	return 0;
}

/*
 * string_utils.c lxc_safe_uint: leading blanks skipped, a leading '-' rejected, strtoul base 0
 * (so 0x3e8 and 0750 are accepted), no trailing garbage, at most UINT_MAX.
 */
int lxcv_safe_uint(const char *numstr, unsigned int *converted)
{
	char *end = NULL;
	unsigned long value;

	while (isspace((unsigned char)*numstr))
		numstr++;

	if (*numstr == '-')
		return -EINVAL;

	errno = 0;
	value = strtoul(numstr, &end, 0);
	if (errno == ERANGE && value == ULONG_MAX)
		return -ERANGE;

	if (end == numstr || *end != '\0')
		return -EINVAL;

	if (value > UINT_MAX)
		return -ERANGE;

	*converted = (unsigned int)value;
	return 0;
}

/* string_utils.c remove_trailing_slashes: also strips trailing newlines. */
void lxcv_remove_trailing_slashes(char *p)
{
	size_t l = strlen(p);

	while (l > 0 && (p[l - 1] == '/' || p[l - 1] == '\n'))
		p[--l] = '\0';
}

/* log.h lxc_log_priority_to_int */
int lxcv_log_priority_to_int(const char *name)
{
	static const char *const names[] = { "TRACE", "DEBUG", "INFO",	"NOTICE", "WARN",
					     "ERROR", "CRIT",  "ALERT", "FATAL" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcasecmp(names[i], name) == 0)
			return (int)i;
	return LXCV_LOG_NOTSET;
}
