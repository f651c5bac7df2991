/*
 * lxc-attach 5.0.2's command line: lxc_arguments_parse() (tools/arguments.c) with lxc-attach's
 * my_parser() (tools/lxc_attach.c), driven by the same glibc getopt_long() and the same option
 * table, so permutation, abbreviations ("--pt" is --pty-log, "--he" is ambiguous), optional
 * arguments ("-e CAP" is -e plus a command) and the error texts are glibc's, as for lxc-attach.
 *
 * The helper-only options are recognised only when spelled out exactly at an option position:
 * just before each getopt_long() call the element getopt is about to read is predicted and, if it
 * is a helper-only option ("--pty", "--control-fd[=N]", ...; helper_options), renamed to an internal spelling no user
 * abbreviation can reach. Every other spelling ("--pt", "--sta", "-v --pty") parses exactly as in
 * lxc-attach.
 */
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lxc/lxccontainer.h>

#include "args.h"
#include "control.h"
#include "lxc-values.h"
#include "usage.h"
#include "util.h"

/* tools/arguments.h option keys for long-only options. */
#define OPT_USAGE 0x1000
#define OPT_VERSION (OPT_USAGE - 1)
#define OPT_RCFILE (OPT_USAGE - 2)
#define OPT_CLEAR_ENV 500
#define OPT_KEEP_ENV 501
#define OPT_KEEP_VAR 502
#define OPT_HELPER_PTY 0x2000
#define OPT_HELPER_CONTROL_FD 0x2001
#define OPT_HELPER_STATUS_FD 0x2002
#define OPT_HELPER_HANGUP_GRACE 0x2003
#define OPT_HELPER_CONFINE_LOGFILE 0x2004
#define OPT_HELPER_CONFINE_PTY_LOG 0x2005

#define INTERNAL_MARK "\001lxc-attach-helper:"

/* lxc-attach's my_longopts followed by LXC_COMMON_OPTIONS, in that order. */
static const struct option attach_longopts[] = {
	{ "elevated-privileges", optional_argument, 0, 'e' },
	{ "arch", required_argument, 0, 'a' },
	{ "namespaces", required_argument, 0, 's' },
	{ "remount-sys-proc", no_argument, 0, 'R' },
	{ "clear-env", no_argument, 0, OPT_CLEAR_ENV },
	{ "keep-env", no_argument, 0, OPT_KEEP_ENV },
	{ "keep-var", required_argument, 0, OPT_KEEP_VAR },
	{ "set-var", required_argument, 0, 'v' },
	{ "pty-log", required_argument, 0, 'L' },
	{ "rcfile", required_argument, 0, 'f' },
	{ "uid", required_argument, 0, 'u' },
	{ "gid", required_argument, 0, 'g' },
	{ "context", required_argument, 0, 'c' },
	{ "name", required_argument, 0, 'n' },
	{ "help", no_argument, 0, 'h' },
	{ "help", no_argument, 0, '?' },
	{ "usage", no_argument, 0, OPT_USAGE },
	{ "version", no_argument, 0, OPT_VERSION },
	{ "quiet", no_argument, 0, 'q' },
	{ "logfile", required_argument, 0, 'o' },
	{ "logpriority", required_argument, 0, 'l' },
	{ "lxcpath", required_argument, 0, 'P' },
	{ "rcfile", required_argument, 0, OPT_RCFILE },
	/* helper-only, reachable only through rename_helper_option() */
	{ INTERNAL_MARK "pty", no_argument, 0, OPT_HELPER_PTY },
	{ INTERNAL_MARK "control-fd", required_argument, 0, OPT_HELPER_CONTROL_FD },
	{ INTERNAL_MARK "status-fd", required_argument, 0, OPT_HELPER_STATUS_FD },
	{ INTERNAL_MARK "hangup-grace-ms", required_argument, 0, OPT_HELPER_HANGUP_GRACE },
	{ INTERNAL_MARK "confine-logfile", required_argument, 0, OPT_HELPER_CONFINE_LOGFILE },
	{ INTERNAL_MARK "confine-pty-log", required_argument, 0, OPT_HELPER_CONFINE_PTY_LOG },
	{ 0, 0, 0, 0 },
};

