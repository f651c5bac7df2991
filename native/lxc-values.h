/*
 * Value parsers that lxc-attach 5.0.2 takes from liblxc internals which liblxc.so.1 does not
 * export (confile.c, namespace.c, string_utils.c, log.h). Same semantics, re-implemented.
 */
#ifndef LXC_ATTACH_HELPER_LXC_VALUES_H
#define LXC_ATTACH_HELPER_LXC_VALUES_H

/* LXC_LOG_LEVEL_* of log.h: an unknown name is NOTSET (the parent category's level applies). */
enum lxcv_log_level {
	LXCV_LOG_TRACE,
	LXCV_LOG_DEBUG,
	LXCV_LOG_INFO,
	LXCV_LOG_NOTICE,
	LXCV_LOG_WARN,
	LXCV_LOG_ERROR,
	LXCV_LOG_CRIT,
	LXCV_LOG_ALERT,
	LXCV_LOG_FATAL,
	LXCV_LOG_NOTSET = 99,
};

int lxcv_fill_elevated_privileges(char *flaglist, unsigned int *flags);
int lxcv_parse_arch(const char *arch, signed long *persona);
int lxcv_namespace_2_std_identifiers(char *namespaces);
int lxcv_fill_namespace_flags(char *flaglist, int *flags);
int lxcv_safe_uint(const char *numstr, unsigned int *converted);
void lxcv_remove_trailing_slashes(char *p);
int lxcv_log_priority_to_int(const char *name);

#endif