/*
 * Entries up to and including the second "rcfile" are lxc-attach's (for --usage): all but the
 * helper-only ones and the terminator. Derived so that adding an option cannot leave it stale.
 */
#define ATTACH_LONGOPTS_COUNT (ARRAY_SIZE(attach_longopts) - ARRAY_SIZE(helper_options) - 1)

/* build_shortopts() of tools/arguments.c applied to the table: "e::a:s:Rv:L:f:u:g:c:n:h?qo:l:P:" */
static const char attach_shortopts[] = "e::a:s:Rv:L:f:u:g:c:n:h?qo:l:P:";

static const char *const helper_options[] = { "pty", "control-fd", "status-fd", "hangup-grace-ms",
					       "confine-logfile", "confine-pty-log" };

static bool is_nonoption(const char *arg)
{
	return arg[0] != '-' || arg[1] == '\0';
}

/*
 * The index of the element glibc's getopt_long() will read as an option on its next call, when
 * it is not in the middle of a cluster like "-qR": in PERMUTE order the first option-looking
 * element from optind on, in REQUIRE_ORDER (POSIXLY_CORRECT) only optind itself. -1 if getopt
 * will stop instead ("--", no more options).
 */
static int next_option_index(int argc, char **argv, bool require_order)
{
	int i = optind;

	if (!require_order)
		while (i < argc && is_nonoption(argv[i]))
			i++;
	if (i >= argc || is_nonoption(argv[i]) || strcmp(argv[i], "--") == 0)
		return -1;
	return i;
}

static int rename_helper_option(char **argv, int i)
{
	const char *arg = argv[i];

	if (strncmp(arg, "--", 2) != 0)
		return 0;

	for (size_t k = 0; k < ARRAY_SIZE(helper_options); k++) {
		size_t len = strlen(helper_options[k]);
		char *renamed;

		if (strncmp(arg + 2, helper_options[k], len) != 0)
			continue;
		if (arg[2 + len] != '\0' && arg[2 + len] != '=')
			continue;
		if (asprintf(&renamed, "--" INTERNAL_MARK "%s", arg + 2) < 0)
			return -1;
		argv[i] = renamed;
		return 0;
	}
	return 0;
}

static int string_list_add(struct string_list *list, char *value)
{
	if (list->len + 1 >= list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 32;
		char **items = realloc(list->items, cap * sizeof(*items));

		if (!items)
			return -1;
		list->items = items;
		list->cap = cap;
	}
	list->items[list->len++] = value;
	list->items[list->len] = NULL;
	return 0;
}

/* Helper-only fd options: a decimal fd >= 3 that is open with the needed access mode. */
static int parse_helper_fd(const char *option, const char *value, int want_accmode, int *fd)
{
	long n;
	int flags;

	if (!parse_decimal(value, 3, INT_MAX, &n)) {
		fprintf(stderr, "lxc-attach-helper: --%s: invalid file descriptor \"%s\" (want a decimal number >= 3)\n",
			option, value);
		return -1;
	}

	flags = fcntl((int)n, F_GETFL);
	if (flags < 0) {
		fprintf(stderr, "lxc-attach-helper: --%s: file descriptor %ld is not open\n", option, n);
		return -1;
	}
	if ((flags & O_ACCMODE) != O_RDWR && (flags & O_ACCMODE) != want_accmode) {
		fprintf(stderr, "lxc-attach-helper: --%s: file descriptor %ld is not open for %s\n", option, n,
			want_accmode == O_RDONLY ? "reading" : "writing");
		return -1;
	}

	*fd = (int)n;
	return 0;
}

/* my_parser() of tools/lxc_attach.c: 0 or -1 (then "could not parse command line"). */
static int attach_option(struct attach_args *args, int c, char *arg)
{
	switch (c) {
	case 'e':
		return lxcv_fill_elevated_privileges(arg, &args->elevated_privileges) ? -1 : 0;
	case 'R':
		args->remount_sys_proc = 1;
		return 0;
	case 'a':
		return lxcv_parse_arch(arg, &args->new_personality) < 0 ? -1 : 0;
	case 's':
		args->namespace_flags = 0;
		if (lxcv_namespace_2_std_identifiers(arg) < 0)
			return -1;
		if (lxcv_fill_namespace_flags(arg, &args->namespace_flags))
			return -1;
		/* -s implies -e at this position: a later -e replaces it. */
		lxcv_fill_elevated_privileges(NULL, &args->elevated_privileges);
		return 0;
	case OPT_CLEAR_ENV:
		args->env_policy = LXC_ATTACH_CLEAR_ENV;
		return 0;
	case OPT_KEEP_ENV:
		args->env_policy = LXC_ATTACH_KEEP_ENV;
		return 0;
	case OPT_KEEP_VAR:
		return string_list_add(&args->extra_keep, arg);
	case 'v':
		return string_list_add(&args->extra_env, arg);
	case 'L':
		args->console_log = arg;
		return 0;
	case 'f':
		args->rcfile = arg;
		return 0;
	case 'u':
		return lxcv_safe_uint(arg, &args->uid) < 0 ? -1 : 0;
	case 'g':
		return lxcv_safe_uint(arg, &args->gid) < 0 ? -1 : 0;
	case 'c':
		args->selinux_context = arg;
		return 0;
	}
	return 0;
}

static void args_init(struct attach_args *args)
{
	memset(args, 0, sizeof(*args));
	args->log_file = "none";
	args->log_priority = "ERROR";
	args->uid = ARGS_INVALID_ID;
	args->gid = ARGS_INVALID_ID;
	args->new_personality = -1;
	args->namespace_flags = -1;
	args->env_policy = LXC_ATTACH_KEEP_ENV;
	args->control_fd = -1;
	args->status_fd = -1;
	args->hangup_grace_ms = ARGS_DEFAULT_HANGUP_GRACE_MS;
}

static void parse_error(const struct attach_args *args, const char *message)
{
	if (!args->quiet)
		fprintf(stderr, "lxc-attach: %s\n", message);
}

/* lxc_arguments_lxcpath_add() with lxcpath_additional = 0: a second -P exits. */
static int add_lxcpath(struct attach_args *args, const char *lxcpath)
{
	if (args->lxcpath_cnt > 0) {
		fprintf(stderr, "This command only accepts 1 -P,--lxcpath arguments\n");
		return -1;
	}
	args->lxcpath = lxcpath;
	args->lxcpath_cnt++;
	return 0;
}

/* One getopt_long() result; PARSE_CONTINUE to keep reading options. */
static enum parse_outcome handle_option(struct attach_args *args, int c, bool *logfile_given, int *exit_code)
{
	switch (c) {
	case 'n':
		args->name = optarg;
		break;
	case 'o':
		args->log_file = optarg;
		*logfile_given = true;
		break;
	case 'l':
		args->log_priority = optarg;
		/* -l without -o: log to the container's default log file instead of nowhere. */
		if (!*logfile_given && args->log_file && strcmp(args->log_file, "none") == 0)
			args->log_file = NULL;
		break;
	case 'q':
		args->quiet = 1;
		break;
	case OPT_RCFILE:
		args->rcfile = optarg;
		break;
	case 'P':
		lxcv_remove_trailing_slashes(optarg);
		if (add_lxcpath(args, optarg) < 0) {
			*exit_code = EXIT_FAILURE;
			return PARSE_USAGE_ERROR;
		}
		break;
	case OPT_USAGE:
		print_usage(attach_longopts, ATTACH_LONGOPTS_COUNT);
		*exit_code = EXIT_SUCCESS;
		return PARSE_EXIT;
	case OPT_VERSION:
		print_version();
		*exit_code = EXIT_SUCCESS;
		return PARSE_EXIT;
	case '?':
		print_help();
		*exit_code = EXIT_FAILURE;
		return PARSE_USAGE_ERROR;
	case 'h':
		print_help();
		*exit_code = EXIT_SUCCESS;
		return PARSE_EXIT;
	case OPT_HELPER_PTY:
		args->pty = true;
		break;
	case OPT_HELPER_CONTROL_FD:
	case OPT_HELPER_STATUS_FD:
		if (c == OPT_HELPER_CONTROL_FD ?
			    parse_helper_fd("control-fd", optarg, O_RDONLY, &args->control_fd) :
			    parse_helper_fd("status-fd", optarg, O_WRONLY, &args->status_fd)) {
			*exit_code = EXIT_FAILURE;
			return PARSE_USAGE_ERROR;
		}
		break;
	case OPT_HELPER_HANGUP_GRACE:
		if (!parse_decimal(optarg, 0, 3600000, &args->hangup_grace_ms)) {
			fprintf(stderr, "lxc-attach-helper: --hangup-grace-ms: invalid value \"%s\" (want 0..3600000)\n",
				optarg);
			*exit_code = EXIT_FAILURE;
			return PARSE_USAGE_ERROR;
		}
		break;
	case OPT_HELPER_CONFINE_LOGFILE:
	case OPT_HELPER_CONFINE_PTY_LOG:
		if (optarg[0] != '/') {
			fprintf(stderr, "lxc-attach-helper: --%s: \"%s\" is not an absolute path\n",
				c == OPT_HELPER_CONFINE_LOGFILE ? "confine-logfile" : "confine-pty-log", optarg);
			*exit_code = EXIT_FAILURE;
			return PARSE_USAGE_ERROR;
		}
		*(c == OPT_HELPER_CONFINE_LOGFILE ? &args->logfile_beneath : &args->pty_log_beneath) = optarg;
		break;
	default:
		if (attach_option(args, c, optarg)) {
			parse_error(args, "could not parse command line");
			*exit_code = EXIT_FAILURE;
			return PARSE_USAGE_ERROR;
		}
	}
	return PARSE_CONTINUE;
}

/* The name is -n or else the first non-option argument (which is then not part of COMMAND). */
static enum parse_outcome finish_args(struct attach_args *args, int argc, char **argv, int *exit_code)
{
	args->argv = &argv[optind];
	args->argc = argc - optind;

	if (!args->lxcpath_cnt && add_lxcpath(args, lxc_get_global_config_item("lxc.lxcpath")) < 0) {
		*exit_code = EXIT_FAILURE;
		return PARSE_USAGE_ERROR;
	}

	if (!args->name) {
		/* NB: like lxc, this runs even when optind == argc: name NULL, argc -1. */
		args->name = argv[optind];
		optind++;
		args->argv = &argv[optind];
		args->argc = argc - optind;

		if (!args->name) {
			parse_error(args, "No container name specified");
			*exit_code = EXIT_FAILURE;
			return PARSE_USAGE_ERROR;
		}
	}
	return PARSE_CONTINUE;
}

enum parse_outcome parse_args(struct attach_args *args, int argc, char **argv, int *exit_code)
{
	/* glibc reads POSIXLY_CORRECT on the first call; so does this prediction. */
	bool require_order = getenv("POSIXLY_CORRECT") != NULL;
	bool logfile_given = false;
	int cluster = -1; /* index of a partly read "-abc" element */

	args_init(args);

	for (;;) {
		enum parse_outcome outcome;
		int next = cluster >= 0 ? cluster : next_option_index(argc, argv, require_order);
		int c;

		if (cluster < 0 && next >= 0 && rename_helper_option(argv, next) < 0) {
			fprintf(stderr, "lxc-attach-helper: out of memory\n");
			*exit_code = EXIT_FAILURE;
			return PARSE_USAGE_ERROR;
		}

		c = getopt_long(argc, argv, attach_shortopts, attach_longopts, NULL);
		if (c == -1)
			break;
		/* glibc advances optind only after the last character of a cluster. */
		cluster = (next >= 0 && optind == next) ? next : -1;

		outcome = handle_option(args, c, &logfile_given, exit_code);
		if (outcome != PARSE_CONTINUE)
			return outcome;
	}

	return finish_args(args, argc, argv, exit_code);
}
